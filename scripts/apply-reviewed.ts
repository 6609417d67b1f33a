/**
 * npm run apply:reviewed -- <env> [--plans <dir>] [--config <file>]
 *
 * Applies exactly the changes reviewed with `npm run plan` (plans/<env>/<stack>.json), stack by
 * stack in dependency order, and nothing else. For each stack it plans again from this checkout
 * and applies that fresh plan, and only when its changes equal the reviewed ones (else someone
 * deployed in between, or the code is not the code that was reviewed). The `.tfplan` file that
 * came with the review is never applied: it was made by a pull-request run, which runs the
 * branch's own workflow code and could have shipped any binary beside a harmless JSON. If one is
 * there, it must show the reviewed changes too, or nothing is applied (a tampered artifact is a
 * reason to stop, not to carry on). A stack whose reviewed plan has no change is skipped; stacks
 * `npm run plan` was not asked to plan have no reviewed plan and are not touched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stacksInOrder } from './plan/plan-environment';
import { runCommand } from './run-command';

const ROOT = path.join(__dirname, '..');

/**
 * What a plan would change, in a form two plans of the same change agree on: the address, the
 * actions, and the values before and after. `before` matters: a plan that ends in the same place
 * from a state someone else changed since the review is not the reviewed change.
 */
export function changeSet(plan: any): string[] {
  return (plan.resource_changes ?? [])
    .filter((c: any) => !c.change.actions.every((a: string) => a === 'no-op' || a === 'read'))
    .map((c: any) => JSON.stringify([c.address, c.change.actions, c.change.before ?? null, c.change.after ?? null, c.change.after_unknown ?? null]))
    .sort();
}

const USAGE = `usage: npm run apply:reviewed -- <env> [--plans <dir>] [--config <file>]
  Plans every reviewed stack of <env> again and applies that fresh plan where its changes equal
  the reviewed plans/<env>/<stack>.json; refuses, applying nothing more, where they differ or where
  a shipped <stack>.tfplan shows other changes.
  --plans <dir>    where the reviewed plans are (default: plans/); <dir>/<env>/review.md must exist
  --config <file>  the environment file (default: config/environments/<env>.yaml)
  --help           this text`;

class UsageError extends Error {}

/** The command line, or a UsageError naming what is wrong. */
export function parseArguments(argv: readonly string[]): { help: true } | { help: false; environment: string; plans?: string; config?: string } {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--plans' || arg === '--config') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`${arg} needs a value`);
      values[arg.slice(2)] = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown flag ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one environment, not ${positional.join(' ')}` : 'which environment?');
  return { help: false, environment: positional[0], plans: values.plans, config: values.config };
}

/** Why two change sets differ, by address: what the second has that the first lacks, and the reverse. */
export function changeSetDifference(expected: readonly string[], actual: readonly string[]): { onlyActual: string[]; onlyExpected: string[] } {
  const addresses = (list: readonly string[]) => [...new Set(list.map((c) => JSON.parse(c)[0] as string))];
  return { onlyActual: addresses(actual.filter((c) => !expected.includes(c))), onlyExpected: addresses(expected.filter((c) => !actual.includes(c))) };
}

const sameChanges = (a: readonly string[], b: readonly string[]) => JSON.stringify(a) === JSON.stringify(b);

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { environment } = args;
  const dir = path.resolve(args.plans ?? path.join(ROOT, 'plans'), environment);
  if (!fs.existsSync(path.join(dir, 'review.md'))) throw new Error(`no reviewed plan in ${dir}: run npm run plan -- ${environment} and have it reviewed first`);
  const terraform = process.env.TERRAFORM_BINARY_NAME ?? 'terraform';
  const outdir = path.join(dir, 'cdktf.out');
  const configFile = args.config ? path.resolve(args.config) : path.join(ROOT, 'config', 'environments', `${environment}.yaml`);
  const env = { ...process.env, PLATFORM_CONFIG: configFile, CDKTF_OUTDIR: outdir, TF_IN_AUTOMATION: '1' };

  // The same code that was reviewed synthesizes the same stacks; init needs them on disk.
  const app = process.env.STATE_BACKEND === 'rehearsal' ? [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'tools', 'rehearsal', 'mirror-app.ts')] : [path.join(ROOT, 'scripts', 'app.mjs'), 'main.ts'];
  const synth = await runCommand(process.execPath, app, { cwd: ROOT, env });
  if (synth.code !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
  const stacks = stacksInOrder(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')), environment).filter((s) => fs.existsSync(path.join(dir, `${s}.json`)));
  if (stacks.length === 0) throw new Error(`no reviewed stack plan in ${dir}; refusing to apply anything unreviewed`);

  for (const stack of stacks) {
    const reviewedJson = path.join(dir, `${stack}.json`);
    const shippedPlan = path.join(dir, `${stack}.tfplan`);
    const reviewed = changeSet(JSON.parse(fs.readFileSync(reviewedJson, 'utf8')));
    if (reviewed.length === 0) {
      console.log(`${stack}: the reviewed plan has no change; skipped`);
      continue;
    }
    const tf = (args: string[], echo = false) => runCommand(terraform, [`-chdir=${path.join(outdir, 'stacks', stack)}`, ...args], { cwd: ROOT, env, echo });
    const init = await tf(['init', '-input=false', '-no-color']);
    if (init.code !== 0) throw new Error(`${stack}: terraform init failed:\n${init.stderr}`);
    const fresh = path.join(dir, `${stack}.now.tfplan`);
    const plan = await tf(['plan', '-input=false', '-no-color', `-out=${fresh}`]);
    if (plan.code !== 0) throw new Error(`${stack}: planning again failed:\n${plan.stderr}`);
    const now = changeSet(JSON.parse((await tf(['show', '-json', fresh])).stdout));
    if (!sameChanges(now, reviewed)) {
      const { onlyActual, onlyExpected } = changeSetDifference(reviewed, now);
      console.error(`${stack}: the plan made now differs from the reviewed one; nothing applied.\n  changed now, not reviewed: ${onlyActual.join(', ') || '-'}\n  reviewed, not planned now: ${onlyExpected.join(', ') || '-'}\nPlan and review again.`);
      return 1;
    }
    if (fs.existsSync(shippedPlan)) {
      const shown = await tf(['show', '-json', shippedPlan]);
      const shipped = shown.code === 0 ? changeSet(JSON.parse(shown.stdout)) : undefined;
      if (!shipped || !sameChanges(shipped, reviewed)) {
        const { onlyActual } = shipped ? changeSetDifference(reviewed, shipped) : { onlyActual: [] };
        console.error(`${stack}: ${path.relative(ROOT, shippedPlan)} does not show the reviewed changes of ${path.basename(reviewedJson)}${shipped ? ` (it also changes: ${onlyActual.join(', ') || 'values of the reviewed addresses'})` : ' (terraform cannot read it)'}; the review artifact was tampered with or mixed up. Nothing applied.`);
        return 1;
      }
    }
    console.log(`${stack}: applying a fresh plan with exactly the reviewed changes (${reviewed.length})`);
    const apply = await tf(['apply', '-input=false', '-no-color', fresh], true);
    if (apply.code !== 0) return apply.code;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`apply:reviewed: ${(e as Error).message}${e instanceof UsageError ? `\n${USAGE}` : ''}`);
      process.exit(2);
    },
  );
}
