/**
 * One managed disk that holds one data component's data (MySQL, ClickHouse, MinIO, Redis or
 * ZooKeeper). It lives in the main resource group, never in the cluster's node resource group,
 * so deleting the cluster, its stack or its node resource group cannot touch it.
 *
 * Three locks keep it alive: Terraform's prevent_destroy (a plan that would delete or replace
 * it fails), an Azure CanNotDelete lock (the portal, the CLI and scripts cannot delete it), and
 * a stable name (no re-run ever creates a second disk beside it).
 */
import { Construct } from 'constructs';
import { ManagedDisk } from '@cdktf/provider-azurerm/lib/managed-disk';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import type { DataComponent } from '../core/naming';

export type DiskSku = 'Premium_LRS' | 'StandardSSD_LRS' | 'Premium_ZRS' | 'StandardSSD_ZRS' | 'PremiumV2_LRS';

export interface DataDiskProps {
  readonly component: DataComponent;
  /** Name of a new disk; ignored when adopting, where the existing disk's name is kept. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly sizeGb: number;
  readonly skuName: DiskSku;
  /** Availability zone, or null for a regional or zone-redundant disk. */
  readonly zone: string | null;
  /** Resource ID of an existing disk to import instead of creating one. */
  readonly existingDiskId?: string;
  /** @default true */
  readonly deleteLock?: boolean;
}

/** Name and resource group of a disk, read from its resource ID. */
export function parseDiskId(diskId: string): { resourceGroupName: string; name: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/disks\/([^/]+)$/i.exec(diskId);
  if (!match) throw new Error(`not a managed disk resource ID: ${diskId}`);
  return { resourceGroupName: match[1], name: match[2] };
}

export class DataDisk extends Construct {
  readonly disk: ManagedDisk;
  readonly zone: string | null;

  constructor(scope: Construct, id: string, props: DataDiskProps) {
    super(scope, id);
    const adopted = props.existingDiskId ? parseDiskId(props.existingDiskId) : undefined;
    this.zone = props.zone;

    this.disk = new ManagedDisk(this, 'Resource', {
      name: adopted?.name ?? props.name,
      resourceGroupName: adopted?.resourceGroupName ?? props.resourceGroupName,
      location: props.location,
      storageAccountType: props.skuName,
      diskSizeGb: props.sizeGb,
      createOption: 'Empty',
      zone: props.zone ?? undefined,
      // No SAS export of the data: disks are read only by the node they are attached to.
      networkAccessPolicy: 'DenyAll',
      publicNetworkAccessEnabled: false,
      lifecycle: {
        preventDestroy: true,
        // An adopted disk keeps however it was first created; that attribute cannot change in place.
        ignoreChanges: adopted ? ['create_option'] : undefined,
      },
    });
    if (props.existingDiskId) this.disk.importFrom(props.existingDiskId);

    if (props.deleteLock ?? true) {
      new ManagementLock(this, 'delete-lock', {
        name: 'do-not-delete-opik-data',
        scope: this.disk.id,
        lockLevel: 'CanNotDelete',
        notes: `Holds Opik's ${props.component} data. Remove this lock only to retire the data on purpose.`,
      });
    }
  }
}
