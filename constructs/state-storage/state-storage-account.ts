/**
 * The storage account and container that hold every stack's Terraform state. State contains
 * secrets (generated passwords, the Entra client secret), so the account accepts only Entra ID
 * (no shared keys, no SAS, no anonymous access), TLS 1.2, and keeps deleted or overwritten state
 * recoverable through blob versioning and soft delete.
 */
import { Construct } from 'constructs';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { grantRole } from '../core/role-assignment';

export interface StateStorageAccountProps {
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly location: string;
  /** Identities that run Terraform (people, CI); each gets Storage Blob Data Contributor. */
  readonly contributorPrincipalIds: readonly string[];
  /** Days deleted blobs, versions and containers stay recoverable. @default 30 */
  readonly retentionDays?: number;
}

export class StateStorageAccount extends Construct {
  readonly account: StorageAccount;
  readonly container: StorageContainer;

  constructor(scope: Construct, id: string, props: StateStorageAccountProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;

    const group = new ResourceGroup(this, 'resource-group', {
      name: props.resourceGroupName,
      location: props.location,
      lifecycle: { preventDestroy: true },
    });

    this.account = new StorageAccount(this, 'Resource', {
      name: props.storageAccountName,
      resourceGroupName: group.name,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      // Geo-zone-redundant: the state survives a zone and a region outage.
      accountReplicationType: 'GZRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      localUserEnabled: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        deleteRetentionPolicy: { days: retentionDays },
        containerDeleteRetentionPolicy: { days: retentionDays },
      },
      lifecycle: { preventDestroy: true },
    });

    this.container = new StorageContainer(this, 'container', {
      name: props.containerName,
      // Through the management plane, so creating it needs no data-plane access yet.
      storageAccountId: this.account.id,
      containerAccessType: 'private',
      lifecycle: { preventDestroy: true },
    });

    props.contributorPrincipalIds.forEach((principalId, index) => {
      grantRole(this, `state-contributor-${index}`, {
        principalId,
        role: 'Storage Blob Data Contributor',
        scope: this.account.id,
        reason: 'Runs Terraform: reads, writes and leases (locks) state blobs with Entra ID',
        managedIdentity: false,
      });
    });
  }
}
