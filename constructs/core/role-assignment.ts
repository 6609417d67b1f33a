/**
 * The one helper for Azure role assignments, so every grant in the project is written the same
 * way and can be found by searching for `grantRole`.
 */
import { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';

export interface RoleGrant {
  /** Object ID of the identity that receives the role. */
  readonly principalId: string;
  /** Built-in role name, for example `Network Contributor`; or give `roleDefinitionId`. */
  readonly role?: string;
  /** A custom role's resource ID, instead of a built-in role's name. */
  readonly roleDefinitionId?: string;
  /** Resource ID the role applies to; keep it as narrow as the job allows. */
  readonly scope: string;
  /** Why the identity needs it; becomes the assignment's description in Azure. */
  readonly reason: string;
  /**
   * Whether the principal is a managed identity created in the same deploy. Then the Entra
   * lookup is skipped, since it fails while a new identity is still replicating. Leave it
   * false for people and groups, whose type Azure must look up itself.
   * @default true
   */
  readonly managedIdentity?: boolean;
  /**
   * An Azure ABAC condition (version 2.0) that narrows the role, for example which roles a User
   * Access Administrator may assign, or which blob paths a Storage Blob Data role reaches.
   */
  readonly condition?: string;
}

export function grantRole(scope: Construct, id: string, grant: RoleGrant): RoleAssignment {
  return new RoleAssignment(scope, id, {
    principalId: grant.principalId,
    ...(grant.roleDefinitionId ? { roleDefinitionId: grant.roleDefinitionId } : { roleDefinitionName: grant.role }),
    scope: grant.scope,
    description: grant.reason,
    ...(grant.condition ? { condition: grant.condition, conditionVersion: '2.0' } : {}),
    ...((grant.managedIdentity ?? true) ? { principalType: 'ServicePrincipal', skipServicePrincipalAadCheck: true } : {}),
  });
}
