/**
 * The two renderers, from one model, on fixtures derived from real plans (fixtures.ts).
 */
import { renderMarkdown, renderText, reviewPlan, type StackReview } from '../../scripts/plan-review';
import { code, LONG_DIFF_LINES } from '../../scripts/plan-review/render-markdown';
import { loadFixture, reviewFixture } from './fixtures';

const all = (): StackReview[] => [reviewFixture('create-only'), reviewFixture('upgrade'), reviewFixture('disk-replacement'), reviewFixture('moved')];

/** The upgrade fixture with many more lines of the Helm values changed (every memory size doubled). */
function longValuesDiff(): StackReview {
  const f = loadFixture('upgrade');
  const plan = JSON.parse(JSON.stringify(f.plan));
  const release = plan.resource_changes.find((c: any) => c.type === 'helm_release');
  release.change.after.values = release.change.after.values.map((v: string) => v.replace(/memory: (\d+)(Mi|Gi)/g, (_m, n, u) => `memory: ${Number(n) * 2}${u}`));
  return reviewPlan({ stack: f.stack, plan, synthesized: f.synthesized, allowReplace: [] });
}

describe('renderMarkdown', () => {
  test('a title, one summary table over the stacks, then a section with its own counts table per stack', () => {
    const reviews = all();
    const md = renderMarkdown(reviews, 'Plan for dev');
    expect(md.startsWith('## Plan for dev\n')).toBe(true);
    expect(md).toContain('| stack | verdict | create | update | replace | delete | no-op |');
    for (const r of reviews) {
      const c = r.counts;
      expect(md).toContain(`| \`${r.stack}\` | ${r.verdict.refused ? '**refused**' : 'allowed'} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c.noOp} |`);
    }
    expect(md.match(/^### /gm)).toHaveLength(reviews.length);
    expect(md.match(/^\| create \| update \| replace \| delete \| no-op \|$/gm)).toHaveLength(reviews.length);
    expect(md).toContain('**Refused** in `data-disks-dev`');
  });

  test('a refused stack says why and gives every flag that would allow it', () => {
    const review = reviewFixture('disk-replacement');
    const md = renderMarkdown([review], 'Zone change');
    for (const d of review.verdict.dataLoss) {
      expect(md).toContain(`- **refused**: \`${d.address}\` (${d.dataBearing.kind}) would be replaced because`);
      expect(md).toMatch(new RegExp(`^${d.flag.replace(/[.[\]]/g, '\\$&')}( \\\\)?$`, 'm'));
    }
    expect(md).toContain('```sh\n--allow-replace ');
    expect(md).toContain('forced by `zone`');
  });

  test('an allowed replacement says which flag allowed it', () => {
    const all = reviewFixture('disk-replacement').verdict.dataLoss.map((d) => d.address);
    const md = renderMarkdown([reviewFixture('disk-replacement', all)], 'Zone change, allowed');
    expect(md).toContain('### data-disks-dev: allowed');
    expect(md).toMatch(/- allowed: `azurerm_managed_disk\.disk-mysql_\w+` .* Allowed by `--allow-replace azurerm_managed_disk\.disk-mysql_\w+`\./);
    expect(md).not.toContain('```sh');
  });

  test('a short line diff is shown inline; a long one folds into <details>', () => {
    const short = renderMarkdown([reviewFixture('upgrade')], 'Upgrade');
    expect(short).toMatch(/`values\.0`: 2 lines changed\n\n\s*```diff\n/);
    expect(short).not.toContain('<details>');

    const long = longValuesDiff();
    const diff = long.changes[0].attributes.find((a) => a.path === 'values.0')!.lineDiff!;
    expect(diff.split('\n').length).toBeGreaterThan(LONG_DIFF_LINES);
    const md = renderMarkdown([long], 'Upgrade');
    expect(md).toMatch(/<details><summary><code>values\.0<\/code>: \d+ lines changed<\/summary>\n\n\s*```diff\n/);
    expect(md).toContain('</details>');
  });

  test('more than ten resources in a group fold into <details>', () => {
    const md = renderMarkdown([reviewFixture('create-only')], 'Network');
    expect(md).toMatch(/<details><summary><b>Created \(11\)<\/b><\/summary>/);
  });

  test('attribute tables: before and after in code, the attribute that forces a replacement marked', () => {
    const md = renderMarkdown([reviewFixture('disk-replacement')], 'Zone change');
    expect(md).toContain('| `zone` (forces replacement) | `"1"` | `"2"` |');
  });

  test('code spans survive backticks; table cells escape pipes', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x')).toBe('`` `x ``');
    const f = loadFixture('upgrade');
    const plan = JSON.parse(JSON.stringify(f.plan));
    plan.resource_changes.find((c: any) => c.type === 'helm_release').change.after.description = 'a | b';
    const md = renderMarkdown([reviewPlan({ stack: f.stack, plan, synthesized: f.synthesized, allowReplace: [] })], 'Pipes');
    expect(md).toContain('| `description` | `(none)` | `"a \\| b"` |');
  });
});

describe('renderText', () => {
  test('plain text by default: no colour codes; a line per stack with its verdict and counts', () => {
    const text = renderText(all());
    expect(text).not.toContain('\x1b[');
    expect(text).toMatch(/^network-dev: allowed \(no data-bearing resource is deleted or replaced\)\n {2}11 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged$/m);
    expect(text).toMatch(/^data-disks-dev: REFUSED \(10 data-bearing resources would be deleted or replaced without their --allow-replace flag\)$/m);
    expect(text).toMatch(/^ {2}To allow all of them: (--allow-replace \S+ ?){10}$/m);
    expect(text.trimEnd().split('\n').pop()).toBe('Refused: data-disks-dev.');
  });

  test('colours only when asked', () => {
    const text = renderText([reviewFixture('disk-replacement')], { color: true });
    expect(text).toContain('\x1b[31mREFUSED\x1b[0m');
  });

  test('updates attribute by attribute, with the Helm values as a line diff', () => {
    const text = renderText([reviewFixture('upgrade')]);
    expect(text).toMatch(/~ helm_release\.opik_\w+ {2}\(application-dev\/opik\/Resource\) \[data-bearing: stateful Helm release\]/);
    expect(text).toMatch(/^ {8}version: "[\d.]+" -> "[\d.]+"$/m);
    expect(text).toMatch(/^ {8}values\.0:\n {10}@@ .* @@\n/m);
    expect(text).toMatch(/^ {10}-\s+replicaCount: 1$/m);
  });

  test('a move reads as a move', () => {
    expect(renderText([reviewFixture('moved')])).toMatch(/> azurerm_managed_disk\.mysql-data .*\n\s+no change, moved from azurerm_managed_disk\.disk-mysql_\w+/);
  });

  test('no sensitive value, in either renderer', () => {
    const review = reviewFixture('password-replace');
    for (const out of [renderText([review]), renderMarkdown([review], 'Rotate')]) {
      expect(out).not.toMatch(/fixture-sensitive-\d+/);
      expect(out).toContain('(sensitive value)');
    }
  });
});
