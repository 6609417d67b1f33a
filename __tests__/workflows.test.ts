/**
 * The GitHub workflows, read as GitHub reads them (YAML): what the delivery path may not regress.
 * Third-party actions are pinned by full commit SHA (a tag can be moved to other code), the pins
 * are kept current by Dependabot, and no job can get an Azure token outside a GitHub environment
 * (the identities trust environments only; their branch policies and reviewers are the gate).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const DIR = path.join(__dirname, '..', '.github', 'workflows');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const workflows = files.map((file) => ({ file, text: fs.readFileSync(path.join(DIR, file), 'utf8'), doc: parse(fs.readFileSync(path.join(DIR, file), 'utf8')) }));

/** Every `uses:` of a step or a job, with where it is. */
function usesOf(doc: any): { where: string; uses: string }[] {
  const out: { where: string; uses: string }[] = [];
  for (const [jobId, job] of Object.entries<any>(doc.jobs ?? {})) {
    if (job.uses) out.push({ where: `jobs.${jobId}`, uses: job.uses });
    (job.steps ?? []).forEach((step: any, i: number) => step.uses && out.push({ where: `jobs.${jobId}.steps.${i}`, uses: step.uses }));
  }
  return out;
}

/** The line of `uses: <ref>` with its comment, as written. */
const lineOf = (text: string, uses: string) => text.split('\n').find((l) => l.trim() === `uses: ${uses}` || l.trim().startsWith(`uses: ${uses} `) || l.trim().startsWith(`- uses: ${uses}`));

test('the four workflows are read', () => {
  expect(files.sort()).toEqual(['apply-reviewed.yml', 'deploy.yml', 'drift.yml', 'pull-request.yml']);
});

/** Actions not pinned by full commit SHA with a `# vX.Y.Z` comment, in a workflow's text. */
function unpinnedActions(text: string): string[] {
  return usesOf(parse(text))
    .filter(({ uses }) => !uses.startsWith('./'))
    .filter(({ uses }) => !/^[A-Za-z0-9-]+\/[A-Za-z0-9._\/-]+@[0-9a-f]{40}$/.test(uses) || !/#\s*v\d+(\.\d+)*\s*$/.test(lineOf(text, uses) ?? ''))
    .map(({ where, uses }) => `${where}: ${uses}`);
}

test.each(workflows)('$file: every third-party action is pinned by full commit SHA, with its version in a comment', ({ text }) => {
  expect(unpinnedActions(text)).toEqual([]);
});

test('the rule refuses a tag, a short SHA and a SHA without its version comment', () => {
  const sha = '11d5960a326750d5838078e36cf38b85af677262';
  const job = (uses: string) => `jobs:\n  a:\n    steps:\n      - uses: ${uses}\n`;
  expect(unpinnedActions(job('actions/checkout@v4'))).toEqual(['jobs.a.steps.0: actions/checkout@v4']);
  expect(unpinnedActions(job('actions/checkout@11d5960'))).toEqual(['jobs.a.steps.0: actions/checkout@11d5960']);
  expect(unpinnedActions(job(`actions/checkout@${sha}`))).toEqual([`jobs.a.steps.0: actions/checkout@${sha}`]);
  expect(unpinnedActions(job(`actions/checkout@${sha} # v4.4.0`))).toEqual([]);
});

test('Dependabot keeps the action pins current', () => {
  const config = parse(fs.readFileSync(path.join(__dirname, '..', '.github', 'dependabot.yml'), 'utf8'));
  expect(config.updates.map((u: any) => `${u['package-ecosystem']}:${u.directory}`)).toContain('github-actions:/');
});

test.each(workflows)('$file: a job that may ask for an OIDC token runs in a GitHub environment', ({ doc }) => {
  const permissionsOf = (job: any) => job.permissions ?? doc.permissions ?? {};
  const naked = Object.entries<any>(doc.jobs ?? {})
    .filter(([, job]) => !job.uses && permissionsOf(job)['id-token'] === 'write' && !job.environment)
    .map(([id]) => id);
  expect(naked).toEqual([]);
});

test('pull-request plans enter plan-<env>, drift enters drift-<env>', () => {
  const byFile = Object.fromEntries(workflows.map((w) => [w.file, w.doc]));
  expect(byFile['pull-request.yml'].jobs.plan.environment).toBe('plan-${{ matrix.environment }}');
  expect(byFile['drift.yml'].jobs.drift.environment).toBe('drift-${{ matrix.environment }}');
});
