/** Terraform's action lists and action reasons (plan JSON `change.actions`, `action_reason`) in review terms. */
import type { ReviewAction } from './model';

export function reviewAction(actions: readonly string[]): { action: ReviewAction; replaceOrder?: 'delete-then-create' | 'create-then-delete' } {
  const has = (a: string) => actions.includes(a);
  if (has('delete') && has('create')) return { action: 'replace', replaceOrder: actions[0] === 'delete' ? 'delete-then-create' : 'create-then-delete' };
  if (has('delete')) return { action: 'delete' };
  if (has('create')) return { action: 'create' };
  if (has('update')) return { action: 'update' };
  if (has('forget')) return { action: 'forget' };
  return { action: 'no-op' };
}

const REASONS: Record<string, string> = {
  replace_because_tainted: 'the object is tainted (a create or update failed part-way)',
  replace_because_cannot_update: 'the provider cannot change these attributes in place',
  replace_by_request: 'replacement was asked for with -replace',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  delete_because_no_resource_config: 'the resource is no longer in the code',
  delete_because_no_module: 'its module is no longer in the code',
  delete_because_wrong_repetition: 'count or for_each changed shape',
  delete_because_count_index: 'its index is beyond count',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'a moved block points at an address that does not exist',
};

/** `action_reason` in words; unknown reasons are kept as Terraform gives them. */
export function reasonText(reason: string | undefined): string | undefined {
  if (!reason || reason.startsWith('read_')) return undefined;
  return REASONS[reason] ?? reason;
}
