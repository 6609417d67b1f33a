/**
 * The bootstrap app: creates the Terraform state storage that every environment file points at
 * (state.* fields). It has a chicken-and-egg problem the main app does not: its own state starts
 * local (.terraform-state/bootstrap/) and is migrated into the storage it created once that
 * exists (BOOTSTRAP_STATE=azurerm, then `terraform init -migrate-state`). See README, Bootstrap.
 * An environment file with `delivery` also gets pipeline-identity-<env>: the identities GitHub
 * Actions plans and deploys with (README, "Reviewing and shipping a change").
 */
import * as path from 'path';
import { App } from 'cdktf';
import { loadEnvironments, runReportingConfigErrors } from './config/load';
import { stateBackendKind } from './stacks/environment';
import { buildPipelineIdentityStacks } from './stacks/pipeline-identity-stack';
import { buildStateStorageStacks } from './stacks/state-storage-stack';

function main(): void {
  const kind = stateBackendKind(process.env.BOOTSTRAP_STATE ?? 'local', 'BOOTSTRAP_STATE');
  const environments = loadEnvironments(path.resolve('config', 'environments'), process.env.PLATFORM_CONFIG);
  const app = new App();
  // Environments that share a storage account share one bootstrap stack.
  buildStateStorageStacks(app, environments.map((e) => e.config), kind);
  buildPipelineIdentityStacks(app, environments.map((e) => e.config), kind);
  app.synth();
}

runReportingConfigErrors(main);
