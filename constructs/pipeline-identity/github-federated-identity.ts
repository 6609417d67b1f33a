/**
 * A user-assigned managed identity that GitHub Actions signs in as with OIDC: no client secret
 * exists. Each federated credential trusts one subject (a GitHub environment, pull requests, a
 * branch); the identity's roles are its grants, each with its reason.
 */
import { Construct } from 'constructs';
import type { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { grantRole, type RoleGrant } from '../core/role-assignment';
import { federatedIdentity } from '../managed-identity/federated-identity';
import { GITHUB_OIDC_ISSUER } from './pipeline-access';

export interface GithubFederatedIdentityProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Federated credential name -> the GitHub OIDC subject it trusts. */
  readonly subjects: Readonly<Record<string, string>>;
  /** Its roles; `principalId` is filled in. Keyed by a stable id. */
  readonly grants: Readonly<Record<string, Omit<RoleGrant, 'principalId'>>>;
}

export class GithubFederatedIdentity extends Construct {
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: GithubFederatedIdentityProps) {
    super(scope, id);
    this.identity = federatedIdentity(this, {
      id: 'Resource',
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      issuer: GITHUB_OIDC_ISSUER,
      credentials: Object.entries(props.subjects).map(([credential, subject]) => ({ id: `federation-${credential}`, name: credential, subject })),
    });

    for (const [grantId, grant] of Object.entries(props.grants)) {
      grantRole(this, grantId, { ...grant, principalId: this.identity.principalId });
    }
  }
}
