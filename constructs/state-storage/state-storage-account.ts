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
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import type { PlatformConfig } from '../../config/schema';
import { stateAuditWorkspaceName } from '../core/naming';
import { grantRole } from '../core/role-assignment';
import { LogAnalyticsWorkspace } from '../log-analytics/log-analytics-workspace';
import { ServicePrivateEndpoint } from '../private-endpoint/private-endpoint';

/** Who reaches the account over the network (config `state.networkAccess`). */
export type StateNetworkAccess = PlatformConfig['state']['networkAccess'];

/** The blob service's log categories: every read, write and delete of a state blob, with who made it. */
export const STATE_AUDIT_LOGS = ['StorageRead', 'StorageWrite', 'StorageDelete'] as const;

export interface StateStorageAccountProps {
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly location: string;
  /** Identities that run Terraform (people, CI); each gets Storage Blob Data Contributor. */
  readonly contributorPrincipalIds: readonly string[];
  /** Days deleted blobs, versions and containers stay recoverable. @default 30 */
  readonly retentionDays?: number;
  /** @default { type: 'public' } (Entra ID only, from any address) */
  readonly networkAccess?: StateNetworkAccess;
  /** Days the access logs stay in the audit workspace. @default 90 */
  readonly auditRetentionDays?: number;
}

export class StateStorageAccount extends Construct {
  readonly account: StorageAccount;
  readonly container: StorageContainer;
  /** Holds StorageBlobLogs: who read, wrote or deleted which state blob. */
  readonly auditWorkspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: StateStorageAccountProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    const access = props.networkAccess ?? { type: 'public' };

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
      // The state holds generated passwords: from the runners' ranges only, or only privately.
      publicNetworkAccessEnabled: access.type !== 'private-endpoint',
      networkRules:
        access.type === 'public'
          ? undefined
          : {
              defaultAction: 'Deny',
              bypass: ['AzureServices', 'Logging', 'Metrics'],
              // Storage firewalls take a single address, not a /32.
              ipRules: access.type === 'allow-list' ? access.ipRanges.map((r) => r.replace(/\/32$/, '')) : [],
            },
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

    if (access.type === 'private-endpoint') {
      new ServicePrivateEndpoint(this, 'private-endpoint', {
        name: `pe-${props.storageAccountName}-blob`,
        resourceGroupName: group.name,
        location: props.location,
        subnetId: access.subnetId,
        resourceId: this.account.id,
        service: 'blob',
        privateDnsZoneId: access.privateDnsZoneId,
      });
    }

    // The audit trail of the state: every blob read, write and delete, by whom (RequesterObjectId),
    // in a workspace of its own beside the account (the environments' workspaces come later).
    this.auditWorkspace = new LogAnalyticsWorkspace(this, 'audit-workspace', {
      resourceGroupName: group.name,
      location: props.location,
      name: stateAuditWorkspaceName(props.storageAccountName),
      retentionDays: props.auditRetentionDays ?? 90,
    });
    new MonitorDiagnosticSetting(this, 'blob-audit', {
      name: 'state-access-audit',
      targetResourceId: `${this.account.id}/blobServices/default`,
      logAnalyticsWorkspaceId: this.auditWorkspace.workspace.id,
      enabledLog: STATE_AUDIT_LOGS.map((category) => ({ category })),
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
