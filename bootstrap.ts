/**
 * The bootstrap app: creates the Terraform state storage that every environment file points at
 * (state.* fields). It has a chicken-and-egg problem the main app does not: its own state starts
 * local (.terraform-state/bootstrap/) and is migrated into the storage it created once that
 * exists (BOOTSTRAP_STATE=azurerm, then `terraform init -migrate-state`). See README, Bootstrap.
 */
import * as path from 'path';
import { App } from 'cdktf';
import { loadEnvironments, runReportingConfigErrors } from './config/load';
import { StateBackend, type AzureStateStorage } from './constructs/core/state-backend';
import { stateBackendFor, stateBackendKind } from './stacks/environment';
import { StateStorageStack } from './stacks/state-storage-stack';

function main(): void {
  const kind = stateBackendKind(process.env.BOOTSTRAP_STATE ?? 'local', 'BOOTSTRAP_STATE');
  const environments = loadEnvironments(path.resolve('config', 'environments'), process.env.PLATFORM_CONFIG);

  // Environments that share a storage account share one bootstrap stack.
  const byAccount = new Map<string, { storage: AzureStateStorage; location: string; workload: string; environments: string[] }>();
  for (const { config } of environments) {
    const storage = stateBackendFor(config, 'azurerm').props.azure;
    const entry = byAccount.get(storage.storageAccountName) ?? { storage, location: config.state.location ?? config.location, workload: config.workload, environments: [] };
    entry.environments.push(config.environment);
    byAccount.set(storage.storageAccountName, entry);
  }

  const app = new App();
  for (const entry of [...byAccount.values()].sort((a, b) => a.storage.storageAccountName.localeCompare(b.storage.storageAccountName))) {
    new StateStorageStack(app, {
      ...entry,
      backend: new StateBackend({ kind, environment: 'bootstrap', azure: entry.storage }),
    });
  }
  app.synth();
}

runReportingConfigErrors(main);
