/**
 * NetworkPolicies of a namespace that holds several workloads (Opik: its frontend, backends,
 * databases and sign-in proxy): every packet in and out denied by default, DNS allowed, and then
 * one policy per workload that lets through exactly the flows listed, on their ports. A flow is
 * written once (from, to, ports) and becomes both halves Kubernetes needs inside one namespace:
 * the egress rule of the sender and the ingress rule of the receiver.
 * Enforced by the cluster's network policy engine (cluster.networkPolicy: azure or calico).
 */
import { Construct } from 'constructs';
import {
  NetworkPolicyV1,
  type NetworkPolicyV1SpecEgress,
  type NetworkPolicyV1SpecEgressTo,
  type NetworkPolicyV1SpecIngress,
  type NetworkPolicyV1SpecIngressFrom,
  type NetworkPolicyV1SpecPodSelector,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';

/** Pods of one workload: labels they carry, and labels they must not carry (to tell a server from its Job). */
export interface WorkloadSelector {
  readonly labels: Readonly<Record<string, string>>;
  readonly withoutLabels?: readonly string[];
}

export interface FlowPort {
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

/** An address range outside the namespace: the Application Gateway subnet, or the internet. */
export interface AddressRange {
  readonly cidr: string;
  readonly except?: readonly string[];
  /** Says what the range is, in the generated policy's rule order and in errors. */
  readonly description: string;
}

/** One allowed connection: a workload (by name) or an address range, to a workload or a range. */
export interface Flow {
  readonly from: string | AddressRange;
  readonly to: string | AddressRange;
  readonly ports: readonly FlowPort[];
}

export interface WorkloadNetworkPolicyProps {
  readonly namespace: string;
  /** Workload name -> its pods; names become policy names (`allow-<name>`). */
  readonly workloads: Readonly<Record<string, WorkloadSelector>>;
  readonly flows: readonly Flow[];
}

/** Link-local addresses, the instance metadata endpoint 169.254.169.254 among them. */
export const LINK_LOCAL_RANGE = '169.254.0.0/16';

const sortKeys = <T>(record: Readonly<Record<string, T>>): Record<string, T> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function podSelectorOf(selector: WorkloadSelector): NetworkPolicyV1SpecPodSelector {
  return {
    matchLabels: sortKeys(selector.labels),
    ...(selector.withoutLabels?.length ? { matchExpressions: [...selector.withoutLabels].sort().map((key) => ({ key, operator: 'DoesNotExist' })) } : {}),
  };
}

const portsOf = (ports: readonly FlowPort[]) => ports.map((p) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP' }));

/** Default deny both ways plus DNS to the cluster's resolver, for every pod of the namespace. */
export function defaultDenyWithDns(scope: Construct, namespace: string): { readonly defaultDeny: NetworkPolicyV1; readonly allowDns: NetworkPolicyV1 } {
  const metadata = (name: string) => ({ name, namespace });
  // An empty pod selector selects every pod of the namespace; no rule means nothing passes.
  const defaultDeny = new NetworkPolicyV1(scope, 'default-deny', {
    metadata: metadata('default-deny'),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  const allowDns = new NetworkPolicyV1(scope, 'allow-dns', {
    metadata: metadata('allow-dns'),
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { port: '53', protocol: 'UDP' },
            { port: '53', protocol: 'TCP' },
          ],
        },
      ],
    },
  });
  return { defaultDeny, allowDns };
}

export class WorkloadNetworkPolicy extends Construct {
  readonly defaultDeny: NetworkPolicyV1;
  /** Every policy, default deny and DNS first: what a release must wait for before its pods start. */
  readonly policies: readonly NetworkPolicyV1[];

  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    const names = Object.keys(props.workloads).sort();
    const known = (end: string | AddressRange, field: 'from' | 'to', index: number) => {
      if (typeof end === 'string' && !(end in props.workloads)) {
        throw new Error(`WorkloadNetworkPolicy ${props.namespace}: flows[${index}].${field} names workload '${end}', which is not one of ${names.join(', ')}`);
      }
    };
    props.flows.forEach((flow, index) => {
      known(flow.from, 'from', index);
      known(flow.to, 'to', index);
      if (typeof flow.from !== 'string' && typeof flow.to !== 'string') throw new Error(`WorkloadNetworkPolicy ${props.namespace}: flows[${index}] joins two address ranges`);
      if (flow.ports.length === 0) throw new Error(`WorkloadNetworkPolicy ${props.namespace}: flows[${index}] has no port (a rule without ports allows every port)`);
    });

    const { defaultDeny, allowDns } = defaultDenyWithDns(this, props.namespace);
    this.defaultDeny = defaultDeny;
    const policies: NetworkPolicyV1[] = [defaultDeny, allowDns];

    const peer = (end: string | AddressRange): NetworkPolicyV1SpecIngressFrom & NetworkPolicyV1SpecEgressTo =>
      typeof end === 'string'
        ? { podSelector: podSelectorOf(props.workloads[end]) }
        : { ipBlock: { cidr: end.cidr, ...(end.except?.length ? { except: [...end.except] } : {}) } };

    for (const name of names) {
      const ingress: NetworkPolicyV1SpecIngress[] = props.flows.filter((f) => f.to === name).map((f) => ({ from: [peer(f.from)], ports: portsOf(f.ports) }));
      const egress: NetworkPolicyV1SpecEgress[] = props.flows.filter((f) => f.from === name).map((f) => ({ to: [peer(f.to)], ports: portsOf(f.ports) }));
      if (ingress.length === 0 && egress.length === 0) continue;
      policies.push(
        new NetworkPolicyV1(this, `allow-${name}`, {
          metadata: { name: `allow-${name}`, namespace: props.namespace },
          spec: {
            podSelector: podSelectorOf(props.workloads[name]),
            policyTypes: ['Ingress', 'Egress'],
            ingress,
            egress,
          },
        }),
      );
    }
    this.policies = policies;
  }
}
