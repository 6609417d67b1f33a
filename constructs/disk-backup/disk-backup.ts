/**
 * Daily incremental snapshots of the data disks with Azure Backup: a backup vault, a disk
 * backup policy, one backup instance per disk, and the vault's roles (read the disks, write
 * snapshots into a resource group of their own).
 */
import { Construct } from 'constructs';
import { DataProtectionBackupInstanceDisk } from '@cdktf/provider-azurerm/lib/data-protection-backup-instance-disk';
import { DataProtectionBackupPolicyDisk } from '@cdktf/provider-azurerm/lib/data-protection-backup-policy-disk';
import { DataProtectionBackupVault } from '@cdktf/provider-azurerm/lib/data-protection-backup-vault';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import type { ManagedDisk } from '@cdktf/provider-azurerm/lib/managed-disk';
import { grantRole } from '../core/role-assignment';

export interface DiskBackupProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly vaultName: string;
  readonly policyName: string;
  readonly snapshotResourceGroupName: string;
  /** Disks to protect, by a stable key (the component name). */
  readonly disks: Readonly<Record<string, ManagedDisk>>;
  /** @default 30 */
  readonly retentionDays?: number;
  /** Daily start time, HH:MM UTC. @default '02:00' */
  readonly startTime?: string;
  /** @default 'LocallyRedundant' */
  readonly redundancy?: 'LocallyRedundant' | 'GeoRedundant' | 'ZoneRedundant';
}

export class DiskBackup extends Construct {
  readonly vault: DataProtectionBackupVault;

  constructor(scope: Construct, id: string, props: DiskBackupProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.vault = new DataProtectionBackupVault(this, 'Resource', {
      ...common,
      name: props.vaultName,
      datastoreType: 'VaultStore',
      redundancy: props.redundancy ?? 'LocallyRedundant',
      // Deleted backups stay recoverable for 14 days.
      softDelete: 'On',
      retentionDurationInDays: 14,
      identity: { type: 'SystemAssigned' },
    });

    const snapshots = new ResourceGroup(this, 'snapshot-resource-group', { name: props.snapshotResourceGroupName, location: props.location });
    const snapshotAccess = grantRole(this, 'snapshot-contributor', {
      principalId: this.vault.identity.principalId,
      role: 'Disk Snapshot Contributor',
      scope: snapshots.id,
      reason: 'Azure Backup writes the disk snapshots here',
    });

    const policy = new DataProtectionBackupPolicyDisk(this, 'policy', {
      name: props.policyName,
      vaultId: this.vault.id,
      // A fixed anchor date keeps the synthesized JSON identical on every run.
      backupRepeatingTimeIntervals: [`R/2025-01-01T${props.startTime ?? '02:00'}:00+00:00/P1D`],
      defaultRetentionDuration: `P${props.retentionDays ?? 30}D`,
      timeZone: 'UTC',
    });

    for (const [key, disk] of Object.entries(props.disks)) {
      const diskAccess = grantRole(this, `disk-reader-${key}`, {
        principalId: this.vault.identity.principalId,
        role: 'Disk Backup Reader',
        scope: disk.id,
        reason: `Azure Backup reads the ${key} data disk to snapshot it`,
      });
      new DataProtectionBackupInstanceDisk(this, `instance-${key}`, {
        name: disk.name,
        location: props.location,
        vaultId: this.vault.id,
        diskId: disk.id,
        snapshotResourceGroupName: snapshots.name,
        backupPolicyId: policy.id,
        dependsOn: [diskAccess, snapshotAccess],
      });
    }
  }
}
