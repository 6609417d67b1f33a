/** reviewPlan(): one stack's plan JSON and synthesized stack -> its StackReview. */
import { reasonText, reviewAction } from './actions';
import { attributeChanges } from './attributes';
import { constructPath, synthesizedBlock } from './construct-paths';
import { dataBearing, dataNamespaces } from './data-bearing';
import type { Counts, ResourceReview, ReviewInput, StackReview } from './model';
import { dottedPath, type PathStep } from './paths';
import { verdictFor } from './verdict';

export function reviewPlan(input: ReviewInput): StackReview {
  const { plan, synthesized, stack } = input;
  // A plan Terraform could not finish may come as `{ errored: true, resource_changes: [] }`.
  if (!plan || typeof plan !== 'object' || !('format_version' in plan || Array.isArray(plan.resource_changes))) {
    throw new Error(`${stack}: not plan JSON (expected the output of \`terraform show -json <saved plan>\`)`);
  }
  const managed: any[] = (plan.resource_changes ?? []).filter((c: any) => c.mode !== 'data');
  const namespaces = dataNamespaces(managed);

  const counts = { create: 0, update: 0, replace: 0, delete: 0, noOp: 0, forget: 0, moved: 0, imported: 0 };
  const changes: ResourceReview[] = [];
  for (const c of managed) {
    const ch = c.change ?? {};
    const { action, replaceOrder } = reviewAction(ch.actions ?? []);
    counts[action === 'no-op' ? 'noOp' : action]++;
    const moved = typeof c.previous_address === 'string' && c.previous_address !== c.address;
    const imported = ch.importing !== undefined && ch.importing !== null;
    if (moved) counts.moved++;
    if (imported) counts.imported++;
    if (action === 'no-op' && !moved && !imported) continue;

    const replacePaths: PathStep[][] = ch.replace_paths ?? [];
    const config = synthesizedBlock(synthesized, c);
    const flagged = dataBearing({ type: c.type, before: ch.before, after: ch.after, config, dataNamespaces: namespaces });
    changes.push({
      address: c.address,
      ...(moved ? { previousAddress: c.previous_address } : {}),
      type: c.type,
      action,
      ...(replaceOrder ? { replaceOrder } : {}),
      ...(reasonText(c.action_reason) ? { reason: reasonText(c.action_reason) } : {}),
      forcedBy: replacePaths.map(dottedPath),
      ...(constructPath(synthesized, c) ? { constructPath: constructPath(synthesized, c) } : {}),
      ...(flagged ? { dataBearing: flagged } : {}),
      imported,
      attributes: action === 'update' || action === 'replace' ? attributeChanges(ch.before, ch.after, ch, { replacement: action === 'replace' }) : [],
    });
  }
  const order = ['delete', 'replace', 'update', 'create', 'forget', 'no-op'];
  changes.sort((a, b) => order.indexOf(a.action) - order.indexOf(b.action) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const errored = plan.errored === true;
  return {
    stack,
    ...(plan.terraform_version ? { terraformVersion: plan.terraform_version } : {}),
    errored,
    counts: counts as Counts,
    changes,
    verdict: verdictFor(changes, input.allowReplace, errored),
  };
}
