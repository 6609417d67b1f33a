/**
 * A Kubernetes service account that signs in to Azure as a user-assigned managed identity
 * (AKS workload identity): the identity trusts tokens the cluster's OIDC issuer signs for exactly
 * `system:serviceaccount:<namespace>:<name>`, so no client secret exists anywhere. The identity
 * may read only the Key Vault secrets it is given, each by its own role assignment scoped to that
 * secret (Key Vault RBAC accepts a single secret as scope), never the whole vault.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { grantRole } from '../core/role-assignment';
import { federatedIdentity } from '../managed-identity/federated-identity';

export interface WorkloadIdentityProps {
  /** Managed identity name (constructs/core/naming.ts). */
  readonly identityName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The cluster's OIDC issuer URL (cluster stack output oidc_issuer_url). */
  readonly oidcIssuerUrl: string;
  /** The namespace's name as a literal: it is part of the federated subject, known before apply. */
  readonly namespace: string;
  readonly serviceAccountName: string;
  /**
   * Key Vault secrets the identity may read (Key Vault Secrets User on each), by name: the ARM ID
   * of each, `<vault ID>/secrets/<name>`. Pass a secret created in the same stack by its
   * `resourceVersionlessId`, so the grant waits for the secret (a scope must exist).
   */
  readonly secretScopes: Readonly<Record<string, string>>;
  /** Labels of the service account. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The namespace object the service account goes into. */
  readonly dependsOn?: ITerraformDependable[];
}

export class WorkloadIdentity extends Construct {
  readonly identity: UserAssignedIdentity;
  readonly serviceAccount: ServiceAccountV1;
  /** One per secret; a pod that mounts the secrets must wait for these. */
  readonly secretGrants: RoleAssignment[];

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.identity = federatedIdentity(this, {
      id: 'Resource',
      name: props.identityName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      issuer: props.oidcIssuerUrl,
      credentials: [
        { id: 'federation', name: `${props.namespace}-${props.serviceAccountName}`, subject: `system:serviceaccount:${props.namespace}:${props.serviceAccountName}` },
      ],
    });
    this.secretGrants = Object.entries(props.secretScopes)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([secretName, scope]) =>
        grantRole(this, `secret-${secretName}`, {
          principalId: this.identity.principalId,
          role: 'Key Vault Secrets User',
          scope,
          reason: `Pods of service account ${props.namespace}/${props.serviceAccountName} read this one secret`,
        }),
      );
    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: {
        name: props.serviceAccountName,
        namespace: props.namespace,
        labels: { ...props.labels },
        annotations: { 'azure.workload.identity/client-id': this.identity.clientId },
      },
      // The CSI driver requests its own token for this account; the pods need none mounted.
      automountServiceAccountToken: false,
      dependsOn: props.dependsOn,
    });
  }
}
