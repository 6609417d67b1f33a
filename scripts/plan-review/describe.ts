/** Words and symbols both renderers use, so the comment and the terminal say the same thing. */
import type { Counts, ResourceReview, StackReview } from './model';

/** Terraform's own plan symbols. */
export function symbol(r: ResourceReview): string {
  switch (r.action) {
    case 'create':
      return '+';
    case 'update':
      return '~';
    case 'replace':
      return r.replaceOrder === 'create-then-delete' ? '+/-' : '-/+';
    case 'delete':
      return '-';
    case 'forget':
      return '.';
    default:
      return r.previousAddress ? '>' : ' ';
  }
}

/** `replace (delete, then create)`, `update, moved`, `create, imported` ... */
export function actionLabel(r: ResourceReview): string {
  const base =
    r.action === 'replace' ? `replace (${r.replaceOrder === 'create-then-delete' ? 'create, then delete' : 'delete, then create'})`
    : r.action === 'forget' ? 'forget (removed from state, not destroyed)'
    : r.action === 'no-op' ? 'no change'
    : r.action;
  return [base, r.previousAddress ? `moved from ${r.previousAddress}` : '', r.imported ? 'imported' : ''].filter(Boolean).join(', ');
}

export const COUNT_COLUMNS: readonly (readonly [keyof Counts, string])[] = [
  ['create', 'create'],
  ['update', 'update'],
  ['replace', 'replace'],
  ['delete', 'delete'],
  ['noOp', 'no-op'],
];

/** `3 to create, 1 to update, ...`, with moves, imports and forgets only when there are any. */
export function countsLine(c: Counts): string {
  const parts = [`${c.create} to create`, `${c.update} to update`, `${c.replace} to replace`, `${c.delete} to delete`, `${c.noOp} unchanged`];
  if (c.moved) parts.push(`${c.moved} moved`);
  if (c.imported) parts.push(`${c.imported} imported`);
  if (c.forget) parts.push(`${c.forget} to forget`);
  return parts.join(', ');
}

export const verdictWord = (review: StackReview) => (review.verdict.refused ? 'REFUSED' : 'allowed');

/** The groups changes are shown in, in this order. */
export const GROUPS: readonly { readonly title: string; readonly test: (r: ResourceReview) => boolean }[] = [
  { title: 'Deleted', test: (r) => r.action === 'delete' },
  { title: 'Replaced', test: (r) => r.action === 'replace' },
  { title: 'Updated', test: (r) => r.action === 'update' },
  { title: 'Moved or imported without changes', test: (r) => r.action === 'no-op' },
  { title: 'Created', test: (r) => r.action === 'create' },
  { title: 'Forgotten', test: (r) => r.action === 'forget' },
];
