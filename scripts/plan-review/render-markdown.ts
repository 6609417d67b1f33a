/**
 * The review as a pull-request comment (GitHub-flavoured Markdown): one summary table over all
 * stacks, then per stack its verdict, a table of counts, what would lose data and which flag would
 * allow it, and every change. Line diffs longer than a screenful, and long lists of creates, fold
 * into <details>.
 */
import { actionLabel, COUNT_COLUMNS, GROUPS, symbol } from './describe';
import type { ResourceReview, StackReview } from './model';

/** Line diffs with more lines than this fold into <details>. */
export const LONG_DIFF_LINES = 15;
/** Groups with more resources than this fold into <details>. */
export const LONG_GROUP = 10;

/** An inline code span that survives backticks in the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block that survives backtick fences in the text. */
function fenced(text: string, info: string): string {
  const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** Table cells: pipes escaped (also inside code spans, as GitHub requires), no line breaks. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function resource(r: ResourceReview): string {
  const head = [`${code(`${symbol(r)} ${r.address}`)}`];
  if (r.constructPath) head.push(`from ${code(r.constructPath)}`);
  if (r.dataBearing) head.push(`**data-bearing** (${r.dataBearing.kind})`);
  const lines = [`- ${head.join(' ')}`];
  const sub: string[] = [];
  if (r.action !== 'create' || r.previousAddress || r.imported) sub.push(`${actionLabel(r)}${r.reason ? `: ${r.reason}` : ''}`);
  if (r.forcedBy.length) sub.push(`forced by ${r.forcedBy.map(code).join(', ')}`);
  if (sub.length) lines.push(`  ${sub.join('; ')}`);

  const plain = r.attributes.filter((a) => !a.lineDiff);
  if (plain.length) {
    lines.push('', '  | attribute | before | after |', '  |---|---|---|');
    for (const a of plain) {
      lines.push(`  | ${cell(code(a.path))}${a.forcesReplacement ? ' (forces replacement)' : ''} | ${cell(code(a.before))} | ${cell(code(a.after))} |`);
    }
  }
  for (const a of r.attributes.filter((x) => x.lineDiff)) {
    const diff = a.lineDiff!;
    const changed = diff.split('\n').filter((l) => /^[+-]/.test(l)).length;
    const block = fenced(diff, 'diff');
    const what = `${changed} line${changed === 1 ? '' : 's'} changed${a.forcesReplacement ? ' (forces replacement)' : ''}`;
    const text = diff.split('\n').length > LONG_DIFF_LINES ? details(`<code>${escapeHtml(a.path)}</code>: ${what}`, block) : `${code(a.path)}: ${what}\n\n${block}`;
    lines.push('', ...text.split('\n').map((l) => (l ? `  ${l}` : '')));
  }
  return lines.join('\n');
}

function stackSection(review: StackReview): string {
  const out: string[] = [];
  out.push(`### ${review.stack}: ${review.verdict.refused ? 'refused' : 'allowed'}`, '');
  out.push(`**${review.verdict.refused ? 'Refused' : 'Allowed'}**: ${review.verdict.summary.replace(/^(refused|allowed): /, '')}.`, '');
  if (review.errored) out.push('> [!WARNING]', '> Terraform stopped on an error: this plan is incomplete and cannot be applied.', '');
  if (review.verdict.dataLoss.length) {
    for (const d of review.verdict.dataLoss) {
      out.push(`- ${d.allowed ? 'allowed' : '**refused**'}: ${d.explanation.replace(d.address, code(d.address)).replace(d.flag, code(d.flag))}`);
    }
    const missing = review.verdict.dataLoss.filter((d) => !d.allowed);
    if (missing.length) out.push('', missing.length === 1 ? 'To allow it:' : 'To allow all of them:', '', fenced(missing.map((d) => d.flag).join(' \\\n'), 'sh'));
    out.push('');
  }
  out.push(`| ${COUNT_COLUMNS.map(([, label]) => label).join(' | ')} |`, `|${COUNT_COLUMNS.map(() => '---:').join('|')}|`);
  out.push(`| ${COUNT_COLUMNS.map(([key]) => review.counts[key]).join(' | ')} |`, '');
  const extras = [review.counts.moved ? `${review.counts.moved} moved` : '', review.counts.imported ? `${review.counts.imported} imported` : '', review.counts.forget ? `${review.counts.forget} to forget` : ''].filter(Boolean);
  if (extras.length) out.push(`Also: ${extras.join(', ')}.`, '');

  for (const group of GROUPS) {
    const members = review.changes.filter(group.test);
    if (!members.length) continue;
    // A blank line between resources: their attribute tables and diffs end cleanly before the next item.
    const body = members.map(resource).join('\n\n');
    const heading = `${group.title} (${members.length})`;
    out.push(members.length > LONG_GROUP ? details(`<b>${escapeHtml(heading)}</b>`, body) : `#### ${heading}\n\n${body}`, '');
  }
  if (!review.changes.length) out.push('No changes.', '');
  return out.join('\n');
}

export function renderMarkdown(reviews: readonly StackReview[], title: string): string {
  const out: string[] = [`## ${title}`, ''];
  const refused = reviews.filter((r) => r.verdict.refused);
  out.push(
    refused.length
      ? `**Refused** in ${refused.map((r) => code(r.stack)).join(', ')}: a data-bearing resource would be lost. Each is listed below with the flag that would allow it.`
      : `**Allowed**: ${reviews.length} stack${reviews.length === 1 ? '' : 's'} reviewed, no data-bearing resource deleted or replaced without being allowed.`,
    '',
  );
  out.push(`| stack | verdict | ${COUNT_COLUMNS.map(([, label]) => label).join(' | ')} |`, `|---|---|${COUNT_COLUMNS.map(() => '---:').join('|')}|`);
  for (const r of reviews) {
    out.push(`| ${cell(code(r.stack))} | ${r.verdict.refused ? '**refused**' : 'allowed'} | ${COUNT_COLUMNS.map(([key]) => r.counts[key]).join(' | ')} |`);
  }
  out.push('');
  for (const r of reviews) out.push(stackSection(r));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
