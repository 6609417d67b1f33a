/**
 * A real Kubernetes control plane on 127.0.0.1 for the rehearsal: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler (v1.36.3, built by tools/toolchain/install.sh), with
 * kwok playing the nodes so that pods are scheduled, become Ready and Helm's `wait` returns. The
 * PV controller binds the stacks' pre-bound volumes and claims for real, and Pod Security admission
 * enforces the namespace's level. The CRDs AKS add-ons install (add-on-crds.ts) are there from the start.
 *
 * Authentication is one static admin token (the rehearsal's fake kubelogin hands it to the
 * providers); the API server's certificate comes from a CA made here, which the ARM stand-in's
 * kubeconfig names, as AKS's does.
 */
import { generateKeyPairSync, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { createCertificateAuthority } from '../arm-standin/tls';
import { ADD_ON_CRDS } from './add-on-crds';
import { freePort, startService, waitFor, type Service } from './processes';

export interface KwokNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ControlPlaneOptions {
  /** The toolchain's env file values: ETCD_BIN, KUBE_*_BIN, KWOK_BIN, KWOK_STAGES_DIR. */
  readonly toolchain: Readonly<Record<string, string>>;
  readonly workDir: string;
  readonly nodes: readonly KwokNode[];
}

export interface ControlPlane {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly token: string;
  readonly caPem: string;
  /** A kubeconfig with the CA and the token, as the stand-in's listClusterUserCredential returns it. */
  readonly kubeconfig: string;
  readonly kubeconfigFile: string;
  /** GET/POST/... against the API server; resolves to the parsed JSON body and the status. */
  api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const t = options.toolchain;
  for (const key of ['ETCD_BIN', 'KUBE_APISERVER_BIN', 'KUBE_CONTROLLER_MANAGER_BIN', 'KUBE_SCHEDULER_BIN', 'KWOK_BIN', 'KWOK_STAGES_DIR']) {
    if (!t[key] || !fs.existsSync(t[key])) throw new Error(`the toolchain has no ${key}: run \`npm run toolchain\``);
  }
  const dir = path.join(options.workDir, 'kubernetes');
  const pki = path.join(dir, 'pki');
  const logs = path.join(options.workDir, 'logs');
  fs.mkdirSync(pki, { recursive: true });

  const ca = createCertificateAuthority('rehearsal kube-apiserver CA');
  const serving = ca.issue(['127.0.0.1', 'localhost']);
  fs.writeFileSync(path.join(pki, 'apiserver.crt'), serving.cert);
  fs.writeFileSync(path.join(pki, 'apiserver.key'), serving.key);
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  fs.writeFileSync(path.join(pki, 'sa.pub'), sa.publicKey);
  fs.writeFileSync(path.join(pki, 'sa.key'), sa.privateKey);
  const token = randomBytes(16).toString('hex');
  fs.writeFileSync(path.join(pki, 'tokens.csv'), `${token},admin,admin,system:masters\n`);

  const [etcdClient, etcdPeer, apiPort, kcmPort, schedPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const server = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: rehearsal',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(ca.certPem).toString('base64')}`,
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: rehearsal',
    '  context: {cluster: rehearsal, user: admin}',
    'current-context: rehearsal',
    '',
  ].join('\n');
  const kubeconfigFile = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 });

  const api = (method: string, apiPath: string, body?: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = https.request(`${server}${apiPath}`, { method, ca: ca.certPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // plain text (healthz)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const services: Service[] = [];
  const stop = async () => {
    for (const s of services.reverse()) await s.stop();
  };
  try {
    services.push(
      startService('etcd', t.ETCD_BIN, [
        '--name=rehearsal', `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=rehearsal=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level=warn',
      ], logs),
    );
    await waitFor('etcd', 30, async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`)).ok);

    services.push(
      startService('kube-apiserver', t.KUBE_APISERVER_BIN, [
        '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
        `--tls-cert-file=${path.join(pki, 'apiserver.crt')}`, `--tls-private-key-file=${path.join(pki, 'apiserver.key')}`,
        `--etcd-servers=http://127.0.0.1:${etcdClient}`, `--token-auth-file=${path.join(pki, 'tokens.csv')}`, '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${path.join(pki, 'sa.pub')}`, `--service-account-signing-key-file=${path.join(pki, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/16', '--endpoint-reconciler-type=none',
      ], logs),
    );
    await waitFor('kube-apiserver /readyz', 120, async () => (await api('GET', '/readyz')).status === 200);
    // What AKS add-ons would have installed before any stack runs (add-on-crds.ts).
    for (const crd of ADD_ON_CRDS) {
      const created = await api('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
      if (created.status >= 300) throw new Error(`creating CRD ${crd.metadata.name}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    for (const crd of ADD_ON_CRDS) {
      await waitFor(`CRD ${crd.metadata.name} Established`, 120, async () => {
        const c = (await api('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`)).body;
        return (c.status?.conditions ?? []).some((x: any) => x.type === 'Established' && x.status === 'True');
      });
    }

    const common = [`--kubeconfig=${kubeconfigFile}`, `--authentication-kubeconfig=${kubeconfigFile}`, `--authorization-kubeconfig=${kubeconfigFile}`, '--bind-address=127.0.0.1', '--leader-elect=false'];
    services.push(
      startService('kube-controller-manager', t.KUBE_CONTROLLER_MANAGER_BIN, [
        ...common, `--secure-port=${kcmPort}`, `--cert-dir=${path.join(pki, 'kcm')}`,
        `--service-account-private-key-file=${path.join(pki, 'sa.key')}`, '--use-service-account-credentials=false',
      ], logs),
    );
    services.push(startService('kube-scheduler', t.KUBE_SCHEDULER_BIN, [...common, `--secure-port=${schedPort}`, `--cert-dir=${path.join(pki, 'sched')}`], logs));
    services.push(
      startService('kwok', t.KWOK_BIN, [
        `--kubeconfig=${kubeconfigFile}`, '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--node-ip=127.0.0.1', '--node-lease-duration-seconds=40', '--cidr=10.244.0.0/16', '-c', path.join(t.KWOK_STAGES_DIR, 'fast'),
      ], logs),
    );
    // Pods need the namespace's default ServiceAccount, which the controller-manager creates.
    await waitFor('the default ServiceAccount', 90, async () => (await api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);

    for (const node of options.nodes) {
      const created = await api('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: node.name, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' }, labels: { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok', ...node.labels } },
        status: { allocatable: { cpu: '32', memory: '256Gi', pods: '250', 'ephemeral-storage': '1Ti' }, capacity: { cpu: '32', memory: '256Gi', pods: '250', 'ephemeral-storage': '1Ti' } },
      });
      if (created.status >= 300) throw new Error(`creating kwok node ${node.name}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    for (const node of options.nodes) {
      await waitFor(`node ${node.name} Ready`, 180, async () => {
        const n = (await api('GET', `/api/v1/nodes/${node.name}`)).body;
        return (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { server, token, caPem: ca.certPem, kubeconfig, kubeconfigFile, api, stop };
}
