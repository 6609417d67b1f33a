/**
 * The rehearsal's scenarios, in the order they run (each builds on the state the previous ones
 * left). Each throws with a message that says what it expected and what it saw; its return value
 * is the one-line detail for the table.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { PlatformConfig } from '../../config/schema';
import { DATA_COMPONENTS, resourceNames, type DataComponent } from '../../constructs/core/naming';
import { setSecret } from '../arm-standin/vault-client';
import { planEnvironment } from '../../scripts/plan/plan-environment';
import { run } from './processes';
import { preventDestroyAddresses, refusalShown } from './terraform-output';
import { OPIK_WORKLOADS } from '../../constructs/opik/chart-contract';
import { PLATFORM_WORKLOADS } from '../../constructs/opik/opik-network-policy';
import { loadToolchain } from '../../scripts/offline-terraform';
import { analyze, namespaceObject, networkPoliciesOf, podObject, type NetworkPolicyObject } from '../network/connectivity';
import { nextPatch, STACK_KINDS, type Rehearsal } from './rehearsal';

export interface Scenario {
  readonly id: number;
  readonly name: string;
  /** Which stacks it touches, for the table. */
  stacks(r: Rehearsal): string;
  run(r: Rehearsal): Promise<string>;
}

const fail = (message: string, output?: { stdout: string; stderr: string }) => {
  const tail = output ? `\n--- output (last lines) ---\n${`${output.stdout}\n${output.stderr}`.trim().split('\n').slice(-40).join('\n')}` : '';
  return new Error(`${message}${tail}`);
};

/** Resources a plan would change, as `address: actions`, leaving out no-ops and reads. */
function changes(plan: any): string[] {
  return (plan.resource_changes ?? [])
    .filter((c: any) => !c.change.actions.every((a: string) => a === 'no-op' || a === 'read'))
    .map((c: any) => `${c.address}: ${c.change.actions.join('+')}`);
}

/** Every stored resource of a type (the stand-in's view of Azure). */
const ofType = (r: Rehearsal, type: string) => r.armStandIn.list().filter((x: any) => String(x.type).toLowerCase() === type.toLowerCase());

async function outputs(r: Rehearsal, stack: string): Promise<Record<string, any>> {
  const out = await r.terraform(stack, ['output', '-json']);
  if (out.code !== 0) throw fail(`terraform output of ${stack} failed`, out);
  return Object.fromEntries(Object.entries<any>(JSON.parse(out.stdout)).map(([k, v]) => [k, v.value]));
}

/** Fails on any request the ARM stand-in could not answer: a scenario must not pass on a 404 it invented. */
function assertAllAnswered(r: Rehearsal): void {
  const unanswered = r.armStandIn.unanswered();
  if (unanswered.length > 0) throw new Error(`the ARM stand-in could not answer ${unanswered.length} request(s): ${unanswered.slice(0, 5).map((u) => `${u.method} ${u.path}?${u.query} (${u.reason})`).join('; ')}`);
}

/**
 * Whether `stack` would change. The user's command, `cdktf diff`, must run clean; the answer comes
 * from Terraform itself, `terraform plan -detailed-exitcode` in the stack folder (0: no change),
 * never from cdktf's wrapped and coloured terminal output. Returns why not, or undefined.
 */
