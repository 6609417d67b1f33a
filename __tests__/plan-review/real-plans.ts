/**
 * Real plans for the plan-review tests: a stack synthesized by the rehearsal's cdktf app, optionally
 * edited the way a scenario needs, then `terraform plan -out` and `terraform show -json` with the
 * real Terraform and providers against the rehearsal's stand-ins. Also derives the small fixtures
 * the renderer unit tests use from those plans.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Rehearsal } from '../../tools/rehearsal/rehearsal';

export interface RealPlan {
  /** `terraform show -json` of the saved plan, or undefined when `terraform plan` failed. */
  readonly plan?: any;
  /** The cdk.tf.json that was planned (after the edit). */
  readonly synthesized: any;
  /** Terraform's output when the plan failed. */
  readonly error?: string;
}

/** The synthesized directory of `stack` that the last synth wrote (the rehearsal keeps one output directory per environment file). */
export function stackDir(work: string, stack: string): string {
  const found = fs
    .readdirSync(work)
    .filter((d) => d.startsWith('cdktf.out'))
    .map((d) => path.join(work, d, 'stacks', stack))
    .filter((d) => fs.existsSync(path.join(d, 'cdk.tf.json')))
    .sort((a, b) => fs.statSync(path.join(b, 'cdk.tf.json')).mtimeMs - fs.statSync(path.join(a, 'cdk.tf.json')).mtimeMs);
  if (!found.length) throw new Error(`no synthesized ${stack} under ${work}`);
  return found[0];
}

/** Synthesizes every stack with `configFile` (the committed one by default); returns `stack`'s cdk.tf.json and its path. */
export async function synthesize(r: Rehearsal, stack: string, configFile?: string): Promise<{ file: string; synthesized: any }> {
  const synth = await r.cdktf(['synth'], configFile ?? r.configFile);
  if (synth.code !== 0) throw new Error(`synth failed:\n${synth.stderr.slice(-2000)}`);
  const file = path.join(stackDir(r.work, stack), 'cdk.tf.json');
  return { file, synthesized: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

/** Synthesizes with `configFile`, applies `edit` to the stack's cdk.tf.json, and plans it. */
export async function planStack(r: Rehearsal, stack: string, options: { configFile?: string; edit?: (json: any) => void; planArgs?: string[] } = {}): Promise<RealPlan> {
  const { file, synthesized } = await synthesize(r, stack, options.configFile);
  if (options.edit) {
    options.edit(synthesized);
    fs.writeFileSync(file, JSON.stringify(synthesized, null, 2));
  }
  const init = await r.terraform(stack, ['init', '-input=false', '-no-color']);
  if (init.code !== 0) throw new Error(`init of ${stack} failed:\n${init.stdout.slice(-2000)}\n${init.stderr.slice(-2000)}`);
  const plan = await r.terraform(stack, ['plan', '-input=false', '-no-color', '-lock=false', '-out=review.tfplan', ...(options.planArgs ?? [])]);
  if (plan.code !== 0) return { synthesized, error: `${plan.stdout}\n${plan.stderr}` };
  const show = await r.terraform(stack, ['show', '-json', 'review.tfplan']);
  if (show.code !== 0) throw new Error(`terraform show -json failed:\n${show.stderr.slice(-2000)}`);
  return { plan: JSON.parse(show.stdout), synthesized };
}

/** The address of the one resource of `type` whose construct path contains `pathPart`. */
export function addressOf(synthesized: any, type: string, pathPart: string): string {
  const names = Object.entries<any>(synthesized.resource?.[type] ?? {})
    .filter(([, block]) => String(block['//']?.metadata?.path ?? '').includes(pathPart))
    .map(([name]) => `${type}.${name}`);
  if (names.length !== 1) throw new Error(`expected one ${type} under ${pathPart}, found ${names.join(', ') || 'none'}`);
  return names[0];
}

/** Every value a plan marks sensitive, as strings (what a review must never print). */
export function sensitiveValues(plan: any): string[] {
  const out: string[] = [];
  const walk = (value: any, mask: any) => {
    if (value === null || value === undefined) return;
    if (mask === true) {
      const collect = (v: any): void => {
        if (v === null || v === undefined) return;
        if (typeof v === 'object') Object.values(v).forEach(collect);
        else out.push(String(v));
      };
      collect(value);
      return;
    }
    if (mask && typeof mask === 'object' && typeof value === 'object') for (const k of Object.keys(mask)) walk(value[k], mask[k]);
  };
  for (const c of plan.resource_changes ?? []) {
    walk(c.change.before, c.change.before_sensitive);
    walk(c.change.after, c.change.after_sensitive);
  }
  return [...new Set(out)];
}

/**
 * A small fixture from a real plan: only the resource changes that are not plain no-ops (plus the
 * unchanged ones `keepNoOp` picks), the synthesized blocks of those
 * resources, and every sensitive value replaced by a distinct placeholder (the unit tests check that
 * no placeholder is ever printed), so no generated password is committed.
 */
export function deriveFixture(real: RealPlan, keepNoOp: (change: any) => boolean = () => false): { plan: any; synthesized: any } {
  const changes: any[] = real.plan.resource_changes ?? [];
  const interesting = changes.filter((c) => c.mode === 'managed' && (!c.change.actions.every((a: string) => a === 'no-op') || c.previous_address));
  const noOps = changes.filter((c) => c.mode === 'managed' && !interesting.includes(c) && keepNoOp(c));
  let n = 0;
  const placeholder = (v: any, mask: any): any => {
    if (mask === true) {
      if (v === null || v === undefined) return v;
      if (typeof v === 'object') return JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'object' || x === null ? x : `fixture-sensitive-${++n}`));
      return `fixture-sensitive-${++n}`;
    }
    if (mask && typeof mask === 'object' && v && typeof v === 'object') {
      const copy: any = Array.isArray(v) ? [...v] : { ...v };
      for (const k of Object.keys(mask)) copy[k] = placeholder(v[k], mask[k]);
      return copy;
    }
    return v;
  };
  const kept = [...interesting, ...noOps].map((c) => ({
    ...c,
    change: { ...c.change, before: placeholder(c.change.before, c.change.before_sensitive), after: placeholder(c.change.after, c.change.after_sensitive) },
  }));
  const synthesized: any = { resource: {} };
  for (const c of kept) {
    const block = real.synthesized.resource?.[c.type]?.[c.name];
    if (block) (synthesized.resource[c.type] ??= {})[c.name] = block;
  }
  const { format_version, terraform_version, errored, applyable, complete } = real.plan;
  return { plan: { format_version, terraform_version, errored, applyable, complete, resource_changes: kept }, synthesized };
}
