/**
 * The cdktf app: loads every environment file in config/environments (relative to the working
 * directory, where cdktf runs it), or only PLATFORM_CONFIG, and builds each
 * environment's stacks. Nothing below this file reads the process environment.
 */
import * as path from 'path';
import { App } from 'cdktf';
import { loadEnvironments, runReportingConfigErrors } from './config/load';
import { buildEnvironment, rehearsalSettings, stateBackendKind } from './stacks/environment';

function main(): void {
  const backendKind = stateBackendKind(process.env.STATE_BACKEND);
  const rehearsal = rehearsalSettings(backendKind, process.env.REHEARSAL_CHART_REPOSITORY);
  const environments = loadEnvironments(path.resolve('config', 'environments'), process.env.PLATFORM_CONFIG);
  // Everything is validated before the App exists, so a bad file writes nothing to cdktf.out.
  const app = new App();
  for (const { config } of environments) buildEnvironment(app, config, backendKind, rehearsal);
  app.synth();
}

runReportingConfigErrors(main);
