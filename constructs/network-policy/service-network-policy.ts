/**
 * NetworkPolicies of one service's namespace: deny every packet in and out by default, then let
 * through only DNS, the path the service is exposed on, and what the environment file lists.
 * Enforced by the cluster's network policy engine (cluster.networkPolicy: azure or calico).
 */
import { Construct } from 'constructs';
import { NetworkPolicyV1, type NetworkPolicyV1SpecEgress, type NetworkPolicyV1SpecIngress } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { defaultDenyWithDns } from './workload-network-policy';

/** Addresses that are not the internet: a rule "to the internet" must not reach the VNet or the cluster. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] as const;
/** Port the cert-manager HTTP-01 solver pod listens on, and the label cert-manager gives it. */
export const ACME_SOLVER = { port: 8089, labels: { 'acme.cert-manager.io/http01-solver': 'true' } } as const;

export interface PeerAllowance {
  /** A namespace by name; absent: the service's own namespace (with podLabels). */
  readonly namespace?: string;
  readonly podLabels?: Readonly<Record<string, string>>;
}

export interface EgressAllowance {
  readonly cidr: string;
  readonly except?: readonly string[];
  readonly ports: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

export interface ServiceNetworkPolicyProps {
  readonly namespace: string;
  /** Labels that select the service's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The container port traffic is allowed to. */
  readonly port: number;
  /** Address ranges allowed to reach the port: the Application Gateway subnet, or the internet. @default - none */
  readonly ingressFromCidrs?: readonly string[];
  /** Pods allowed to reach the port. @default - none */
  readonly ingressFromPeers?: readonly PeerAllowance[];
  /** Destinations the pods may reach besides DNS. @default - none */
  readonly egressTo?: readonly EgressAllowance[];
  /**
   * The Application Gateway subnet, when cert-manager answers HTTP-01 challenges for this
   * namespace: its solver pod runs here and the gateway must reach it.
   * @default - no solver allowance
   */
  readonly acmeSolverFromCidr?: string;
}

const sortedLabels = (labels: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export class ServiceNetworkPolicy extends Construct {
  readonly defaultDeny: NetworkPolicyV1;
  readonly allow: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: ServiceNetworkPolicyProps) {
    super(scope, id);
    const metadata = (name: string) => ({ name, namespace: props.namespace });

    this.defaultDeny = defaultDenyWithDns(this, props.namespace).defaultDeny;

    const port = [{ port: String(props.port), protocol: 'TCP' }];
    const ingress: NetworkPolicyV1SpecIngress[] = [];
    for (const cidr of props.ingressFromCidrs ?? []) ingress.push({ from: [{ ipBlock: { cidr } }], ports: port });
    for (const peer of props.ingressFromPeers ?? []) {
      ingress.push({
        from: [
          {
            ...(peer.namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } } } : {}),
            ...(peer.podLabels ? { podSelector: { matchLabels: sortedLabels(peer.podLabels) } } : {}),
          },
        ],
        ports: port,
      });
    }
    const egress: NetworkPolicyV1SpecEgress[] = (props.egressTo ?? []).map((rule) => ({
      to: [{ ipBlock: { cidr: rule.cidr, ...(rule.except?.length ? { except: [...rule.except] } : {}) } }],
      ports: rule.ports.map((p) => ({ port: String(p.port), protocol: p.protocol })),
    }));
    this.allow = new NetworkPolicyV1(this, 'allow', {
      metadata: metadata('allow-service'),
      spec: {
        podSelector: { matchLabels: sortedLabels(props.podLabels) },
        policyTypes: ['Ingress', 'Egress'],
        ingress,
        egress,
      },
    });

    if (props.acmeSolverFromCidr) {
      new NetworkPolicyV1(this, 'acme-solver', {
        metadata: metadata('allow-acme-http01-solver'),
        spec: {
          podSelector: { matchLabels: { ...ACME_SOLVER.labels } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ ipBlock: { cidr: props.acmeSolverFromCidr } }], ports: [{ port: String(ACME_SOLVER.port), protocol: 'TCP' }] }],
        },
      });
    }
  }
}
