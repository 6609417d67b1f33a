/**
 * Who can reach whom in Opik's namespace, computed by np-guard's netpol-analyzer (a real analyzer,
 * built by the toolchain) from the NetworkPolicies each environment's application stack
 * synthesizes, with one pod per workload under the labels the chart gives it (chart-contract.ts,
 * which `check:chart` holds to the rendered chart), pods in other namespaces, and the cluster DNS.
 *
 * The expected matrix below is the design, written out by hand: every allowed connection, with its
 * ports. Anything the analyzer reports beyond it (a policy widened) or short of it (Opik broken)
 * fails. Address ranges are named by probing addresses the analyzer's ranges must or must not
 * hold: the instance metadata endpoint, the VNet, the kubernetes Service, a public address.
 */
import { analyze, cidrRange, contains, namespaceObject, networkPoliciesOf, overlaps, podObject, rangeOf, type Connection } from '../../tools/network/connectivity';
import { OPIK_WORKLOADS } from '../../constructs/opik/chart-contract';
import { PLATFORM_WORKLOADS } from '../../constructs/opik/opik-network-policy';
import type { PlatformConfig } from '../../config/schema';
import { buildStacks, cloneConfig, loadCommittedConfig, synthStack } from '../helpers';

const ANALYZER = process.env.NETPOL_ANALYZER_BIN;
/** Written out here, not imported: the test states what "the internet" must leave out. */
const NOT_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '127.0.0.0/8'];
const run = ANALYZER ? describe : describe.skip;

/** Every allowed connection out of or into Opik's namespace; `dns` is kube-system/coredns. */
const EXPECTED = [
  'gateway -> oauth2-proxy : TCP 4180',
  'gateway -> acme-http01-solver : TCP 8089',
  'oauth2-proxy -> frontend : TCP 5173',
  'oauth2-proxy -> backend : TCP 8080',
  'oauth2-proxy -> python-backend : TCP 8000',
  'oauth2-proxy -> oauth2-proxy-sessions : TCP 6379',
  'oauth2-proxy -> internet : TCP 443',
  'frontend -> backend : TCP 3003',
  'frontend -> backend : TCP 8080',
  'backend -> python-backend : TCP 8000',
  'python-backend -> backend : TCP 8080',
  'backend -> mysql : TCP 3306',
  'backend -> clickhouse : TCP 8123',
  'backend -> redis : TCP 6379',
  'backend -> minio : TCP 9000',
  'backend -> internet : TCP 443',
  'python-backend -> redis : TCP 6379',
  'minio-bucket-init -> minio : TCP 9000',
  'clickhouse -> zookeeper : TCP 2181',
  'clickhouse-operator -> clickhouse : TCP 8123',
  'clickhouse-operator -> internet : TCP 443',
  'clickhouse-operator -> kubernetes-service : TCP 443',
  'clickhouse-operator-crd-hook -> internet : TCP 443',
  'clickhouse-operator-crd-hook -> kubernetes-service : TCP 443',
];
const WORKLOADS = { ...OPIK_WORKLOADS, ...PLATFORM_WORKLOADS };
const withDns = (expected: readonly string[]) =>
  [...expected, ...Object.keys(WORKLOADS).flatMap((w) => [`${w} -> dns : TCP 53`, `${w} -> dns : UDP 53`])].sort();

/** Addresses that name a range: each range the analyzer reports is called after the probes it holds. */
function probes(config: PlatformConfig) {
  const first = (cidr: string, offset: number) => {
    const [start] = cidrRange(cidr);
    const n = start + offset;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  };
  return {
    gateway: first(config.network.appGatewaySubnetCidr, 10),
    vnet: first(config.network.aksSubnetCidr, 10),
    'kubernetes-service': first(config.network.serviceCidr, 1),
    imds: '169.254.169.254',
    'private-range': '192.168.1.10',
    internet: '20.190.160.1', // login.microsoftonline.com's range
  } as const;
}

/** The connections of one environment's synthesized policies; `change` edits the stack JSON first. */
function connectivity(config: PlatformConfig, change?: (policies: Record<string, Record<string, any>>) => void): string[] {
  const namespace = config.application.namespace;
  const json = synthStack(buildStacks(config).application);
  change?.(json.resource.kubernetes_network_policy_v1);
  const policies = networkPoliciesOf(json, namespace);
  const pods = [
    ...Object.entries(WORKLOADS).map(([name, w]) => podObject({ namespace, name, labels: w.labels })),
    podObject({ namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } }),
    // Anything else in the cluster: a team service, and a pod with Opik's own labels elsewhere.
    podObject({ namespace: 'team-service', name: 'any-pod', labels: { app: 'any' } }),
    podObject({ namespace: 'team-service', name: 'lookalike', labels: { ...OPIK_WORKLOADS.backend.labels } }),
  ];
  const objects = [namespaceObject(namespace), namespaceObject('kube-system'), namespaceObject('team-service'), ...policies, ...pods];
  return describeConnections(analyze(ANALYZER!, objects), namespace, probes(config));
}

