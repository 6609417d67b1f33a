/**
 * npm run test:plan-review: the plan review on plans that Terraform produced here, not on
 * hand-written JSON. One rehearsal (tools/rehearsal): plan the network stack before anything
 * exists, deploy dev once (~3 min), then plan the changes a platform team reviews, each with the
 * real cdktf app, Terraform and providers against the stand-ins.
 *
 * Set PLAN_REVIEW_WRITE_FIXTURES=1 to rewrite __tests__/plan-review/fixtures/ (the renderer unit
 * tests' inputs) from these plans.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderMarkdown, renderText, reviewPlan, type StackReview } from '../../scripts/plan-review';
import { nextPatch, STACK_KINDS, startRehearsal, type Rehearsal } from '../../tools/rehearsal/rehearsal';
import { addressOf, deriveFixture, planStack, sensitiveValues, synthesize, type RealPlan } from './real-plans';

const FIXTURES = path.join(__dirname, 'fixtures');
const writeFixtures = process.env.PLAN_REVIEW_WRITE_FIXTURES === '1';

let r: Rehearsal;
let createOnly: RealPlan;
let deployedIn = 0;

const review = (stack: string, real: RealPlan, allowReplace: string[] = []): StackReview => {
  if (!real.plan) throw new Error(`terraform plan of ${stack} failed:\n${real.error?.slice(-3000)}`);
  return reviewPlan({ stack, plan: real.plan, synthesized: real.synthesized, allowReplace });
};

function fixture(name: string, stack: string, real: RealPlan, keepNoOp?: (change: any) => boolean): void {
  if (!writeFixtures) return;
  fs.mkdirSync(FIXTURES, { recursive: true });
  fs.writeFileSync(path.join(FIXTURES, `${name}.json`), `${JSON.stringify({ stack, ...deriveFixture(real, keepNoOp) }, null, 1)}\n`);
}

beforeAll(async () => {
  r = await startRehearsal('dev');
  // (a) A stack that was never deployed: its plan creates everything.
  createOnly = await planStack(r, r.stack('network'));
  const t = Date.now();
  const stacks = STACK_KINDS.map((k) => r.stack(k));
  const deploy = await r.cdktf(['deploy', ...stacks, '--auto-approve']);
  if (deploy.code !== 0) throw new Error(`cdktf deploy of ${stacks.join(' ')} exited ${deploy.code}:\n${deploy.stdout.slice(-3000)}\n${deploy.stderr.slice(-2000)}`);
  deployedIn = (Date.now() - t) / 1000;
});

afterAll(async () => {
  if (!r) return;
  await r.stop();
  if (process.env.REHEARSE_KEEP !== '1') fs.rmSync(r.work, { recursive: true, force: true });
});

test('(a) a plan of a stack not yet deployed creates everything; each resource maps to its construct', () => {
  const stack = r.stack('network');
  const rv = review(stack, createOnly);
  const managed = createOnly.plan.resource_changes.filter((c: any) => c.mode === 'managed');
  expect(rv.counts).toMatchObject({ create: managed.length, update: 0, replace: 0, delete: 0, noOp: 0 });
  expect(managed.length).toBeGreaterThan(5);
  for (const c of rv.changes) expect(c.constructPath).toMatch(new RegExp(`^${stack}/`));
  // The main resource group is data-bearing wherever it appears, a create included; creating it loses nothing.
  expect(rv.changes.find((c) => c.type === 'azurerm_resource_group')?.dataBearing?.kind).toBe('resource group');
  expect(rv.verdict).toMatchObject({ refused: false, dataLoss: [] });
  expect(renderMarkdown([rv], 'Plan')).toContain(`| \`${stack}\` | allowed | ${managed.length} | 0 | 0 | 0 | 0 |`);
  fixture('create-only', stack, createOnly);
  console.log(`deploy of dev took ${deployedIn.toFixed(0)} s`);
});

describe('(b) an Opik upgrade changes only the Opik release', () => {
  test('a new opikVersion alone: the release version, nothing else', async () => {
    const next = nextPatch(r.config.application.opikVersion);
    const file = r.writeConfig('upgrade', r.environment, (c) => (c.application.opikVersion = next));
    const stack = r.stack('application');
    const rv = review(stack, await planStack(r, stack, { configFile: file }));
    expect(rv.changes.map((c) => `${c.address}: ${c.action}`)).toEqual([expect.stringMatching(/^helm_release\.opik_[A-F0-9]+: update$/)]);
    const [release] = rv.changes;
    expect(release.dataBearing?.kind).toBe('stateful Helm release');
    expect(release.attributes.find((a) => a.path === 'version')).toMatchObject({ before: JSON.stringify(r.config.application.opikVersion), after: JSON.stringify(next) });
    // The chart's images follow its appVersion, so the values we pass do not change.
    expect(release.attributes.find((a) => a.path.startsWith('values'))).toBeUndefined();
    expect(rv.verdict.refused).toBe(false);
  });

  test('with a values change (backend replicas 1 -> 2): values come as a unified line diff', async () => {
    const next = nextPatch(r.config.application.opikVersion);
    const file = r.writeConfig('upgrade-scale', r.environment, (c) => {
      c.application.opikVersion = next;
      c.application.replicas = { ...(c.application.replicas ?? {}), backend: 2 };
    });
    const stack = r.stack('application');
    const real = await planStack(r, stack, { configFile: file });
    const rv = review(stack, real);
    expect(rv.changes.map((c) => `${c.address}: ${c.action}`)).toEqual([expect.stringMatching(/^helm_release\.opik_[A-F0-9]+: update$/)]);
    const values = rv.changes[0].attributes.find((a) => a.path === 'values.0');
    expect(values?.lineDiff).toMatch(/^-\s+replicaCount: 1$/m);
    expect(values?.lineDiff).toMatch(/^\+\s+replicaCount: 2$/m);
    expect(values?.lineDiff).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@/);
    const md = renderMarkdown([rv], 'Upgrade');
    expect(md).toContain('```diff');
    expect(md).toMatch(/\+\s+replicaCount: 2/);
    const text = renderText([rv]);
    expect(text).toMatch(/values\.0:\n\s+@@/);
    expect(text).not.toContain('\x1b[');
    // The unchanged namespace, claims and volumes too: the unit tests check how they are flagged.
    fixture('upgrade', stack, real, (c) => ['kubernetes_namespace_v1', 'kubernetes_persistent_volume_claim_v1', 'kubernetes_persistent_volume_v1'].includes(c.type));
  });
});

describe('(c, d) a zone change would replace every disk', () => {
  let file: string;
  let unguarded: RealPlan;
  const stack = () => r.stack('data-disks');

  beforeAll(async () => {
    const zone = String(r.config.dataDisks.zone ?? '1') === '1' ? 2 : 1;
    file = r.writeConfig('zone', r.environment, (c) => {
      c.dataDisks.zone = zone;
      c.cluster.userNodePool.zones = [...new Set([...(c.cluster.userNodePool.zones ?? []), zone])];
    });
    // The guard's input: the same plan with prevent_destroy taken off the disks in a copy of the
    // synthesized stack (the rehearsal's work directory), the state of a reviewed change that
    // removes it. With it on, Terraform refuses to plan at all (the next test), so there is no plan
    // JSON to review.
    unguarded = await planStack(r, stack(), {
      configFile: file,
      edit: (json) => {
        for (const disk of Object.values<any>(json.resource.azurerm_managed_disk)) delete disk.lifecycle?.prevent_destroy;
      },
    });
  });

  test('terraform plan itself refuses it: prevent_destroy, no plan JSON', async () => {
    const guarded = await planStack(r, stack(), { configFile: file });
    expect(guarded.plan).toBeUndefined();
    expect(guarded.error).toMatch(/Instance cannot be destroyed/);
    expect(guarded.error).toMatch(/lifecycle\.prevent_destroy/);
  });

  test('(c) without prevent_destroy, the review refuses it and names the flag for each disk and lock', () => {
    const rv = review(stack(), unguarded);
    expect(rv.counts).toMatchObject({ replace: 10, create: 0, update: 0, delete: 0 });
    expect(rv.verdict.refused).toBe(true);
    const disks = rv.verdict.dataLoss.filter((d) => d.address.startsWith('azurerm_managed_disk.'));
    const locks = rv.verdict.dataLoss.filter((d) => d.address.startsWith('azurerm_management_lock.'));
    expect(disks).toHaveLength(5);
    expect(locks).toHaveLength(5);
    for (const d of disks) {
      expect(d).toMatchObject({ action: 'replace', allowed: false, forcedBy: ['zone'], flag: `--allow-replace ${d.address}` });
      expect(d.constructPath).toMatch(/^data-disks-dev\/disk-[a-z]+\/Resource$/);
      expect(d.explanation).toContain('because zone changes');
      expect(d.explanation).toContain(`pass --allow-replace ${d.address}`);
    }
    for (const l of locks) expect(l.forcedBy).toEqual(['scope']);
    const disk = rv.changes.find((c) => c.address === disks[0].address)!;
    // A replacement shows what forces it, not the attributes the new disk only learns after apply.
    expect(disk.attributes).toEqual([expect.objectContaining({ path: 'zone', forcesReplacement: true })]);
    const text = renderText([rv]);
    for (const d of rv.verdict.dataLoss) expect(text).toContain(d.flag);
    expect(renderMarkdown([rv], 'Zone change')).toContain('**refused**');
    fixture('disk-replacement', stack(), unguarded);
  });

  test('(d) naming every address with --allow-replace allows it; naming one disk leaves the rest refused', () => {
    const all = review(stack(), unguarded).verdict.dataLoss.map((d) => d.address);
    const allowed = review(stack(), unguarded, all);
    expect(allowed.verdict.refused).toBe(false);
    expect(allowed.verdict.dataLoss.every((d) => d.allowed)).toBe(true);
    expect(allowed.verdict.summary).toMatch(/^allowed: 10 data-bearing replacements/);

    const mysql = all.find((a) => a.startsWith('azurerm_managed_disk.') && a.includes('mysql'))!;
    const one = review(stack(), unguarded, [mysql]);
    expect(one.verdict.refused).toBe(true);
    expect(one.verdict.dataLoss.filter((d) => d.allowed).map((d) => d.address)).toEqual([mysql]);
    expect(one.verdict.dataLoss.find((d) => d.address === mysql)?.explanation).toContain(`Allowed by --allow-replace ${mysql}`);
  });
});

test('(e) a moved block: the disk shows as moved, not deleted and created', async () => {
  const stack = r.stack('data-disks');
  let from = '';
  const to = 'azurerm_managed_disk.mysql-data';
  const real = await planStack(r, stack, {
    edit: (json) => {
      from = addressOf(json, 'azurerm_managed_disk', '/disk-mysql/');
      // Rename the resource and every reference to it (the lock's scope, the outputs), then say where it went.
      const renamed = JSON.parse(JSON.stringify(json).split(`${from}.`).join(`${to}.`).split(`"${from}"`).join(`"${to}"`));
      const disks = renamed.resource.azurerm_managed_disk;
      disks[to.split('.')[1]] = disks[from.split('.')[1]];
      delete disks[from.split('.')[1]];
      for (const k of Object.keys(json)) delete json[k];
      Object.assign(json, renamed, { moved: [{ from, to }] });
    },
  });
  const rv = review(stack, real);
  expect(rv.counts).toMatchObject({ create: 0, delete: 0, replace: 0, update: 0, moved: 1 });
  expect(rv.changes).toEqual([expect.objectContaining({ address: to, previousAddress: from, action: 'no-op', constructPath: 'data-disks-dev/disk-mysql/Resource' })]);
  expect(rv.verdict).toMatchObject({ refused: false, dataLoss: [] });
  expect(renderText([rv])).toContain(`moved from ${from}`);
  fixture('moved', stack, real, (c) => c.type === 'azurerm_management_lock' && c.name.includes('mysql'));
});

test('(f) a generated password replaced on request: refused, and no sensitive value printed', async () => {
  const stack = r.stack('application');
  const cookie = addressOf((await synthesize(r, stack)).synthesized, 'random_password', '/cookie-secret/');
  const real = await planStack(r, stack, { planArgs: [`-replace=${cookie}`] });
  const rv = review(stack, real);
  const loss = rv.verdict.dataLoss.find((d) => d.address === cookie);
  expect(loss).toMatchObject({ action: 'replace', allowed: false });
  expect(rv.changes.find((c) => c.address === cookie)?.reason).toBe('replacement was asked for with -replace');
  // The password flows into Key Vault and a Kubernetes Secret: both update, their values masked.
  const masked = rv.changes.flatMap((c) => c.attributes).filter((a) => a.sensitive);
  expect(masked.length).toBeGreaterThan(0);
  for (const a of masked) {
    expect(a.lineDiff).toBeUndefined();
    expect([a.before, a.after].every((v) => ['(sensitive value)', '(known after apply)', '(none)'].includes(v))).toBe(true);
  }
  const secrets = sensitiveValues(real.plan).filter((v) => v.length >= 8);
  expect(secrets.length).toBeGreaterThan(0);
  for (const out of [renderText([rv]), renderMarkdown([rv], 'Rotate'), JSON.stringify(rv)]) {
    for (const s of secrets) expect(out).not.toContain(s);
  }
  fixture('password-replace', stack, real);
});
