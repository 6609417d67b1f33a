/**
 * The review for a terminal: plain text, no colour codes unless `color: true` (then ANSI colours
 * for the symbols and the verdict, the way `terraform plan` colours them).
 */
import { actionLabel, countsLine, GROUPS, symbol, verdictWord } from './describe';
import type { ResourceReview, StackReview } from './model';

export interface TextOptions {
  /** ANSI colours; off unless asked. */
  readonly color?: boolean;
}

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

export function renderText(reviews: readonly StackReview[], options: TextOptions = {}): string {
  const paint = (colour: keyof typeof ANSI, s: string) => (options.color ? `${ANSI[colour]}${s}${ANSI.reset}` : s);
  const symbolColour = (r: ResourceReview): keyof typeof ANSI =>
    r.action === 'create' ? 'green' : r.action === 'update' ? 'yellow' : r.action === 'delete' || r.action === 'replace' ? 'red' : 'cyan';
  const lines: string[] = [];

  for (const review of reviews) {
    const word = verdictWord(review);
    lines.push(`${paint('bold', review.stack)}: ${paint(review.verdict.refused ? 'red' : 'green', word)} (${review.verdict.summary.replace(/^(refused|allowed): /, '')})`);
    lines.push(`  ${countsLine(review.counts)}`);
    if (review.errored) lines.push(`  ${paint('red', 'Terraform stopped on an error: this plan is incomplete.')}`);
    for (const loss of review.verdict.dataLoss) {
      lines.push(`  ${loss.allowed ? paint('yellow', 'ALLOWED') : paint('red', 'REFUSED')} ${loss.explanation}`);
    }
    const missing = review.verdict.dataLoss.filter((d) => !d.allowed);
    if (missing.length > 1) lines.push(`  To allow all of them: ${missing.map((d) => d.flag).join(' ')}`);
    for (const group of GROUPS) {
      const members = review.changes.filter(group.test);
      if (!members.length) continue;
      lines.push('', `  ${group.title} (${members.length}):`);
      for (const r of members) {
        const notes = [r.constructPath ? `(${r.constructPath})` : '', r.dataBearing ? paint('yellow', `[data-bearing: ${r.dataBearing.kind}]`) : ''].filter(Boolean).join(' ');
        lines.push(`  ${paint(symbolColour(r), symbol(r).padStart(3))} ${r.address}${notes ? `  ${notes}` : ''}`);
        if (r.action !== 'create' && r.action !== 'update') lines.push(`        ${actionLabel(r)}${r.reason ? `: ${r.reason}` : ''}`);
        else if (r.previousAddress || r.imported) lines.push(`        ${actionLabel(r)}`);
        if (r.forcedBy.length) lines.push(`        forced by: ${r.forcedBy.join(', ')}`);
        for (const a of r.attributes) {
          const mark = a.forcesReplacement ? paint('red', ' # forces replacement') : '';
          if (a.lineDiff) {
            lines.push(`        ${a.path}:${mark}`);
            for (const l of a.lineDiff.split('\n')) {
              const colour = l.startsWith('+') ? 'green' : l.startsWith('-') ? 'red' : l.startsWith('@@') ? 'cyan' : undefined;
              lines.push(`          ${colour ? paint(colour, l) : l}`);
            }
          } else {
            lines.push(`        ${a.path}: ${a.before} -> ${a.after}${mark}`);
          }
        }
      }
    }
    lines.push('');
  }
  const refused = reviews.filter((r) => r.verdict.refused);
  lines.push(
    refused.length
      ? paint('red', `Refused: ${refused.map((r) => r.stack).join(', ')}.`)
      : paint('green', `Allowed: ${reviews.length} stack${reviews.length === 1 ? '' : 's'} reviewed, no unallowed data loss.`),
  );
  return `${lines.join('\n')}\n`;
}
