/**
 * Lets the cluster attach (and grow) the data disks that live outside its node resource group:
 * the Azure Disk CSI driver acts with the control plane's identity.
 *
 * Why a custom role on the disks' resource group, and not Contributor on each disk: every disk
 * carries a CanNotDelete lock, and Azure refuses to delete anything at a locked scope, role
 * assignments included (`ScopeLocked`). A grant on the disk itself could never be removed, so
 * destroying or rebuilding the cluster stack would stop halfway (the rehearsal found this). A grant
 * on the resource group is outside the lock; the role keeps it to disks only, without delete.
 */
import { Construct } from 'constructs';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { grantRole } from '../core/role-assignment';

/** What the CSI driver does with a disk: read it, attach it (the VM update writes it), resize it. */
export const DATA_DISK_ACTIONS = ['Microsoft.Compute/disks/read', 'Microsoft.Compute/disks/write'] as const;

export interface DataDiskAccessProps {
  /** Object ID of the cluster's control-plane identity. */
  readonly principalId: string;
  /** Name of the custom role; unique in the tenant, so it carries workload and environment. */
  readonly roleName: string;
  /** Resource group IDs that hold the data disks: the main one, and any of adopted disks. */
  readonly resourceGroupIds: readonly string[];
  /**
   * The role's resource ID when it already exists: with `delivery`, the bootstrap's
   * pipeline-identity stack creates it, so the pipeline never writes a role definition.
   * Absent: this construct creates the role.
   */
  readonly existingRoleDefinitionId?: string;
}

export class DataDiskAccess extends Construct {
  /** The role definition, when this construct created it. */
  readonly role?: RoleDefinition;

  constructor(scope: Construct, id: string, props: DataDiskAccessProps) {
    super(scope, id);
    if (!props.existingRoleDefinitionId) {
      this.role = new RoleDefinition(this, 'role', {
        name: props.roleName,
        scope: props.resourceGroupIds[0],
        description: 'Attach and grow Opik data disks (Azure Disk CSI driver); no delete',
        permissions: [{ actions: [...DATA_DISK_ACTIONS], notActions: [] }],
        assignableScopes: [...props.resourceGroupIds],
      });
    }
    const roleDefinitionId = props.existingRoleDefinitionId ?? this.role!.roleDefinitionResourceId;
    props.resourceGroupIds.forEach((resourceGroupId, index) => {
      grantRole(this, `disk-operator-${index}`, {
        principalId: props.principalId,
        roleDefinitionId,
        scope: resourceGroupId,
        reason: 'The Azure Disk CSI driver attaches the data disks in this resource group to the nodes that run them',
      });
    });
  }
}
