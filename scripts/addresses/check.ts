/**
 * The comparisons __tests__/addresses.test.ts makes between the committed lists and the stacks,
 * each returning the failure message (what changed, what it would do, what to do), or undefined.
 */
import { DATA_BEARING_TYPES, type StackKind, type SynthesizedStack } from './inventory';
import { addressFile, NAMES_FILE, placement, type AddressList, type Placement } from './lists';

const UPDATE = 'npm run addresses:update';

const typeOf = (address: string) => address.slice(0, address.indexOf('.'));
const nameOf = (address: string) => address.slice(address.indexOf('.') + 1);

/** Groups `<stack> <address>` placements by address: address -> stack ids. */
function byAddress(placements: Iterable<Placement>): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const p of placements) {
    const [stackId, address] = p.split(' ');
    grouped.set(address, [...(grouped.get(address) ?? []), stackId]);
  }
  return new Map([...grouped.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function actualPlacements(stacks: readonly SynthesizedStack[]): Set<Placement> {
  return new Set(stacks.flatMap((s) => s.addresses.map((a) => placement(s.id, a))));
}

/** The construct path inside an address's name, without cdktf's hash suffix. */
const pathOf = (address: string) => nameOf(address).replace(/_[0-9A-F]{8}$/, '');

/** How alike two construct paths are: the longer of their common prefix and common suffix. */
function likeness(a: string, b: string): number {
  let prefix = 0;
  while (prefix < Math.min(a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < Math.min(a.length, b.length) && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return Math.max(prefix, suffix);
}

/** Of the unlisted addresses of the same type, the ones most like `address` (all of them when none is alike). */
function successors(address: string, unlisted: readonly string[]): string[] {
  const sameType = unlisted.filter((a) => typeOf(a) === typeOf(address));
  const scores = sameType.map((a) => likeness(pathOf(a), pathOf(address)));
  const best = Math.max(0, ...scores);
  return best === 0 ? sameType : sameType.filter((_, i) => scores[i] === best);
}

/**
 * Fails when an address the list has is no longer synthesized in a stack that the list says has
 * it, unless that stack's moved blocks carry it to its new address.
 */
export function missingAddresses(kind: StackKind, committed: AddressList, stacks: readonly SynthesizedStack[]): string | undefined {
  const ofKind = stacks.filter((s) => s.kind === kind);
  const actual = actualPlacements(ofKind);
  const byId = new Map(ofKind.map((s) => [s.id, s]));
  const missing = [...committed.placements].filter((p) => {
    const [stackId, address] = p.split(' ');
    return !actual.has(p) && !byId.get(stackId)?.moved.has(address);
  });
  if (missing.length === 0) return undefined;

  const lines = [...byAddress(missing)].map(([address, stackIds]) => {
    const gone = stackIds.filter((id) => !byId.has(id));
    const unlisted = [...new Set(stackIds.flatMap((id) => (byId.get(id)?.addresses ?? []).filter((a) => !committed.placements.has(placement(id, a)))))];
    const likely = successors(address, unlisted);
    return [
      `  ${address}  in ${stackIds.join(', ')}`,
      ...(gone.length > 0 ? [`      no longer synthesized at all: ${gone.join(', ')} (environment file removed or renamed?)`] : []),
      ...(likely.length === 1
        ? [`      now probably ${likely[0]}: if so, on that resource call .moveFromId('${address}')`]
        : likely.length > 1
          ? [`      new in the same stacks, same type: ${likely.join(', ')}`]
          : []),
    ].join('\n');
  });
  const [example] = byAddress(missing).keys();
  return [
    `addresses/${addressFile(kind)} lists Terraform addresses that the stacks no longer have:`,
    ...lines,
    '',
    'A deploy would destroy each of them, and create whatever has a new address from nothing.',
    "prevent_destroy does not stop this: it is part of the resource's configuration, and an address",
    'that has left the configuration is destroyed without it. Either:',
    '- It is the same resource and only its construct id or place in the tree changed: keep its state.',
    `  On the resource under its new id call .moveFromId('${example}') (cdktf 0.21:`,
    '  TerraformResource.moveFromId writes a Terraform `moved` block; moveToId(address) does it from',
    '  the old resource, addMoveTarget(target) + moveTo(target) between two resources in the code),',
    `  or keep the old address with .overrideLogicalId('${nameOf(example)}').`,
    `  Then run ${UPDATE} and commit addresses/ with the change. A moved block cannot cross stacks:`,
    '  to move a resource to another stack, importFrom(id) it there and `terraform state rm` it here.',
    `- The replacement is intended: run ${UPDATE} and commit addresses/ in the same commit, so`,
    '  the review sees the lines that go.',
  ].join('\n');
}

/** Fails when a stack has an address the list does not, so that the list stays complete. */
export function newAddresses(kind: StackKind, committed: AddressList, stacks: readonly SynthesizedStack[]): string | undefined {
  const added = [...actualPlacements(stacks.filter((s) => s.kind === kind))].filter((p) => !committed.placements.has(p));
  if (added.length === 0) return undefined;
  const moves = new Map(stacks.flatMap((s) => [...s.moved].map(([from, to]) => [placement(s.id, to), from] as const)));
  return [
    `Terraform addresses that addresses/${addressFile(kind)} does not list yet:`,
    ...[...byAddress(added)].map(([address, stackIds]) => {
      const from = [...new Set(stackIds.map((id) => moves.get(placement(id, address))).filter(Boolean))];
      return `  ${address}  in ${stackIds.join(', ')}${from.length > 0 ? `  (moved from ${from.join(', ')})` : ''}`;
    }),
    '',
    `run ${UPDATE}, read the new lines and commit addresses/ with the change.`,
  ].join('\n');
}

/** Fails when a data-bearing resource the list names has another Azure name now, or is gone. */
export function changedNames(committed: ReadonlyMap<Placement, string>, stacks: readonly SynthesizedStack[]): string | undefined {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const changed: string[] = [];
  const gone: string[] = [];
  for (const [p, oldName] of committed) {
    const [stackId, address] = p.split(' ');
    const stack = byId.get(stackId);
    // A moved block carries the resource, and the name it must keep, to its new address.
    const current = stack?.names.has(address) ? address : stack?.moved.get(address);
    const newName = current === undefined ? undefined : stack!.names.get(current);
    if (newName === undefined) {
      gone.push(`  ${stackId} ${address} (${oldName})`);
      continue;
    }
    if (newName === oldName) continue;
    const type = DATA_BEARING_TYPES[typeOf(address)];
    const guard = stack!.preventDestroy.has(current!)
      ? 'It has prevent_destroy: the plan will stop with "Instance cannot be destroyed".'
      : 'Nothing stops that plan: Terraform would replace it.';
    changed.push(`  ${stackId}: ${type.what} ${current}\n      was "${oldName}", now "${newName}": ${type.consequence}. ${guard}`);
  }
  if (changed.length === 0 && gone.length === 0) return undefined;
  return [
    ...(changed.length > 0
      ? [
          'The Azure name of a data-bearing resource changed. Azure knows it by its name: a new name is a',
          'new, empty resource, and the old one is destroyed with what it holds.',
          ...changed,
          '',
          'If the name changed by accident (constructs/core/naming.ts, workload/environment/location/instance',
          'in an environment file, or a name in a construct), restore it. If a new, empty resource is really',
          `wanted, move the data first, then run ${UPDATE} and commit addresses/${NAMES_FILE} in the same commit.`,
        ]
      : []),
    ...(gone.length > 0
      ? [
          ...(changed.length > 0 ? [''] : []),
          `Data-bearing resources in addresses/${NAMES_FILE} that the stacks no longer have (their address`,
          'changed or they were removed; the addresses test of their stack says which and what to do):',
          ...gone,
        ]
      : []),
  ].join('\n');
}

/** Fails when a data-bearing resource is not in the names list, so that the list stays complete. */
export function newNames(committed: ReadonlyMap<Placement, string>, stacks: readonly SynthesizedStack[]): string | undefined {
  const added = stacks.flatMap((s) => [...s.names].filter(([a]) => !committed.has(placement(s.id, a))).map(([a, name]) => `  ${s.id} ${a} = ${name}`));
  if (added.length === 0) return undefined;
  return [`Data-bearing resources that addresses/${NAMES_FILE} does not list yet:`, ...added, '', `run ${UPDATE}, read the new lines and commit addresses/ with the change.`].join('\n');
}
