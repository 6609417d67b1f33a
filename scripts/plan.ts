/**
 * npm run plan -- <env> [stack...] [--allow-replace <address>]... [--config <file>]
 *
 * Synthesizes the environment, then inits, plans and saves each stack's plan in dependency order
 * (plans/<env>/<stack>.tfplan and its `show -json`), and prints a review: counts per stack, every
 * replacement and deletion with what forces it and the construct that owns it, data-bearing
 * resources flagged, updates attribute by attribute (Helm values as a line diff), sensitive values
 * masked. plans/<env>/review.md is the same review as a pull-request comment.
 *
 * Exit 0: reviewed, nothing refused. 1: a data-bearing resource would be deleted or replaced
 * without `--allow-replace <address>`, or Terraform refused to plan. 2: it could not plan (no
 * sign-in, no state storage, placeholders in the environment file).
 *
 * Against Azure it needs a sign-in (`az login`, or ARM_* / OIDC variables in CI). Against the
 * rehearsal's stand-ins: start `npm run rehearse -- <env> --serve` and source the file it prints.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ConfigError, formatProblem, loadEnvironmentFile } from '../config/load';
import { placeholderProblems } from '../config/preflight';
import { planEnvironment } from './plan/plan-environment';

const ROOT = path.join(__dirname, '..');

function args(argv: string[]) {
  const positional: string[] = [];
  const allowReplace: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--allow-replace') allowReplace.push(argv[++i] ?? '');
    else if (argv[i] === '--config') configFile = argv[++i];
    else positional.push(argv[i]);
  }
  const [environment, ...stacks] = positional;
  if (!environment) throw new Error('usage: npm run plan -- <env> [stack...] [--allow-replace <address>]... [--config <file>]');
  return { environment, stacks, allowReplace: allowReplace.filter(Boolean), configFile };
}

/** Whether Terraform's azurerm provider and backend will find a sign-in. */
function azureSignIn(env: NodeJS.ProcessEnv): boolean {
  if (env.ARM_CLIENT_ID && (env.ARM_CLIENT_SECRET || env.ARM_USE_OIDC || env.ARM_OIDC_TOKEN || env.ARM_USE_MSI)) return true;
  const az = spawnSync('az', ['account', 'show', '--only-show-errors'], { encoding: 'utf8' });
  return az.status === 0;
}

async function main(): Promise<number> {
  const { environment, stacks, allowReplace, configFile } = args(process.argv.slice(2));
  const file = configFile ?? path.join(ROOT, 'config', 'environments', `${environment}.yaml`);
  loadEnvironmentFile(file); // the same validation as synth, with the same messages
  const rehearsal = process.env.STATE_BACKEND === 'rehearsal';

  if (!rehearsal) {
    // Placeholders are fine for synth and tests, never for a plan that may be applied.
    const problems = placeholderProblems(path.relative(process.cwd(), file), parse(fs.readFileSync(file, 'utf8')));
    if (problems.length) {
      console.error(`plan: ${environment} still has the committed example's placeholder values:\n${problems.map(formatProblem).join('\n')}`);
      return 2;
    }
    if (!azureSignIn(process.env)) {
      console.error(
        'plan: no Azure sign-in found. It needs one of:\n' +
          '  - `az login` (and `az account set --subscription <id>`), on a workstation;\n' +
          '  - ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID with ARM_USE_OIDC=true, in CI;\n' +
          `  - or a rehearsal: \`npm run rehearse -- ${environment} --serve\` in another terminal, then \`source\` the file it prints.`,
      );
      return 2;
    }
  }

  const app = rehearsal
    ? [process.execPath, path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'tools', 'rehearsal', 'mirror-app.ts')]
    : [process.execPath, path.join(ROOT, 'scripts', 'app.mjs'), 'main.ts'];
  const result = await planEnvironment({
    root: ROOT,
    environment,
    configFile: file,
    stacks,
    allowReplace,
    app,
    env: process.env,
    terraform: process.env.TERRAFORM_BINARY_NAME ?? 'terraform',
  });
  console.log(result.text);
  console.error(`\nplan: saved in ${path.relative(process.cwd(), result.dir)} (review.md for a pull request)`);
  return result.refused ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof ConfigError) console.error(`Configuration is invalid:\n${e.message}`);
    else console.error(`plan: ${(e as Error).message}`);
    process.exit(2);
  },
);
