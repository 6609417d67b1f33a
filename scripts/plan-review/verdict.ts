/**
 * The verdict on one stack's plan: refused when a data-bearing resource would be deleted or
 * replaced and `--allow-replace <address>` did not name it, or when Terraform could not finish the
 * plan (an incomplete plan cannot show what it would delete).
 */
import type { DataLoss, ResourceReview, Verdict } from './model';

export const allowFlag = (address: string) => `--allow-replace ${address}`;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function explain(r: ResourceReview & { action: 'replace' | 'delete' }, allowed: boolean): string {
  const what = r.action === 'replace' ? 'replaced' : 'deleted';
  const cause = r.forcedBy.length
    ? ` because ${r.forcedBy.join(', ')} ${r.forcedBy.length === 1 ? 'changes' : 'change'} and cannot be updated in place`
    : r.reason
      ? ` (${r.reason})`
      : '';
  const outcome = allowed ? `allowed by ${allowFlag(r.address)}` : `refused; to allow it, pass ${allowFlag(r.address)}`;
  return `${r.address} (${r.dataBearing!.kind}) would be ${what}${cause}: it ${r.dataBearing!.why}. ${outcome[0].toUpperCase()}${outcome.slice(1)}.`;
}

export function verdictFor(changes: readonly ResourceReview[], allowReplace: readonly string[], errored: boolean): Verdict {
  const allow = new Set(allowReplace);
  const dataLoss: DataLoss[] = changes
    .filter((c): c is ResourceReview & { action: 'replace' | 'delete' } => (c.action === 'replace' || c.action === 'delete') && c.dataBearing !== undefined)
    .map((c) => {
      const allowed = allow.has(c.address);
      return { address: c.address, action: c.action, constructPath: c.constructPath, dataBearing: c.dataBearing!, forcedBy: c.forcedBy, flag: allowFlag(c.address), allowed, explanation: explain(c, allowed) };
    });
  const refusedLoss = dataLoss.filter((d) => !d.allowed);
  const parts: string[] = [];
  if (errored) parts.push('Terraform stopped on an error, so the plan is incomplete');
  if (refusedLoss.length) parts.push(`${plural(refusedLoss.length, 'data-bearing resource', 'data-bearing resources')} would be deleted or replaced without ${refusedLoss.length === 1 ? 'its' : 'their'} --allow-replace flag`);
  const allowedLoss = dataLoss.length - refusedLoss.length;
  const refused = errored || refusedLoss.length > 0;
  const summary = refused
    ? `refused: ${parts.join('; ')}`
    : allowedLoss
      ? `allowed: ${plural(allowedLoss, 'data-bearing replacement or deletion', 'data-bearing replacements or deletions')}, each named with --allow-replace`
      : 'allowed: no data-bearing resource is deleted or replaced';
  return { refused, dataLoss, summary };
}
