/**
 * Azure Policy's built-in initiative "Kubernetes cluster pod security baseline standards for
 * Linux-based workloads" (policy set a8640138-9b0a-4a28-b8cb-1666c838647d: no privileged
 * containers, host namespaces, host ports, added capabilities or host paths) assigned to the
 * cluster, enforced by the Azure Policy add-on (Gatekeeper) the cluster runs. A second line behind
 * the namespaces' Pod Security Admission labels, and one an administrator sees in Azure Policy's
 * compliance view for every namespace, including those a team creates by hand.
 */
import { Construct } from 'constructs';
import { ResourcePolicyAssignment } from '@cdktf/provider-azurerm/lib/resource-policy-assignment';

export const POD_SECURITY_BASELINE_INITIATIVE = '/providers/Microsoft.Authorization/policySetDefinitions/a8640138-9b0a-4a28-b8cb-1666c838647d';
/** The initiative's own default exclusions (system namespaces), kept when we add ours. */
export const SYSTEM_NAMESPACES = ['kube-system', 'gatekeeper-system', 'azure-arc'] as const;

export interface PodSecurityPolicyProps {
  readonly name: string;
  readonly clusterId: string;
  readonly effect: 'audit' | 'deny';
  /** Namespaces beyond the system ones that may run what baseline forbids (the GPU device plugin's hostPath). */
  readonly excludedNamespaces?: readonly string[];
}

export class PodSecurityPolicy extends Construct {
  readonly assignment: ResourcePolicyAssignment;

  constructor(scope: Construct, id: string, props: PodSecurityPolicyProps) {
    super(scope, id);
    this.assignment = new ResourcePolicyAssignment(this, 'Resource', {
      name: props.name,
      resourceId: props.clusterId,
      policyDefinitionId: POD_SECURITY_BASELINE_INITIATIVE,
      displayName: 'Kubernetes cluster pod security baseline standards for Linux-based workloads',
      description: `Pod security baseline, ${props.effect} (the environment file's cluster.podSecurityBaselinePolicy)`,
      parameters: JSON.stringify({
        effect: { value: props.effect },
        excludedNamespaces: { value: [...SYSTEM_NAMESPACES, ...(props.excludedNamespaces ?? [])] },
      }),
    });
  }
}
