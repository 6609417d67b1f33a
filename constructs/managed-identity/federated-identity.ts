/**
 * A user-assigned managed identity that signs in with tokens from an OIDC issuer it trusts
 * (federated credentials), so no client secret exists anywhere. Used by the AKS workloads (the
 * cluster's issuer: the team's services, external-dns) and by GitHub Actions (GitHub's issuer).
 *
 * A function, not a construct: it creates the identity and its credentials directly in the
 * caller's scope under the ids the caller gives, so each caller keeps the Terraform addresses it
 * has always had.
 */
import { Construct } from 'constructs';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';

/** The audience Entra ID expects in every federated token (AKS workload identity and GitHub alike). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export interface FederatedCredentialSpec {
  /** Construct id of the credential in the caller's scope. */
  readonly id: string;
  /** The credential's name in Azure. */
  readonly name: string;
  /** The token subject it trusts, e.g. `system:serviceaccount:<ns>:<sa>` or `repo:<owner>/<repo>:environment:<env>`. */
  readonly subject: string;
}

export interface FederatedIdentityProps {
  /** Construct id of the identity in the caller's scope. */
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The OIDC issuer whose tokens the credentials trust. */
  readonly issuer: string;
  readonly credentials: readonly FederatedCredentialSpec[];
}

export function federatedIdentity(scope: Construct, props: FederatedIdentityProps): UserAssignedIdentity {
  const identity = new UserAssignedIdentity(scope, props.id, {
    name: props.name,
    resourceGroupName: props.resourceGroupName,
    location: props.location,
  });
  // Azure refuses concurrent writes of federated credentials on one identity
  // (ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity): one after another.
  let previous: FederatedIdentityCredential | undefined;
  for (const credential of props.credentials) {
    previous = new FederatedIdentityCredential(scope, credential.id, {
      name: credential.name,
      resourceGroupName: props.resourceGroupName,
      parentId: identity.id,
      issuer: props.issuer,
      subject: credential.subject,
      audience: [TOKEN_EXCHANGE_AUDIENCE],
      ...(previous ? { dependsOn: [previous] } : {}),
    });
  }
  return identity;
}
