/**
 * npm run apply:reviewed -- <env> [--plans <dir>] [--config <file>]
 *
 * Applies exactly the plans reviewed with `npm run plan` (plans/<env>/<stack>.tfplan), stack by
 * stack in dependency order, and nothing else: before each apply it plans again and refuses when
 * the new plan's changes differ from the reviewed one (someone deployed in between, or the code is
 * not the code that was reviewed). Terraform itself also refuses a saved plan whose state moved on.
 * A stack whose reviewed plan has no change is skipped; stacks `npm run plan` was not asked to plan
 * have no reviewed plan and are not touched.
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

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const environment = argv.find((a) => !a.startsWith('--'));
  const plansIndex = argv.indexOf('--plans');
  const configIndex = argv.indexOf('--config');
  if (!environment) throw new Error('usage: npm run apply:reviewed -- <env> [--plans <dir>]');
  const dir = path.resolve(plansIndex >= 0 ? argv[plansIndex + 1] : path.join(ROOT, 'plans'), environment);
  if (!fs.existsSync(path.join(dir, 'review.md'))) throw new Error(`no reviewed plan in ${dir}: run npm run plan -- ${environment} and have it reviewed first`);
  const terraform = process.env.TERRAFORM_BINARY_NAME ?? 'terraform';
  const outdir = path.join(dir, 'cdktf.out');
  const configFile = configIndex >= 0 ? path.resolve(argv[configIndex + 1]) : path.join(ROOT, 'config', 'environments', `${environment}.yaml`);
  const env = { ...process.env, PLATFORM_CONFIG: configFile, CDKTF_OUTDIR: outdir, TF_IN_AUTOMATION: '1' };

  // The same code that was reviewed synthesizes the same stacks; init needs them on disk.
  const app = process.env.STATE_BACKEND === 'rehearsal' ? [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'tools', 'rehearsal', 'mirror-app.ts')] : [path.join(ROOT, 'scripts', 'app.mjs'), 'main.ts'];
  const synth = await runCommand(process.execPath, app, { cwd: ROOT, env });
  if (synth.code !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
  const stacks = stacksInOrder(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')), environment).filter((s) => fs.existsSync(path.join(dir, `${s}.json`)));
  if (stacks.length === 0) throw new Error(`no reviewed stack plan in ${dir}; refusing to apply anything unreviewed`);

  for (const stack of stacks) {
    const reviewedPlan = path.join(dir, `${stack}.tfplan`);
    const reviewedJson = path.join(dir, `${stack}.json`);
    if (!fs.existsSync(reviewedPlan)) throw new Error(`${stack}: the review has no plan file (${path.relative(ROOT, reviewedPlan)}); refusing to apply anything unreviewed`);
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
    if (JSON.stringify(now) !== JSON.stringify(reviewed)) {
      const added = now.filter((c) => !reviewed.includes(c)).map((c) => JSON.parse(c)[0]);
      const gone = reviewed.filter((c) => !now.includes(c)).map((c) => JSON.parse(c)[0]);
      console.error(`${stack}: the plan made now differs from the reviewed one; nothing applied.\n  changed now, not reviewed: ${[...new Set(added)].join(', ') || '-'}\n  reviewed, not planned now: ${[...new Set(gone)].join(', ') || '-'}\nPlan and review again.`);
      return 1;
    }
    console.log(`${stack}: applying the reviewed plan (${reviewed.length} changes)`);
    const apply = await tf(['apply', '-input=false', '-no-color', reviewedPlan], true);
    if (apply.code !== 0) return apply.code;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`apply:reviewed: ${(e as Error).message}`);
    process.exit(2);
  },
);