async function pendingChanges(r: Rehearsal, stack: string): Promise<{ why: string; output: { stdout: string; stderr: string } } | undefined> {
  const diff = await r.cdktf(['diff', stack]);
  if (diff.code !== 0) throw fail(`cdktf diff ${stack} exited ${diff.code}`, diff);
  const plan = await r.terraform(stack, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false']);
  if (plan.code === 2) return { why: stack, output: plan };
  if (plan.code !== 0) return { why: `${stack} (terraform plan exit ${plan.code})`, output: plan };
  return undefined;
}

/**
 * The resources Terraform itself refuses to destroy in `stack` as it is synthesized now, from
 * `terraform <plan|plan -destroy>` in the stack folder: every address named by a prevent_destroy
 * error. Empty when Terraform refuses nothing.
 */
async function preventDestroyRefusals(r: Rehearsal, stack: string, destroy = false): Promise<string[]> {
  const plan = await r.terraform(stack, ['plan', ...(destroy ? ['-destroy'] : []), '-input=false', '-no-color', '-lock=false']);
  return preventDestroyAddresses(`${plan.stdout}\n${plan.stderr}`);
}

/**
 * A refused cdktf command told its user why: for every resource Terraform refuses to destroy, the
 * user's output has Terraform's "Instance cannot be destroyed" error naming that resource.
 */
function assertRefusalShown(command: string, output: { stdout: string; stderr: string; code: number }, refused: readonly string[]): void {
  if (output.code === 0) throw fail(`${command} succeeded, but Terraform refuses to destroy ${refused.join(', ') || 'nothing'}`, output);
  if (refused.length === 0) throw fail(`${command} failed, but terraform plan in the stack folder refuses no destroy: the refusal is not prevent_destroy`, output);
  const shown = refusalShown(`${output.stdout}${output.stderr}`, refused);
  if (shown.errors === 0) throw fail(`${command} was refused, but its output does not show Terraform's "Instance cannot be destroyed" error`, output);
  if (shown.notNamed.length) throw fail(`${command} was refused, but its output does not name ${shown.notNamed.join(', ')}, which Terraform refuses to destroy`, output);
}

async function claimsAndVolumes(r: Rehearsal, namespace: string) {
  const pvcs = (await r.kube.api('GET', `/api/v1/namespaces/${namespace}/persistentvolumeclaims`)).body.items as any[];
  const pvs = (await r.kube.api('GET', '/api/v1/persistentvolumes')).body.items as any[];
  return { pvcs, pvs };
}

const allStacks = (r: Rehearsal) => STACK_KINDS.map((k) => r.stack(k));

/** The optional stacks scenario 2 found in the environment, per rehearsal (for the table). */
const optionalStacks = new WeakMap<Rehearsal, string[]>();
const optionalStacksOf = (r: Rehearsal) => optionalStacks.get(r) ?? [];

/** Optional stacks whose state is in the Azure Storage API: deployed, so a plan can read their outputs. */
async function deployedOptionalStacks(r: Rehearsal): Promise<string[]> {
  const blobs = await r.azurite.listBlobs(r.stateContainer);
  return (await r.optionalStacks()).filter((k) => blobs.includes(`${r.environment}/${k}.tfstate`)).map((k) => r.stack(k));
}

const list = async (r: Rehearsal, apiPath: string): Promise<any[]> => {
  const res = await r.kube.api('GET', apiPath);
  if (res.status !== 200) throw new Error(`GET ${apiPath}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body.items;
};

/** Every ConfigMap the monitoring stack's state holds is in the API server, as applied. */
async function checkMonitoringConfigMaps(r: Rehearsal): Promise<string> {
  const show = await r.terraform(r.stack('monitoring'), ['show', '-json']);
  if (show.code !== 0) throw fail(`terraform show of ${r.stack('monitoring')} failed`, show);
  const maps = ((JSON.parse(show.stdout).values?.root_module?.resources ?? []) as any[]).filter((x) => x.type === 'kubernetes_config_map_v1');
  for (const m of maps) {
    const { name, namespace } = m.values.metadata[0];
    const found = await r.kube.api('GET', `/api/v1/namespaces/${namespace}/configmaps/${name}`);
    if (found.status !== 200 || JSON.stringify(found.body.data ?? {}) !== JSON.stringify(m.values.data ?? {})) throw new Error(`${m.address}: ${namespace}/${name} is ${found.status === 200 ? 'not as applied' : 'not in the API server'}`);
  }
  return `monitoring: ${maps.map((m) => `${m.values.metadata[0].namespace}/${m.values.metadata[0].name}`).join(', ') || 'no ConfigMap'} in the API server`;
}

/**
 * One of the team's services as the API server holds it: its namespace enforces Pod Security
 * `restricted` and its pods were admitted there and run; its disruption budget, network policies
 * and (when it autoscales) autoscaler exist; its SecretProviderClass names the vault's secrets but
 * holds none of their values.
 */
async function checkService(r: Rehearsal, svc: PlatformConfig['services'][number], secretValues: readonly string[]): Promise<string> {
  const ns = svc.namespace ?? svc.name;
  const namespace = (await r.kube.api('GET', `/api/v1/namespaces/${ns}`)).body;
  if (namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') throw new Error(`namespace ${ns} does not enforce Pod Security restricted: ${JSON.stringify(namespace.metadata?.labels)}`);
  const selector = encodeURIComponent(`app.kubernetes.io/name=${svc.name}`);
  const want = svc.autoscaling ? svc.autoscaling.minReplicas : (svc.replicas ?? 1);
  const pods = await list(r, `/api/v1/namespaces/${ns}/pods?labelSelector=${selector}`);
  const running = pods.filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName);
  if (running.length < want) {
    const events = (await list(r, `/api/v1/namespaces/${ns}/events`)).map((e) => `${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.reason} ${e.message}`);
    throw new Error(`${svc.name}: ${running.length} of ${want} pods Running in ${ns} (${pods.map((p) => `${p.metadata.name} ${p.status?.phase}`).join(', ') || 'none admitted'}); events: ${events.slice(-5).join(' | ')}`);
  }
  const budgets = await list(r, `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`);
  if (!budgets.some((b) => b.metadata.name === svc.name)) throw new Error(`${svc.name}: no PodDisruptionBudget in ${ns}`);
  const autoscalers = await list(r, `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`);
  if (Boolean(svc.autoscaling) !== autoscalers.some((h) => h.metadata.name === svc.name)) throw new Error(`${svc.name}: autoscaling ${svc.autoscaling ? 'on' : 'off'}, but ${autoscalers.length} HorizontalPodAutoscaler(s) in ${ns}`);
  const policies = await list(r, `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`);
  const denyAll = policies.find((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)));
  const allow = policies.find((p) => p.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === svc.name);
  if (!denyAll || !allow) throw new Error(`${svc.name}: network policies in ${ns} are ${policies.map((p) => p.metadata.name).join(', ') || 'none'}, want a default deny and an allow for the service`);
  const classes = await list(r, `/apis/secrets-store.csi.x-k8s.io/v1/namespaces/${ns}/secretproviderclasses`);
  const files = Object.keys(svc.secrets).length + (svc.applicationInsights ? 1 : 0);
  if (files > 0) {
    const spc = classes.find((c) => c.metadata.name === svc.name);
    if (!spc) throw new Error(`${svc.name}: no SecretProviderClass in ${ns}`);
    const text = JSON.stringify(spc);
    const leaked = secretValues.filter((v) => text.includes(v));
    if (leaked.length || /InstrumentationKey=/.test(text)) throw new Error(`${svc.name}: the SecretProviderClass holds a secret value`);
    const missing = Object.values(svc.secrets).filter((name) => !text.includes(name));
    if (missing.length) throw new Error(`${svc.name}: the SecretProviderClass does not name ${missing.join(', ')}`);
  }
  return `${svc.name}: ${running.length} pod(s) Running in ${ns} (restricted), PDB, ${policies.length} network policies${svc.autoscaling ? ', HPA' : ''}${files ? ', SecretProviderClass without values' : ''}`;
}

/**
 * Opik's NetworkPolicies as the API server holds them, after the kubernetes provider created them:
 * netpol-analyzer must find over them exactly the connections it finds over the synthesized JSON
 * (what __tests__/validate/opik-connectivity.test.ts proves against the design).
 */
async function checkOpikNetworkPolicies(r: Rehearsal): Promise<string> {
  const ns = r.config.application.namespace;
  const analyzer = loadToolchain(path.join(__dirname, '..', '..')).NETPOL_ANALYZER_BIN;
  if (!analyzer) throw new Error('the toolchain has no netpol-analyzer: run `npm run toolchain`');
  const live: NetworkPolicyObject[] = (await list(r, `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`)).map((p) => ({
    apiVersion: 'networking.k8s.io/v1' as const,
    kind: 'NetworkPolicy' as const,
    metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
    spec: p.spec,
  }));
  const json = JSON.parse(fs.readFileSync(path.join(r.work, `cdktf.out.${r.environment}`, 'stacks', r.stack('application'), 'cdk.tf.json'), 'utf8'));
  const synthesized = networkPoliciesOf(json, ns);
  const names = (policies: readonly NetworkPolicyObject[]) => policies.map((p) => p.metadata.name).sort().join(', ');
  if (names(live) !== names(synthesized)) throw new Error(`NetworkPolicies in ${ns}: the API server holds ${names(live)}; the stack synthesized ${names(synthesized)}`);
  const pods = [
    namespaceObject(ns),
    namespaceObject('kube-system'),
    podObject({ namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } }),
    ...Object.entries({ ...OPIK_WORKLOADS, ...PLATFORM_WORKLOADS }).map(([name, w]) => podObject({ namespace: ns, name, labels: w.labels })),
  ];
  const lines = (policies: readonly NetworkPolicyObject[]) => analyze(analyzer, [...pods, ...policies]).map((c) => `${c.src} => ${c.dst} : ${c.conn}`).sort();
  const fromApi = lines(live);
  const fromJson = lines(synthesized);
  const onlyApi = fromApi.filter((l) => !fromJson.includes(l));
  const onlyJson = fromJson.filter((l) => !fromApi.includes(l));
  if (onlyApi.length || onlyJson.length) throw new Error(`netpol-analyzer over the API server's policies differs from the synthesized ones: only live ${onlyApi.join('; ') || '-'}; only synthesized ${onlyJson.join('; ') || '-'}`);
  return `${live.length} NetworkPolicies in ${ns} on the API server, ${fromApi.length} connections (netpol-analyzer), as synthesized`;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 1,
    name: 'First deploy from nothing, in dependency order',
    stacks: (r) => allStacks(r).join(', '),
    async run(r) {
      const deploy = await r.cdktf(['deploy', ...allStacks(r), '--auto-approve']);
      if (deploy.code !== 0) throw fail(`cdktf deploy of ${allStacks(r).join(' ')} exited ${deploy.code}`, deploy);
      assertAllAnswered(r);
      const blobs = await r.azurite.listBlobs(r.stateContainer);
      const expected = STACK_KINDS.map((k) => `${r.environment}/${k}.tfstate`);
      const missing = expected.filter((b) => !blobs.includes(b));
      if (missing.length) throw new Error(`state blobs missing from the Azure Storage API: ${missing.join(', ')} (found ${blobs.join(', ')})`);
      const policies = await checkOpikNetworkPolicies(r);
      return `${allStacks(r).length} stacks applied in ${deploy.seconds.toFixed(0)} s; state blobs ${expected.join(', ')}; ${policies}`;
    },
  },
  {
    id: 2,
    name: "The optional stacks: the team's services and monitoring",
    stacks: (r) => optionalStacksOf(r).join(', ') || '(none in this environment)',
    async run(r) {
      const kinds = await r.optionalStacks();
      optionalStacks.set(r, kinds.map((k) => r.stack(k)));
      if (kinds.length === 0) return 'this environment has no services or monitoring stack';

      // As the README asks: the services' secrets go into Key Vault before the deploy, the way
      // `az keyvault secret set` puts them there (data plane, through the proxy, with a token).
      const vault = resourceNames(r.config).keyVault;
      const values = new Map<string, string>();
      for (const secret of new Set(r.config.services.flatMap((svc) => Object.values(svc.secrets)))) {
        const value = `rehearsal-${randomBytes(18).toString('base64url')}`;
        await setSecret(r.armStandIn, vault, secret, value);
        values.set(secret, value);
      }
      for (const kind of kinds) {
        const deploy = await r.cdktf(['deploy', r.stack(kind), '--auto-approve']);
        if (deploy.code !== 0) throw fail(`cdktf deploy ${r.stack(kind)} exited ${deploy.code}`, deploy);
      }
      assertAllAnswered(r);

      const seen: string[] = [];
      for (const svc of r.config.services) seen.push(await checkService(r, svc, [...values.values()]));
      if (kinds.includes('monitoring')) seen.push(await checkMonitoringConfigMaps(r));
      for (const kind of kinds) {
        const pending = await pendingChanges(r, r.stack(kind));
        if (pending) throw fail(`not idempotent: ${pending.why}`, pending.output);
      }
      assertAllAnswered(r);
      return `${values.size} Key Vault secrets stored first; ${kinds.map((k) => r.stack(k)).join(' and ')} applied; ${seen.join('; ')}; re-plans empty`;
    },
  },
  {
    id: 3,
    name: 'Idempotent: cdktf diff of every stack right after shows no changes',
    stacks: (r) => allStacks(r).join(', '),
    async run(r) {
      for (const stack of allStacks(r)) {
        const pending = await pendingChanges(r, stack);
        if (pending) throw fail(`not idempotent: ${pending.why}`, pending.output);
      }
      assertAllAnswered(r);
      return 'no changes in any stack (cdktf diff and terraform plan -detailed-exitcode)';
    },
  },
  {
    id: 4,
    name: 'State inspection through the backend; consumers read what producers wrote',
    stacks: (r) => allStacks(r).join(', '),
    async run(r) {
      let addresses = 0;
      for (const stack of allStacks(r)) {
        const list = await r.terraform(stack, ['state', 'list']);
        if (list.code !== 0 || !list.stdout.trim()) throw fail(`terraform state list of ${stack} read nothing`, list);
        addresses += list.stdout.trim().split('\n').length;
      }
      const network = r.stack('network');
      const ipAddress = (await r.terraform(network, ['state', 'list'])).stdout.split('\n').find((a) => a.startsWith('azurerm_public_ip.'));
      const show = await r.terraform(network, ['state', 'show', '-no-color', ipAddress!]);
      if (show.code !== 0 || !/ip_address\s+=/.test(show.stdout)) throw fail(`terraform state show ${ipAddress} did not show the address`, show);

      const networkOut = await outputs(r, network);
      const appOut = await outputs(r, r.stack('application'));
      if (!networkOut.public_ip_address || appOut.public_ip_address !== networkOut.public_ip_address) {
        throw new Error(`the gateway IP the application read (${appOut.public_ip_address}) is not the network stack's output (${networkOut.public_ip_address})`);
      }
      const disksOut = await outputs(r, r.stack('data-disks'));
      const appState = JSON.parse((await r.terraform(r.stack('application'), ['show', '-json'])).stdout);
      const remote = (appState.values.root_module.resources as any[]).find((x) => x.address === 'data.terraform_remote_state.remote-state-data-disks');
      for (const c of DATA_COMPONENTS) {
        const produced = disksOut[`${c}_disk_id`];
        const consumed = remote?.values?.outputs?.[`${c}_disk_id`];
        if (!produced || produced !== consumed) throw new Error(`${c}_disk_id: the application read ${consumed}, the data-disks stack wrote ${produced}`);
      }
      return `${addresses} addresses listed from the Azure Storage API; gateway IP ${networkOut.public_ip_address} and ${DATA_COMPONENTS.length} disk IDs equal on both sides`;
    },
  },
  {
    id: 5,
    name: 'Upgrade: a new opikVersion changes only the Opik release',
    stacks: (r) => r.stack('application'),
    async run(r) {
      const next = nextPatch(r.config.application.opikVersion);
      const file = r.writeConfig('upgrade', r.environment, (c) => (c.application.opikVersion = next));
      const plan = await r.planJson(r.stack('application'), file);
      if (plan.error) throw new Error(`plan of the upgrade failed:\n${plan.error.slice(-3000)}`);
      const changed = changes(plan);
      const unexpected = changed.filter((c) => !/^helm_release\.opik_[A-F0-9]+: update$/.test(c));
      if (changed.length !== 1 || unexpected.length) throw new Error(`the upgrade plan changes more than the Opik release: ${changed.join('; ')}`);
      const deploy = await r.cdktf(['deploy', r.stack('application'), '--auto-approve'], file);
      if (deploy.code !== 0) throw fail(`cdktf deploy of the upgrade exited ${deploy.code}`, deploy);
      const release = (await r.kube.api('GET', `/api/v1/namespaces/${r.config.application.namespace}/secrets?labelSelector=owner%3Dhelm,name%3Dopik,status%3Ddeployed`)).body.items as any[];
      const after = await r.planJson(r.stack('application'), file);
      if (after.error || changes(after).length) throw new Error(`after the upgrade the plan is not empty: ${after.error ?? changes(after).join('; ')}`);
      return `${r.config.application.opikVersion} -> ${next}: plan changed only ${changed[0]}; deployed (release revision ${release[0]?.metadata?.labels?.version ?? '?'}); next plan empty`;
    },
  },
  {
    id: 6,
    name: 'Data loss refused: a disk replacement and a destroy stop on prevent_destroy',
    stacks: (r) => `${r.stack('data-disks')}, ${r.stack('application')}`,
    async run(r) {
      const disksBefore = JSON.stringify(ofType(r, 'Microsoft.Compute/disks'));
      const locksBefore = JSON.stringify(ofType(r, 'Microsoft.Authorization/locks'));
      const stateBefore = (await r.terraform(r.stack('data-disks'), ['state', 'pull'])).stdout;
      const zone = replacementZone(r);
      const file = replaceConfig(r);
      const replace = await r.cdktf(['deploy', r.stack('data-disks'), '--auto-approve'], file);
      // The truth from Terraform (the stack folder now holds the zone change), then what the user read.
      const refusedDisks = await preventDestroyRefusals(r, r.stack('data-disks'));
      if (refusedDisks.filter((a) => a.startsWith('azurerm_managed_disk.')).length !== DATA_COMPONENTS.length) throw fail(`terraform plan refuses to destroy ${refusedDisks.join(', ') || 'nothing'}; expected every one of the ${DATA_COMPONENTS.length} data disks`, replace);
      assertRefusalShown(`cdktf deploy ${r.stack('data-disks')} (zone change)`, replace, refusedDisks);

      // Each destroy synthesizes the deployed configuration again, so Terraform is asked about that.
      const destroyApp = await r.cdktf(['destroy', r.stack('application'), '--auto-approve']);
      assertRefusalShown(`cdktf destroy ${r.stack('application')}`, destroyApp, await preventDestroyRefusals(r, r.stack('application'), true));
      const destroyDisks = await r.cdktf(['destroy', r.stack('data-disks'), '--auto-approve']);
      assertRefusalShown(`cdktf destroy ${r.stack('data-disks')}`, destroyDisks, await preventDestroyRefusals(r, r.stack('data-disks'), true));

      const stateAfter = (await r.terraform(r.stack('data-disks'), ['state', 'pull'])).stdout;
      if (JSON.parse(stateAfter).serial !== JSON.parse(stateBefore).serial) throw new Error('the data-disks state changed while every change was refused');
      if (JSON.stringify(ofType(r, 'Microsoft.Compute/disks')) !== disksBefore) throw new Error('a disk changed in Azure while every change was refused');
      if (JSON.stringify(ofType(r, 'Microsoft.Authorization/locks')) !== locksBefore) throw new Error('a delete lock changed while every change was refused');
      const { pvs } = await claimsAndVolumes(r, r.config.application.namespace);
      if (pvs.length < DATA_COMPONENTS.length) throw new Error(`only ${pvs.length} PVs left in the cluster after the refused destroy`);
      return `zone ${r.config.dataDisks.zone} -> ${zone} refused, and the user read Terraform's prevent_destroy error for each of ${refusedDisks.length} resources; destroy of application and data-disks refused, each with its reason shown; disks, locks, state serial and PVs unchanged`;
    },
  },
  {
    id: 7,
    name: "Interrupted deploy converges: the stand-in refuses one disk's lock, the re-run finishes",
    stacks: () => 'network-staging, data-disks-staging',
    async run(r) {
      const file = adoptionConfig(r);
      r.armStandIn.failNext(/\/disks\/[^/]*clickhouse[^/]*\/providers\/Microsoft\.Authorization\/locks\//i, { status: 409, code: 'Conflict', times: 1 });
      const first = await r.cdktf(['deploy', 'network-staging', 'data-disks-staging', '--auto-approve'], file);
      if (first.code === 0) throw fail('the interrupted deploy succeeded: the injected failure never happened', first);
      const second = await r.cdktf(['deploy', 'network-staging', 'data-disks-staging', '--auto-approve'], file);
      if (second.code !== 0) throw fail(`the re-run after the interruption exited ${second.code}`, second);
      const disks = ofType(r, 'Microsoft.Compute/disks').filter((d: any) => /staging|1756776933/.test(d.id));
      const perComponent = Object.fromEntries(DATA_COMPONENTS.map((c) => [c, disks.filter((d: any) => d.name.includes(c)).length]));
      const duplicated = Object.entries(perComponent).filter(([, n]) => n !== 1);
      if (duplicated.length) throw new Error(`not exactly one disk per component after the re-run: ${JSON.stringify(perComponent)}`);
      const plan = await r.planJson('data-disks-staging', file);
      if (plan.error || changes(plan).length) throw new Error(`plan after the re-run is not empty: ${plan.error ?? changes(plan).join('; ')}`);
      return `first run failed on the injected 409 (${first.seconds.toFixed(0)} s), re-run converged (${second.seconds.toFixed(0)} s); one disk per component; plan empty`;
    },
  },
  {
    id: 8,
    name: "Adoption: the script's disk is imported, not replaced",
    stacks: () => 'data-disks-staging',
    async run(r) {
      const id = SCRIPT_DISK_ID;
      const disk = r.armStandIn.get(id);
      if (!disk) throw new Error(`the script's disk ${id} is gone`);
      const state = JSON.parse((await r.terraform('data-disks-staging', ['show', '-json'])).stdout);
      const managed = (state.values.root_module.resources as any[]).filter((x) => x.type === 'azurerm_managed_disk');
      const mysql = managed.find((x) => x.values.id.toLowerCase() === id.toLowerCase());
      if (!mysql) throw new Error(`no disk in data-disks-staging's state has the script's ID; state has ${managed.map((m) => m.values.id).join(', ')}`);
      const mysqlDisks = ofType(r, 'Microsoft.Compute/disks').filter((d: any) => d.name.includes('mysql') && /staging|1756776933/.test(d.id));
      if (mysqlDisks.length !== 1) throw new Error(`expected only the adopted MySQL disk, found ${mysqlDisks.map((d: any) => d.id).join(', ')}`);
      if (disk.zones && disk.zones.length) throw new Error('the adopted disk gained a zone');
      const plan = await r.planJson('data-disks-staging', adoptionConfig(r));
      if (plan.error || changes(plan).length) throw new Error(`plan after adoption is not empty: ${plan.error ?? changes(plan).join('; ')}`);
      return `${mysql.address} holds ${id.split('/').pop()} (regional, its own name); no second MySQL disk; plan empty`;
    },
  },
  {
    id: 9,
    name: "Bound to the right disk: each claim is Bound to the PV of its own component's disk",
    stacks: (r) => `${r.stack('data-disks')}, ${r.stack('application')}`,
    async run(r) {
      const disks = await outputs(r, r.stack('data-disks'));
      const { pvcs, pvs } = await claimsAndVolumes(r, r.config.application.namespace);
      const rows: string[] = [];
      for (const c of DATA_COMPONENTS as readonly DataComponent[]) {
        const pv = pvs.find((p) => p.metadata.labels?.['opik.platform/data-component'] === c);
        if (!pv) throw new Error(`no PV for ${c}`);
        if (pv.spec.csi?.volumeHandle !== disks[`${c}_disk_id`]) throw new Error(`${c}'s PV points at ${pv.spec.csi?.volumeHandle}, its disk is ${disks[`${c}_disk_id`]}`);
        const claim = pvcs.find((p) => p.metadata.name === pv.spec.claimRef?.name);
        if (!claim) throw new Error(`${c}: no claim ${pv.spec.claimRef?.name} exists (is the workload deployed?)`);
        if (claim.status?.phase !== 'Bound' || claim.spec.volumeName !== pv.metadata.name) throw new Error(`${c}: claim ${claim.metadata.name} is ${claim.status?.phase} on ${claim.spec.volumeName}, not Bound to ${pv.metadata.name}`);
        rows.push(`${claim.metadata.name}->${pv.metadata.name}`);
      }
      return rows.join(', ');
    },
  },
  {
    id: 10,
    name: 'Growing a disk: disk, PV and claim grow in place, the API server accepts it',
    stacks: (r) => `${r.stack('data-disks')}, ${r.stack('application')}`,
    async run(r) {
      const file = growConfig(r);
      const disksPlan = await r.planJson(r.stack('data-disks'), file);
      if (disksPlan.error) throw new Error(`plan failed:\n${disksPlan.error.slice(-2000)}`);
      const diskChanges = changes(disksPlan);
      if (diskChanges.length !== 1 || !/^azurerm_managed_disk\..*redis.*: update$/.test(diskChanges[0])) throw new Error(`growing the Redis disk plans ${diskChanges.join('; ')}`);
      for (const stack of [r.stack('data-disks'), r.stack('application')]) {
        const deploy = await r.cdktf(['deploy', stack, '--auto-approve'], file);
        if (deploy.code !== 0) throw fail(`cdktf deploy ${stack} exited ${deploy.code}`, deploy);
      }
      const { pvcs } = await claimsAndVolumes(r, r.config.application.namespace);
      const claim = pvcs.find((p) => p.metadata.name === 'data-opik-redis-master-0');
      const want = `${r.config.dataDisks.disks.redis.sizeGb + 4}Gi`;
      if (claim?.spec.resources.requests.storage !== want || claim.status.phase !== 'Bound') throw new Error(`the Redis claim requests ${claim?.spec.resources.requests.storage} (${claim?.status.phase}), want ${want} and Bound`);
      const appPlan = await r.planJson(r.stack('application'), file);
      if (appPlan.error || changes(appPlan).length) throw new Error(`after growing, the application plan is not empty: ${appPlan.error ?? changes(appPlan).join('; ')}`);
      return `Redis ${r.config.dataDisks.disks.redis.sizeGb} -> ${want}: ${diskChanges[0]}; claim Bound at ${want}; plans empty`;
    },
  },
  {
    id: 11,
    name: 'Plan review: npm run plan reviews every stack, and refuses a disk replacement',
    stacks: (r) => [...allStacks(r), ...optionalStacksOf(r)].join(', '),
    async run(r) {
      // The four stacks scenario 1 deployed, and the optional ones scenario 2 deployed: a stack
      // never deployed has no outputs, and its consumers' plans could not read them.
      const reviewed = [...allStacks(r), ...(await deployedOptionalStacks(r))];
      const plan = (configFile: string, name: string) =>
        planEnvironment({
          root: path.join(__dirname, '..', '..'),
          environment: r.environment,
          configFile,
          stacks: reviewed,
          app: r.app,
          env: { ...process.env, ...r.commandEnv },
          terraform: r.terraformBinary,
          outDir: path.join(r.work, 'plans', name),
        });
      const current = await plan(growConfig(r), 'current');
      const changed = current.stacks.filter((s) => s.terraformError || s.review.changes.some((c) => c.action !== 'no-op'));
      if (current.refused || changed.length) throw new Error(`the review of the deployed configuration is not clean:\n${current.text.slice(-3000)}`);
      if (current.stacks.length !== reviewed.length) throw new Error(`reviewed ${current.stacks.map((x) => x.stack).join(', ')}, want ${reviewed.join(', ')}`);
      const replace = await plan(replaceConfig(r), 'replace');
      const disks = replace.stacks.find((s) => s.stack === r.stack('data-disks'));
      if (!replace.refused || !disks?.terraformError || !/prevent_destroy|cannot be destroyed/.test(disks.terraformError.replace(/\s+/g, ' '))) throw new Error(`the review did not refuse the disk replacement:\n${replace.text.slice(-3000)}`);
      if (!/Terraform refused to plan/.test(replace.markdown)) throw new Error('the pull-request review does not say Terraform refused the plan');
      const root = path.join(__dirname, '..', '..');
      const preflight = await run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'preflight.ts'), r.environment], { cwd: root, env: { ...process.env, ...r.commandEnv } });
      if (preflight.code !== 0 || !/is ready/.test(preflight.stdout)) throw fail('npm run preflight did not find the state storage ready', preflight);
      return `preflight ready; ${current.stacks.length} stacks reviewed, no change; the zone change refused in ${r.stack('data-disks')} (prevent_destroy), said in the text and Markdown reviews`;
    },
  },
  {
    id: 12,
    name: 'apply:reviewed applies exactly the reviewed plan, and refuses a swapped plan file and one the world moved past',
    stacks: (r) => r.stack('application'),
    async run(r) {
      const root = path.join(__dirname, '..', '..');
      const env = { ...process.env, ...r.commandEnv };
      const withFrontend = (name: string, replicas: number) =>
        r.writeConfig(name, r.environment, (c) => {
          c.application.opikVersion = nextPatch(r.config.application.opikVersion);
          c.dataDisks.disks.redis.sizeGb += 4;
          c.application.replicas = { ...(c.application.replicas ?? {}), frontend: replicas };
        });
      const plan = (configFile: string, name: string) =>
        planEnvironment({ root, environment: r.environment, configFile, stacks: ['application'], app: r.app, env, terraform: r.terraformBinary, outDir: path.join(r.work, 'plans', name) });
      const applyReviewed = (dir: string, configFile: string) =>
        run(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'apply-reviewed.ts'), r.environment, '--plans', dir, '--config', configFile], { cwd: root, env });

      const two = withFrontend('frontend-2', 2);
      const reviewed = await plan(two, 'frontend-2');
      const changed = reviewed.stacks[0].review.changes.filter((c) => c.action !== 'no-op').map((c) => c.address);
      if (reviewed.refused || changed.length !== 1 || !changed[0].startsWith('helm_release.opik_')) throw new Error(`unexpected review of the replica change: ${changed.join(', ')}`);
      const applied = await applyReviewed(path.join(r.work, 'plans', 'frontend-2'), two);
      if (applied.code !== 0) throw fail(`apply:reviewed of the reviewed plan exited ${applied.code}`, applied);
      const after = await plan(two, 'frontend-2-after');
      if (after.stacks[0].review.changes.some((c) => c.action !== 'no-op')) throw new Error('after apply:reviewed the plan is not empty');

      // Reviewed: 3 frontends, with the binary plan of 6 frontends beside the JSON, as a pull-request
      // run could ship it. Refused, and nothing applied: the release still runs the 2 it had.
      const three = withFrontend('frontend-3', 3);
      await plan(three, 'frontend-3');
      await plan(withFrontend('frontend-6', 6), 'frontend-6');
      const tampered = path.join(r.work, 'plans', 'tampered');
      fs.cpSync(path.join(r.work, 'plans', 'frontend-3'), tampered, { recursive: true });
      fs.copyFileSync(path.join(r.work, 'plans', 'frontend-6', r.environment, `${r.stack('application')}.tfplan`), path.join(tampered, r.environment, `${r.stack('application')}.tfplan`));
      const forged = await applyReviewed(tampered, three);
      if (forged.code === 0 || !/does not show the reviewed changes/.test(forged.stderr)) throw fail('apply:reviewed went on with a plan file that is not the reviewed plan', forged);
      const stillTwo = await plan(two, 'frontend-2-after-tamper');
      if (stillTwo.stacks[0].review.changes.some((c) => c.action !== 'no-op')) throw new Error('after the refused tampered plan the deployed release is no longer the reviewed 2-frontend one');

      // Reviewed: 3 frontends. Meanwhile someone deploys 4. The reviewed plan must not be applied.
      const meanwhile = await r.cdktf(['deploy', r.stack('application'), '--auto-approve'], withFrontend('frontend-4', 4));
      if (meanwhile.code !== 0) throw fail('the deploy in between failed', meanwhile);
      const refused = await applyReviewed(path.join(r.work, 'plans', 'frontend-3'), three);
      if (refused.code === 0 || !/differs from the reviewed one/.test(refused.stderr)) throw fail('apply:reviewed applied a plan the state had moved past', refused);
      return 'the reviewed replica change applied (a fresh plan), next plan empty; a plan file swapped for another change refused, nothing applied; a reviewed plan overtaken by another deploy refused';
    },
  },
  {
    id: 13,
    name: 'Tearing the cluster down leaves every disk and its lock in place',
    stacks: (r) => r.stack('cluster-and-registry'),
    async run(r) {
      const disksBefore = JSON.stringify(ofType(r, 'Microsoft.Compute/disks'));
      const locksBefore = JSON.stringify(ofType(r, 'Microsoft.Authorization/locks'));
      const destroy = await r.cdktf(['destroy', r.stack('cluster-and-registry'), '--auto-approve']);
      if (destroy.code !== 0) throw fail(`cdktf destroy ${r.stack('cluster-and-registry')} exited ${destroy.code}`, destroy);
      assertAllAnswered(r);
      const clusters = ofType(r, 'Microsoft.ContainerService/managedClusters');
      if (clusters.length) throw new Error(`the cluster is still there: ${clusters.map((c: any) => c.id).join(', ')}`);
      if (JSON.stringify(ofType(r, 'Microsoft.Compute/disks')) !== disksBefore) throw new Error('a disk changed when the cluster was torn down');
      if (JSON.stringify(ofType(r, 'Microsoft.Authorization/locks')) !== locksBefore) throw new Error('a delete lock changed when the cluster was torn down');
      return `cluster stack destroyed in ${destroy.seconds.toFixed(0)} s; ${JSON.parse(disksBefore).length} disks and ${JSON.parse(locksBefore).length} locks unchanged`;
    },
  },
];

