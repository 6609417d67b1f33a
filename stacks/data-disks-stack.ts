/**
 * data-disks-<env>: one managed disk per data component in the main resource group, outside the
 * cluster's lifecycle, and (optionally) their daily backups.
 */
import { Construct } from 'constructs';
import { DATA_COMPONENTS, type DataComponent } from '../constructs/core/naming';
import { DataDisk } from '../constructs/data-disk/data-disk';
import { DiskBackup } from '../constructs/disk-backup/disk-backup';
import type { NetworkStack } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

export const diskIdOutput = (component: DataComponent) => `${component}_disk_id` as const;
export const diskZoneOutput = (component: DataComponent) => `${component}_disk_zone` as const;
export const diskSizeOutput = (component: DataComponent) => `${component}_disk_size_gb` as const;
export type DataDisksOutput = ReturnType<typeof diskIdOutput | typeof diskZoneOutput | typeof diskSizeOutput>;

export interface DataDisksStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
}

export class DataDisksStack extends PlatformStack<DataDisksOutput> {
  /** The disks by component, for constructs of this stack. */
  readonly disks: Readonly<Record<DataComponent, DataDisk>>;

  constructor(scope: Construct, props: DataDisksStackProps) {
    super(scope, 'data-disks', props);
    const { config, names } = this;
    const settings = config.dataDisks;
    const resourceGroupName = this.readOutputsOf(props.network).getString('resource_group_name');

    const disks = {} as Record<DataComponent, DataDisk>;
    for (const component of DATA_COMPONENTS) {
      const disk = settings.disks[component];
      disks[component] = new DataDisk(this, `disk-${component}`, {
        component,
        name: names.dataDisk(component),
        resourceGroupName,
        location: config.location,
        sizeGb: disk.sizeGb,
        skuName: disk.skuName ?? settings.skuName,
        zone: disk.zone === undefined ? settings.zone : disk.zone,
        existingDiskId: settings.existingDiskIds[component],
        deleteLock: settings.deleteLock,
      });
    }
    this.disks = disks;

    if (settings.backup.enabled) {
      new DiskBackup(this, 'disk-backup', {
        resourceGroupName,
        location: config.location,
        vaultName: names.backupVault,
        policyName: names.diskBackupPolicy,
        snapshotResourceGroupName: names.snapshotResourceGroup,
        disks: Object.fromEntries(DATA_COMPONENTS.map((c) => [c, disks[c].disk])),
        retentionDays: settings.backup.retentionDays,
        startTime: settings.backup.startTime,
        redundancy: settings.backup.redundancy,
      });
    }

    for (const component of DATA_COMPONENTS) {
      const { disk, zone } = disks[component];
      this.output(diskIdOutput(component), { value: disk.id, description: `Managed disk that holds ${component}'s data` });
      this.output(diskZoneOutput(component), { value: zone ?? '', description: `Zone of the ${component} disk ('' when regional)` });
      this.output(diskSizeOutput(component), { value: disk.diskSizeGb, description: `Size of the ${component} disk in GiB` });
    }
  }
}
