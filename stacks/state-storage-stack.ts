/**
 * state-storage-<account>: the storage the other stacks keep their state in. Built by the
 * bootstrap app (bootstrap.ts), first with local state, then migrated into itself (README, Bootstrap).
 */
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import type { PlatformConfig } from '../config/schema';
import { StateBackend, type AzureStateStorage, type StateBackendKind } from '../constructs/core/state-backend';
import { StateStorageAccount, type StateNetworkAccess } from '../constructs/state-storage/state-storage-account';
import { platformTags, TaggingAspect } from '../constructs/core/tagging';
import { stateBackendFor } from './environment';

export interface StateStorageStackProps {
  readonly storage: AzureStateStorage;
  readonly location: string;
  /** Where this stack's own state lives: local until migrated. */
  readonly backend: StateBackend;
  /** The environments whose stacks keep state here (for the environment tag). */
  readonly environments: readonly string[];
  readonly workload: string;
  /** Every environment that keeps its state here gives the same (state.networkAccess). */
  readonly networkAccess: StateNetworkAccess;
}

export class StateStorageStack extends TerraformStack {
  constructor(scope: Construct, props: StateStorageStackProps) {
    const stackName = `state-storage-${props.storage.storageAccountName}`;
    super(scope, stackName);
    props.backend.attach(this, stackName);
    new AzurermProvider(this, 'azurerm', {
      ...(props.storage.subscriptionId ? { subscriptionId: props.storage.subscriptionId } : {}),
      // The account has shared keys disabled: the provider must use Entra ID for blob calls too.
      storageUseAzuread: true,
      features: [{ resourceGroup: [{ preventDeletionIfContainsResources: true }] }],
    });
    Aspects.of(this).add(
      new TaggingAspect(platformTags({ environment: props.environments.length === 1 ? props.environments[0] : 'shared', workload: props.workload, extra: { purpose: 'terraform-state' } })),
    );

    const client = new DataAzurermClientConfig(this, 'client-config');
    const storage = new StateStorageAccount(this, 'state-storage', {
      resourceGroupName: props.storage.resourceGroupName,
      storageAccountName: props.storage.storageAccountName,
      containerName: props.storage.containerName,
      location: props.location,
      contributorPrincipalIds: [client.objectId],
      networkAccess: props.networkAccess,
    });

    new TerraformOutput(this, 'storage_account_id', { value: storage.account.id, description: 'ID of the state storage account' });
    new TerraformOutput(this, 'audit_workspace_id', { value: storage.auditWorkspace.workspace.id, description: 'Log Analytics workspace with the state blobs\' access logs (StorageBlobLogs)' });
    new TerraformOutput(this, 'container_name', { value: storage.container.name, description: 'Container that holds <env>/<stack>.tfstate blobs' });
  }
}

/**
 * One state-storage stack per storage account the environments point at (environments that share
 * an account share its stack), in account-name order; `kind` is where each stack's own state lives.
 */
export function buildStateStorageStacks(scope: Construct, configs: readonly PlatformConfig[], kind: StateBackendKind): StateStorageStack[] {
  const byAccount = new Map<string, { storage: AzureStateStorage; location: string; workload: string; environments: string[]; networkAccess: StateNetworkAccess }>();
  for (const config of configs) {
    const storage = stateBackendFor(config, 'azurerm').props.azure;
    const entry = byAccount.get(storage.storageAccountName) ?? {
      storage,
      location: config.state.location ?? config.location,
      workload: config.workload,
      environments: [],
      networkAccess: config.state.networkAccess,
    };
    if (JSON.stringify(entry.networkAccess) !== JSON.stringify(config.state.networkAccess)) {
      throw new Error(
        `state.networkAccess of ${config.environment} (${JSON.stringify(config.state.networkAccess)}) differs from ${entry.environments.join(', ')}'s (${JSON.stringify(entry.networkAccess)}); they share the state account ${storage.storageAccountName}, so they must agree`,
      );
    }
    entry.environments.push(config.environment);
    byAccount.set(storage.storageAccountName, entry);
  }
  return [...byAccount.values()]
    .sort((a, b) => a.storage.storageAccountName.localeCompare(b.storage.storageAccountName))
    .map((entry) => new StateStorageStack(scope, { ...entry, backend: new StateBackend({ kind, environment: 'bootstrap', azure: entry.storage }) }));
}