function describeConnections(connections: readonly Connection[], namespace: string, probe: ReturnType<typeof probes>): string[] {
  const name = (end: string): string[] => {
    const pod = /^([^/]+)\/(.+)\[(\w+)\]$/.exec(end);
    if (pod) return [pod[1] === namespace ? pod[2] : pod[1] === 'kube-system' && pod[2] === 'coredns' ? 'dns' : `${pod[1]}/${pod[2]}`];
    const range = rangeOf(end) ?? (end === '0.0.0.0-255.255.255.255' ? ([0, 2 ** 32 - 1] as [number, number]) : undefined);
    if (!range) throw new Error(`the analyzer printed an end this test cannot read: ${end}`);
    const held = Object.entries(probe).filter(([, ip]) => contains(range, ip)).map(([label]) => label);
    if (held.length > 0) return held;
    // The analyzer splits "the internet" around what it excludes; a piece without a probe is named
    // `internet` only if it holds no private or link-local address.
    if (!NOT_INTERNET.some((cidr) => overlaps(range, cidrRange(cidr)))) return ['internet'];
    throw new Error(`range ${end} holds none of the probe addresses (${Object.values(probe).join(', ')}): add one`);
  };
  const lines = new Set<string>();
  for (const c of connections) {
    const touches = (end: string) => end.startsWith(`${namespace}/`);
    if (!touches(c.src) && !touches(c.dst)) continue;
    const ports = c.conn.split(/;\s*|,(?=\s*(?:TCP|UDP|SCTP))/).flatMap((part) => {
      const m = /^\s*(TCP|UDP|SCTP)\s+(.+)$/.exec(part);
      if (!m) return [part.trim()];
      return m[2].split(',').map((p) => `${m[1]} ${p.trim()}`);
    });
    for (const src of name(c.src)) for (const dst of name(c.dst)) for (const port of ports) lines.add(`${src} -> ${dst} : ${port}`);
  }
  return [...lines].sort();
}

run('Opik namespace connectivity (netpol-analyzer)', () => {
  test.each(['dev', 'prod'])('%s: exactly the designed connections, DNS, nothing else', (environment) => {
    const config = loadCommittedConfig(environment);
    const expected = config.application.autoSsl ? EXPECTED : EXPECTED.filter((l) => !l.includes('acme'));
    expect(connectivity(config)).toEqual(withDns(expected));
  });

  test('no pod of the namespace reaches the instance metadata endpoint, the VNet or another private range', () => {
    for (const environment of ['dev', 'prod']) {
      const lines = connectivity(loadCommittedConfig(environment));
      expect(lines.filter((l) => / -> (imds|vnet|private-range) /.test(l))).toEqual([]);
      // And nothing outside the namespace reaches into it but the gateway.
      expect(lines.filter((l) => /^team-service\//.test(l))).toEqual([]);
    }
  });

  test('llmProviderEgress: false closes the Java backend to the internet, and only that', () => {
    const config = cloneConfig(loadCommittedConfig('dev'));
    config.application.networkPolicy = { llmProviderEgress: false };
    expect(connectivity(config)).toEqual(withDns(EXPECTED.filter((l) => l !== 'backend -> internet : TCP 443')));
  });

  test('a widened policy is caught: MySQL opened to the Python backend (both halves) shows up', () => {
    const selector = (name: keyof typeof WORKLOADS) => ({ match_labels: { ...WORKLOADS[name].labels } });
    const lines = connectivity(loadCommittedConfig('dev'), (policies) => {
      const named = (name: string) => Object.values(policies).find((p) => p.metadata.name === name)!;
      named('allow-mysql').spec.ingress.push({ from: [{ pod_selector: selector('python-backend') }], ports: [{ port: '3306', protocol: 'TCP' }] });
      named('allow-python-backend').spec.egress.push({ to: [{ pod_selector: selector('mysql') }], ports: [{ port: '3306', protocol: 'TCP' }] });
    });
    expect(lines).toContain('python-backend -> mysql : TCP 3306');
    expect(lines).not.toEqual(withDns(EXPECTED));
  });

  test('a policy lost is caught: without allow-backend the UI and the API stop', () => {
    const lines = connectivity(loadCommittedConfig('dev'), (policies) => {
      const [id] = Object.entries(policies).find(([, p]) => p.metadata.name === 'allow-backend')!;
      delete policies[id];
    });
    expect(lines).not.toContain('frontend -> backend : TCP 8080');
    expect(lines).not.toContain('oauth2-proxy -> backend : TCP 8080');
  });
});
