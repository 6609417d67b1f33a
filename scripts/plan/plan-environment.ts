/**
 * `npm run plan`'s work, as a function the rehearsal calls too: synthesize one environment, then
 * init, plan and `show -json` each of its stacks in dependency order, save the plans, and review
 * them (scripts/plan-review). Asynchronous throughout: in a rehearsal the stand-ins answer from
 * this process's event loop.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderMarkdown, renderText, reviewPlan, type StackReview } from '../plan-review';
import { runCommand as exec } from '../run-command';

export interface PlanOptions {
  readonly root: string;
  /** Environment name; its file is config/environments/<env>.yaml unless `configFile` is given. */
  readonly environment: string;
  readonly configFile?: string;
  /** Stack kinds or full stack names; all of the environment's when empty. */
  readonly stacks?: readonly string[];
  readonly allowReplace?: readonly string[];
  /** Where plans/<env>/ goes. @default <root>/plans */
  readonly outDir?: string;
  /** The command that synthesizes (cdktf's `app`): the project's runner, or the rehearsal's mirror-adapting one. */
  readonly app: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly terraform: string;
}

export interface StackPlan {
  readonly stack: string;
  readonly review: StackReview;
  /** Terraform's own error when it refused to plan (for example prevent_destroy), else undefined. */
  readonly terraformError?: string;
  readonly planFile?: string;
  readonly jsonFile?: string;
}

export interface EnvironmentPlan {
  readonly environment: string;
  readonly stacks: readonly StackPlan[];
  readonly refused: boolean;
  readonly markdown: string;
  readonly text: string;
  readonly dir: string;
}

/** The environment's stacks from cdktf's manifest, producers before consumers. */
export function stacksInOrder(manifest: any, environment: string): string[] {
  const stacks = manifest.stacks as Record<string, { dependencies?: string[] }>;
  const mine = Object.keys(stacks).filter((name) => name.endsWith(`-${environment}`));
  const ordered: string[] = [];
  const visit = (name: string, seen: Set<string>) => {
    if (ordered.includes(name) || seen.has(name)) return;
    seen.add(name);
    for (const dep of stacks[name].dependencies ?? []) if (mine.includes(dep)) visit(dep, seen);
    ordered.push(name);
  };
  for (const name of mine.sort()) visit(name, new Set());
  return ordered;
}

/** Terraform's error lines, without box drawing. */
function terraformError(output: string): string {
  return output
    .split('\n')
    .map((l) => l.replace(/^[╷│╵]\s?/, '').trimEnd())
    .filter((l) => l.trim() !== '')
    .join('\n');
}

const STATE_STORAGE_MISSING = /(StorageAccountNotFound|ContainerNotFound|ResourceNotFound|storage account .* (was )?not found|Failed to get existing workspaces)/i;

export async function planEnvironment(options: PlanOptions): Promise<EnvironmentPlan> {
  const dir = path.join(options.outDir ?? path.join(options.root, 'plans'), options.environment);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const outdir = path.join(dir, 'cdktf.out');
  const configFile = options.configFile ?? path.join(options.root, 'config', 'environments', `${options.environment}.yaml`);
  const env = { ...options.env, PLATFORM_CONFIG: configFile, CDKTF_OUTDIR: outdir, TF_IN_AUTOMATION: '1' };

  const synth = await exec(options.app[0], options.app.slice(1), { cwd: options.root, env });
  if (synth.code !== 0) throw new Error(`synth of ${options.environment} failed:\n${synth.stderr || synth.stdout}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const all = stacksInOrder(manifest, options.environment);
  const wanted = options.stacks?.length ? all.filter((s) => options.stacks!.some((w) => s === w || s === `${w}-${options.environment}`)) : all;
  if (wanted.length === 0) throw new Error(`no stack of ${options.environment} matches ${options.stacks?.join(', ')} (stacks: ${all.join(', ')})`);

  const results: StackPlan[] = [];
  for (const stack of wanted) {
    const stackDir = path.join(outdir, 'stacks', stack);
    const tf = (...args: string[]) => exec(options.terraform, [`-chdir=${stackDir}`, ...args], { cwd: options.root, env });
    const synthesized = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const init = await tf('init', '-input=false', '-no-color');
    if (init.code !== 0) {
      const error = terraformError(`${init.stderr}\n${init.stdout}`);
      if (STATE_STORAGE_MISSING.test(error)) {
        throw new Error(
          `the state storage of ${options.environment} cannot be reached or does not exist (terraform init of ${stack}).\n` +
            `Create it once with the bootstrap app (README: "Bootstrap the state storage"):\n` +
            `  npx cdktf deploy --app "node scripts/app.mjs bootstrap.ts" --output cdktf.out.bootstrap 'state-storage-*'\n` +
            `Terraform said:\n${error}`,
        );
      }
      throw new Error(`terraform init of ${stack} failed:\n${error}`);
    }
    const planFile = path.join(dir, `${stack}.tfplan`);
    const plan = await tf('plan', '-input=false', '-no-color', '-lock-timeout=120s', `-out=${planFile}`);
    if (plan.code !== 0) {
      // Terraform prints the changes it planned before the error that stopped it (stdout), and the
      // error itself on stderr: the review shows the error, whole, and the planned summary line.
      const summary = /^Plan: .*$/m.exec(plan.stdout)?.[0];
      const error = [terraformError(plan.stderr || plan.stdout).split('\n').slice(0, 60).join('\n'), summary ? `(Terraform had planned: ${summary})` : ''].filter(Boolean).join('\n');
      const review = reviewPlan({ stack, plan: { errored: true, resource_changes: [] }, synthesized, allowReplace: options.allowReplace ?? [] });
      results.push({ stack, review, terraformError: error });
      continue;
    }
    const show = await tf('show', '-json', planFile);
    const jsonFile = path.join(dir, `${stack}.json`);
    fs.writeFileSync(jsonFile, show.stdout);
    const review = reviewPlan({ stack, plan: JSON.parse(show.stdout), synthesized, allowReplace: options.allowReplace ?? [] });
    results.push({ stack, review, planFile, jsonFile });
  }

  const reviews = results.map((r) => r.review);
  const errors = results.filter((r) => r.terraformError);
  const errorText = errors.map((r) => `\n${r.stack}: Terraform refused to plan:\n${r.terraformError}`).join('\n');
  const errorMarkdown = errors.map((r) => `\n### ${r.stack}: Terraform refused to plan\n\n\`\`\`\n${r.terraformError}\n\`\`\`\n`).join('');
  const markdown = `${renderMarkdown(reviews, `Plan for ${options.environment}`)}${errorMarkdown}`;
  const text = `${renderText(reviews)}${errorText}`;
  fs.writeFileSync(path.join(dir, 'review.md'), markdown);
  fs.writeFileSync(path.join(dir, 'review.txt'), text);
  return { environment: options.environment, stacks: results, refused: results.some((r) => r.review.verdict.refused || r.terraformError), markdown, text, dir };
}
