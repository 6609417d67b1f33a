/**
 * The namespace Opik, its databases and its sign-in proxy run in, with Pod Security Admission.
 *
 * Enforced level `baseline`, not `restricted`: the chart's subcharts (MySQL, ZooKeeper, Redis,
 * MinIO, the ClickHouse operator's pods) do not all set the seccomp profile, non-root user and
 * dropped capabilities that `restricted` demands, and patching every one of them through values
 * is fragile across chart versions. `baseline` still forbids privileged containers, host
 * namespaces, host paths and added capabilities. `restricted` is warned and audited, so the gap
 * stays visible in `kubectl` output and the audit log. The chart's python-backend asks for
 * `privileged: true` (for the docker executor strategy, which we do not use); the release turns
 * that off, see opik-release.ts.
 */
import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface OpikNamespaceProps {
  readonly name: string;
  /** @default 'baseline' */
  readonly enforce?: PodSecurityLevel;
  /** @default 'restricted' */
  readonly warn?: PodSecurityLevel;
}

export class OpikNamespace extends Construct {
  readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, props: OpikNamespaceProps) {
    super(scope, id);
    const enforce = props.enforce ?? 'baseline';
    const warn = props.warn ?? 'restricted';
    this.namespace = new NamespaceV1(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          'pod-security.kubernetes.io/enforce': enforce,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': warn,
          'pod-security.kubernetes.io/warn-version': 'latest',
          'pod-security.kubernetes.io/audit': warn,
          'pod-security.kubernetes.io/audit-version': 'latest',
        },
      },
      // Deleting the namespace deletes every PVC in it; the PVs are Retain, but the workloads would
      // lose their claims. Never by Terraform.
      lifecycle: { preventDestroy: true },
    });
  }

  get name(): string {
    return this.namespace.metadata.name;
  }
}
