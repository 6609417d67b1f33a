/**
 * Lets the cluster attach the data disks that live outside its node resource group: the Azure
 * Disk CSI driver acts with the control plane's identity, which needs Contributor on each disk.
 * Scoped to the disks themselves rather than their whole resource group.
 */
import { Construct } from 'constructs';
import { grantRole } from '../core/role-assignment';

export interface DataDiskAccessProps {
  /** Object ID of the cluster's control-plane identity. */
  readonly principalId: string;
  /** Disk resource IDs by component. */
  readonly diskIds: Readonly<Record<string, string>>;
}

export class DataDiskAccess extends Construct {
  constructor(scope: Construct, id: string, props: DataDiskAccessProps) {
    super(scope, id);
    for (const [component, diskId] of Object.entries(props.diskIds)) {
      grantRole(this, `disk-contributor-${component}`, {
        principalId: props.principalId,
        role: 'Contributor',
        scope: diskId,
        reason: `The Azure Disk CSI driver attaches the ${component} data disk to the node that runs it`,
      });
    }
  }
}
