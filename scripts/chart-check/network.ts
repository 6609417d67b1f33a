/**
 * The chart's pods against the NetworkPolicies the stack puts beside them: every rendered pod is
 * picked by exactly one workload selector of the contract (a pod no policy picks gets only the
 * namespace's default deny and cannot work), every selector picks a rendered pod (a stale one
 * leaves its workload cut off), and netpol-analyzer, run over the rendered pods, finds exactly the
 * connections it finds over one stand-in pod per selector (what the network tests prove).
 */
import type { WorkloadSelector } from '../../constructs/network-policy/workload-network-policy';
import { analyze, namespaceObject, podObject, type Connection } from '../../tools/network/connectivity';
import type { CheckResult } from './report';
import { podSpecsOf, ref, type K8sObject } from './manifests';

export interface NetworkCheckInput {
  readonly namespace: string;
  /** The stack's NetworkPolicies of this namespace, as Kubernetes objects. */
  readonly policies: readonly Record<string, unknown>[];
  /** Workload name -> selector, for the chart's workloads. */
  readonly selectors: Readonly<Record<string, WorkloadSelector>>;
  /** Pods in the namespace that are not the chart's (the sign-in proxy...), by workload name. */
  readonly otherPods: Readonly<Record<string, WorkloadSelector>>;
  readonly analyzerBin?: string;
}

const selects = (selector: WorkloadSelector, labels: Readonly<Record<string, string>>) =>
  Object.entries(selector.labels).every(([k, v]) => labels[k] === v) && (selector.withoutLabels ?? []).every((k) => !(k in labels));

/** Each rendered pod template with the labels its pods get; the operator labels ClickHouse's pods itself. */
export function renderedPods(objects: readonly K8sObject[]): { readonly name: string; readonly labels: Record<string, string> }[] {
  return objects.flatMap((o) => {
    if (o.kind === 'ClickHouseInstallation') return [{ name: ref(o), labels: { 'clickhouse.altinity.com/chi': o.metadata.name, 'clickhouse.altinity.com/app': 'chop' } }];
    if (podSpecsOf(o).length === 0) return [];
    const labels = o.kind === 'Pod' ? o.metadata.labels : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.metadata?.labels : o.spec?.template?.metadata?.labels;
    return [{ name: ref(o), labels: { ...(labels ?? {}) } }];
  });
}

export function networkPolicyChecks(objects: readonly K8sObject[], input: NetworkCheckInput): CheckResult[] {
  const pods = renderedPods(objects);
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const pod of pods) {
    const picked = Object.entries(input.selectors).filter(([, s]) => selects(s, pod.labels)).map(([name]) => name);
    if (picked.length !== 1) problems.push(`${pod.name} (${Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ')}) is picked by ${picked.length === 0 ? 'no workload selector: only the default deny applies to it' : `${picked.length} selectors: ${picked.join(', ')}`}`);
    else owner.set(pod.name, picked[0]);
  }
  for (const name of Object.keys(input.selectors)) {
    if (![...owner.values()].includes(name)) problems.push(`selector ${name} picks no rendered pod: its policy is stale and the workload it meant is cut off`);
  }
  const checks: CheckResult[] = [
    {
      name: 'NetworkPolicies pick every pod of the chart, each by one workload',
      status: problems.length === 0 ? 'pass' : 'fail',
      summary: problems.length === 0 ? `${pods.length} pod templates, ${Object.keys(input.selectors).length} workloads` : `${problems.length} problems`,
      details: problems,
    },
  ];
  if (!input.analyzerBin) {
    checks.push({ name: 'connectivity of the rendered pods (netpol-analyzer)', status: 'info', summary: 'skipped: no netpol-analyzer (npm run toolchain)' });
    return checks;
  }
  if (problems.length > 0) return checks;
  const base = [namespaceObject(input.namespace), namespaceObject('kube-system'), ...input.policies, podObject({ namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } })];
  const others = Object.entries(input.otherPods).map(([name, s]) => podObject({ namespace: input.namespace, name, labels: s.labels }));
  const dnsName = (n: string) => n.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
  const real = analyze(input.analyzerBin, [...base, ...others, ...pods.map((p) => podObject({ namespace: input.namespace, name: dnsName(p.name), labels: p.labels }))]);
  const standIn = analyze(input.analyzerBin, [...base, ...others, ...Object.entries(input.selectors).map(([name, s]) => podObject({ namespace: input.namespace, name, labels: s.labels }))]);
  const workloadOf = new Map([...owner].map(([pod, workload]) => [`${input.namespace}/${dnsName(pod)}[Pod]`, `${input.namespace}/${workload}[Pod]`]));
  const lines = (connections: readonly Connection[], rename: (end: string) => string) => new Set(connections.map((c) => `${rename(c.src)} => ${rename(c.dst)} : ${c.conn}`));
  const fromReal = lines(real, (end) => workloadOf.get(end) ?? end);
  const fromStandIn = lines(standIn, (end) => end);
  const onlyReal = [...fromReal].filter((l) => !fromStandIn.has(l)).sort();
  const onlyStandIn = [...fromStandIn].filter((l) => !fromReal.has(l)).sort();
  checks.push({
    name: 'connectivity of the rendered pods equals the tested design (netpol-analyzer)',
    status: onlyReal.length === 0 && onlyStandIn.length === 0 ? 'pass' : 'fail',
    summary: `${fromReal.size} allowed connections`,
    details: [...onlyReal.map((l) => `only with the rendered pods: ${l}`), ...onlyStandIn.map((l) => `only in the tested design: ${l}`)],
  });
  return checks;
}
