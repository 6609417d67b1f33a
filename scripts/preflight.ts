/**
 * npm run preflight -- <env>: what must hold before a real plan or deploy, checked before one.
 * - The environment file has none of the committed example's placeholders (field by field).
 * - Its state storage exists and this sign-in can use it: a Terraform init of the environment's
 *   azurerm backend alone, in a scratch directory, so nothing of the stacks is touched.
 * Exit 0 when ready, 1 with every problem otherwise.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ConfigError, formatProblem, loadEnvironmentFile } from '../config/load';
import { placeholderProblems } from '../config/preflight';
import { stateBackendFor } from '../stacks/environment';
import { runCommand } from './run-command';

const ROOT = path.join(__dirname, '..');

async function main(): Promise<number> {
  const environment = process.argv[2];
  if (!environment) throw new Error('usage: npm run preflight -- <env>');
  const file = path.join(ROOT, 'config', 'environments', `${environment}.yaml`);
  const { config } = loadEnvironmentFile(file);
  // A rehearsal is a test: the committed examples' placeholders are what it deploys.
  const problems = process.env.STATE_BACKEND === 'rehearsal' ? [] : placeholderProblems(path.relative(process.cwd(), file), parse(fs.readFileSync(file, 'utf8'))).map(formatProblem);

  const state = stateBackendFor(config, 'azurerm').props.azure;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  fs.writeFileSync(
    path.join(dir, 'main.tf.json'),
    JSON.stringify({
      terraform: {
        backend: {
          azurerm: {
            resource_group_name: state.resourceGroupName,
            storage_account_name: state.storageAccountName,
            container_name: state.containerName,
            key: `${environment}/preflight.tfstate`,
            use_azuread_auth: true,
            ...(state.subscriptionId ? { subscription_id: state.subscriptionId } : {}),
            ...(process.env.STATE_BACKEND === 'rehearsal' ? { lookup_blob_endpoint: true } : {}),
          },
        },
      },
    }),
  );
  const init = await runCommand(process.env.TERRAFORM_BINARY_NAME ?? 'terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env: { ...process.env, TF_IN_AUTOMATION: '1' } });
  fs.rmSync(dir, { recursive: true, force: true });
  if (init.code !== 0) {
    const said = `${init.stdout}\n${init.stderr}`.split('\n').map((l) => l.replace(/^[╷│╵]\s?/, '').trim()).filter(Boolean).slice(-6).join(' ');
    problems.push(
      `state storage ${state.storageAccountName}/${state.containerName} (resource group ${state.resourceGroupName}) cannot be used: ${said}\n` +
        `  If it does not exist yet, create it once with the bootstrap app (README: "Bootstrap the state storage"):\n` +
        `  npx cdktf deploy --app "node scripts/app.mjs bootstrap.ts" --output cdktf.out.bootstrap 'state-storage-*'`,
    );
  }
  if (problems.length) {
    console.error(`preflight: ${environment} is not ready for a real plan or deploy:\n${problems.join('\n')}`);
    return 1;
  }
  console.log(`preflight: ${environment} is ready (no placeholders; state storage ${state.storageAccountName}/${state.containerName} reachable)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ConfigError ? `Configuration is invalid:\n${e.message}` : `preflight: ${(e as Error).message}`);
    process.exit(2);
  },
);
