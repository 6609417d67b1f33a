/**
 * Who may talk to whom in Opik's namespace. Everything else is denied, both ways:
 * - the Application Gateway's subnet reaches oauth2-proxy (and cert-manager's HTTP-01 solver), nothing else;
 * - oauth2-proxy reaches the frontend and the two backends on the paths it routes, and its session store;
 * - the frontend's nginx reaches the Java backend (API and swagger);
 * - the two backends reach each other (evaluators, and the Python backend's Opik client);
 * - each database is reached only by the workloads that use it, on its port;
 * - the internet (never a private range, never 169.254.0.0/16, so not the instance metadata
 *   endpoint) on 443 only for oauth2-proxy (Entra ID), the Java backend (the LLM providers its
 *   playground and online evaluation call; `application.networkPolicy.llmProviderEgress`) and the
 *   ClickHouse operator and its CRD hook (the Kubernetes API server, whose public address AKS does
 *   not publish in advance);
 * - the Python backend, which runs user code in subprocesses (its sandbox), reaches only Redis and
 *   the Java backend: no internet, no metadata endpoint, no database.
 * Workload identity does not need IMDS (it uses the projected service account token), so no pod
 * here is allowed 169.254.169.254.
 *
 * Proven with np-guard's netpol-analyzer on the synthesized policies and the chart's pods
 * (__tests__/network/opik-connectivity.test.ts, `npm run check:chart` with the real chart).
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { LINK_LOCAL_RANGE, WorkloadNetworkPolicy, type AddressRange, type Flow, type WorkloadSelector } from '../network-policy/workload-network-policy';
import { ACME_SOLVER, PRIVATE_RANGES } from '../network-policy/service-network-policy';
import { OAUTH2_PROXY_PODS } from '../oauth2-proxy/oauth2-proxy';
import { SESSION_STORE_PODS } from '../oauth2-proxy/session-store';
import { OPIK_PORTS, OPIK_WORKLOADS, type OpikWorkload } from './chart-contract';

/** Workloads of Opik's namespace that are not the chart's: the sign-in proxy and its sessions, cert-manager's solver. */
export const PLATFORM_WORKLOADS = {
  'oauth2-proxy': { labels: OAUTH2_PROXY_PODS.labels },
  'oauth2-proxy-sessions': { labels: SESSION_STORE_PODS.labels },
  'acme-http01-solver': { labels: ACME_SOLVER.labels },
} as const satisfies Readonly<Record<string, WorkloadSelector>>;
export type OpikNamespaceWorkload = OpikWorkload | keyof typeof PLATFORM_WORKLOADS;

export interface OpikNetworkPolicyProps {
  readonly namespace: string;
  /** The Application Gateway's subnet: the only source of traffic from outside the namespace. */
  readonly appGatewaySubnetCidr: string;
  /** The cluster's service CIDR: the `kubernetes` Service address the operator may reach the API server by. */
  readonly serviceCidr: string;
  /** cert-manager answers HTTP-01 challenges for Opik's host (autoSsl). */
  readonly acmeSolver: boolean;
  /** The Java backend may call LLM providers on the internet (443). */
  readonly llmProviderEgress: boolean;
}

/** The internet on HTTPS: no private range (the VNet, peered networks), no link-local (IMDS). */
export const INTERNET: AddressRange = { cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES, LINK_LOCAL_RANGE], description: 'the internet' };
const HTTPS = [{ port: 443 }];

/** The allowed flows; exported so tests can state what they expect and find what is missing. */
export function opikFlows(props: Omit<OpikNetworkPolicyProps, 'namespace'>): Flow[] {
  const gateway: AddressRange = { cidr: props.appGatewaySubnetCidr, description: 'the Application Gateway subnet' };
  const apiServer: AddressRange = { cidr: props.serviceCidr, description: 'the kubernetes Service' };
  const p = OPIK_PORTS;
  const flow = (from: OpikNamespaceWorkload | AddressRange, to: OpikNamespaceWorkload | AddressRange, ...ports: number[]): Flow => ({ from, to, ports: ports.map((port) => ({ port })) });
  return [
    flow(gateway, 'oauth2-proxy', OAUTH2_PROXY_PODS.port),
    ...(props.acmeSolver ? [flow(gateway, 'acme-http01-solver', ACME_SOLVER.port)] : []),
    flow('oauth2-proxy', 'frontend', p.frontend),
    flow('oauth2-proxy', 'backend', p.backend),
    flow('oauth2-proxy', 'python-backend', p.pythonBackend),
    flow('oauth2-proxy', 'oauth2-proxy-sessions', SESSION_STORE_PODS.port),
    flow('oauth2-proxy', INTERNET, ...HTTPS.map((h) => h.port)),
    flow('frontend', 'backend', p.backend, p.backendSwagger),
    flow('backend', 'python-backend', p.pythonBackend),
    flow('python-backend', 'backend', p.backend),
    flow('backend', 'mysql', p.mysql),
    flow('backend', 'clickhouse', p.clickhouseHttp),
    flow('backend', 'redis', p.redis),
    flow('backend', 'minio', p.minio),
    ...(props.llmProviderEgress ? [flow('backend', INTERNET, 443)] : []),
    flow('python-backend', 'redis', p.redis),
    flow('minio-bucket-init', 'minio', p.minio),
    flow('clickhouse', 'zookeeper', p.zookeeper),
    flow('clickhouse-operator', 'clickhouse', p.clickhouseHttp),
    flow('clickhouse-operator', INTERNET, 443),
    flow('clickhouse-operator', apiServer, 443),
    flow('clickhouse-operator-crd-hook', INTERNET, 443),
    flow('clickhouse-operator-crd-hook', apiServer, 443),
  ];
}

export class OpikNetworkPolicy extends Construct {
  /** What the releases in the namespace depend on, so no pod starts before its allowances exist. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OpikNetworkPolicyProps) {
    super(scope, id);
    const policy = new WorkloadNetworkPolicy(this, 'Resource', {
      namespace: props.namespace,
      workloads: { ...OPIK_WORKLOADS, ...PLATFORM_WORKLOADS },
      flows: opikFlows(props),
    });
    this.dependables = policy.policies;
  }
}