/** A zone the disks are not in: moving them there would replace every disk. */
const replacementZone = (r: Rehearsal) => (String(r.config.dataDisks.zone ?? '1') === '1' ? 2 : 1);

function replaceConfig(r: Rehearsal): string {
  const zone = replacementZone(r);
  return r.writeConfig('replace', r.environment, (c) => {
    c.dataDisks.zone = zone;
    c.cluster.userNodePool.zones = [...new Set([...(c.cluster.userNodePool.zones ?? []), zone])];
  });
}

/** The configuration after the upgrade (5) and the grown Redis disk (10): what is deployed from then on. */
function growConfig(r: Rehearsal): string {
  return r.writeConfig('grow', r.environment, (c) => {
    c.application.opikVersion = nextPatch(r.config.application.opikVersion);
    c.dataDisks.disks.redis.sizeGb += 4;
  });
}

/** A disk made the way the old script made it: its own timestamped name, no zone, no tags. */
export const SCRIPT_DISK_ID = '/subscriptions/00000000-1111-4000-8000-000000000001/resourceGroups/opik-rg/providers/Microsoft.Compute/disks/opik-mysql-data-1756776933';

/** staging, adopting the script's MySQL disk: regional disks and a user pool without zones. */
function adoptionConfig(r: Rehearsal): string {
  return r.writeConfig('adopt', 'staging', (c) => {
    c.dataDisks.existingDiskIds = { mysql: SCRIPT_DISK_ID };
    c.dataDisks.zone = null;
    c.dataDisks.skuName = 'Premium_LRS';
    c.dataDisks.disks.mysql = { sizeGb: 64, zone: null };
    c.cluster.userNodePool.zones = [];
  });
}

/** Puts the script's disk (and its resource group) into the stand-in before the scenarios run. */
export function seedScriptDisk(r: Rehearsal): void {
  r.armStandIn.put('/subscriptions/00000000-1111-4000-8000-000000000001/resourceGroups/opik-rg', { location: r.config.location });
  r.armStandIn.put(SCRIPT_DISK_ID, {
    location: r.config.location,
    sku: { name: 'Premium_LRS' },
    properties: { creationData: { createOption: 'Empty' }, diskSizeGB: 64, diskState: 'Unattached', networkAccessPolicy: 'AllowAll', publicNetworkAccess: 'Enabled' },
  });
}
