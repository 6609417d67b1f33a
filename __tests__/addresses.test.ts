/**
 * Terraform addresses and data-bearing Azure names cannot move by accident: every stack of every
 * environment file is held to the lists in addresses/ (written by `npm run addresses:update`).
 * A snapshot diff is accepted with one keystroke; these fail with what would be destroyed and
 * what to do instead. README: "Addresses that cannot move by accident".
 */
import { Testing, TerraformStack } from 'cdktf';
import { ManagedDisk } from '@cdktf/provider-azurerm/lib/managed-disk';
import { changedNames, missingAddresses, newAddresses, newNames } from '../scripts/addresses/check';
import { inventoryOf, STACK_KINDS, synthesizeAll, type SynthesizedStack } from '../scripts/addresses/inventory';
import { addressFile, NAMES_FILE, parseAddressList, parseNamesList, placement, readCommitted, renderAddressList, renderNamesList } from '../scripts/addresses/lists';

/** Fails the test with `message` as it is, when there is one. */
function expectNoProblem(message: string | undefined): void {
  if (message !== undefined) throw new Error(`\n${message}`);
}

function committedText(file: string): string {
  const text = readCommitted(file);
  if (text === undefined) throw new Error(`addresses/${file} does not exist: run npm run addresses:update and commit addresses/`);
  return text;
}

const stacks = synthesizeAll();

describe.each(STACK_KINDS)('addresses/%s.txt', (kind) => {
  test('every listed address is still synthesized (or moved by a moved block)', () => {
    expectNoProblem(missingAddresses(kind, parseAddressList(kind, committedText(addressFile(kind))), stacks));
  });

  test('every synthesized address is listed', () => {
    expectNoProblem(newAddresses(kind, parseAddressList(kind, committedText(addressFile(kind))), stacks));
  });
});

describe(`addresses/${NAMES_FILE}`, () => {
  test('no data-bearing resource has a new Azure name', () => {
    expectNoProblem(changedNames(parseNamesList(committedText(NAMES_FILE)), stacks));
  });

  test('every data-bearing resource is listed', () => {
    expectNoProblem(newNames(parseNamesList(committedText(NAMES_FILE)), stacks));
  });
});

describe('the checks', () => {
  const prodDisks = stacks.find((s) => s.id === 'data-disks-prod')!;
  const mysqlDisk = prodDisks.addresses.find((a) => a.startsWith('azurerm_managed_disk.disk-mysql'))!;
  /** The data-disks stacks as they would synthesize after the mysql disk's construct id changed. */
  const renamed = (moved?: boolean): SynthesizedStack[] =>
    stacks.map((s) =>
      s.kind !== 'data-disks'
        ? s
        : {
            ...s,
            addresses: s.addresses.map((a) => (a === mysqlDisk ? 'azurerm_managed_disk.mysql-disk_0000AAAA' : a)),
            moved: new Map(moved ? [[mysqlDisk, 'azurerm_managed_disk.mysql-disk_0000AAAA']] : []),
          },
    );
  const committedDisks = parseAddressList('data-disks', renderAddressList('data-disks', stacks));

  test('the list reads back as exactly the synthesized addresses', () => {
    const total = stacks.filter((s) => s.kind === 'data-disks').reduce((n, s) => n + s.addresses.length, 0);
    expect(committedDisks.placements.size).toBe(total);
    expect(committedDisks.placements.has(placement('data-disks-prod', prodDisks.addresses.find((a) => a.includes('backup_vault'))!))).toBe(true);
    expect(committedDisks.placements.has(placement('data-disks-dev', prodDisks.addresses.find((a) => a.includes('backup_vault'))!))).toBe(false);
  });

  test('fails if a listed address is no longer synthesized, naming it, its likely successor and moveFromId', () => {
    const message = missingAddresses('data-disks', committedDisks, renamed());
    expect(message).toContain(`${mysqlDisk}  in data-disks-dev, data-disks-prod, data-disks-staging`);
    expect(message).toContain(`now probably azurerm_managed_disk.mysql-disk_0000AAAA: if so, on that resource call .moveFromId('${mysqlDisk}')`);
    expect(message).toContain('prevent_destroy does not stop this');
    expect(message).toContain('run npm run addresses:update and commit addresses/ in the same commit');
  });

  test('a moved block from the listed address satisfies it; the new address still asks for an update', () => {
    expect(missingAddresses('data-disks', committedDisks, renamed(true))).toBeUndefined();
    expect(newAddresses('data-disks', committedDisks, renamed(true))).toContain(`azurerm_managed_disk.mysql-disk_0000AAAA  in data-disks-dev, data-disks-prod, data-disks-staging  (moved from ${mysqlDisk})`);
  });

  test('fails if an address is new, with "run npm run addresses:update"', () => {
    expect(newAddresses('data-disks', committedDisks, renamed())).toContain('run npm run addresses:update');
  });

  test('fails if a data-bearing name changes, with the old and new name and what it costs', () => {
    const committed = parseNamesList(renderNamesList(stacks));
    const changed = stacks.map((s) => (s !== prodDisks ? s : { ...s, names: new Map([...s.names, [mysqlDisk, 'disk-opik-prod-weu-mysql-v2']]) }));
    const message = changedNames(committed, changed);
    expect(message).toContain(`data-disks-prod: managed disk ${mysqlDisk}\n      was "disk-opik-prod-weu-mysql", now "disk-opik-prod-weu-mysql-v2": a new, empty disk`);
    expect(message).toContain('It has prevent_destroy: the plan will stop');
  });

  test('moveFromId writes the moved block the checks read (cdktf 0.21)', () => {
    const stack = new TerraformStack(Testing.app(), 'moves');
    const disk = new ManagedDisk(stack, 'new-id', { name: 'd', resourceGroupName: 'rg', location: 'westeurope', storageAccountType: 'Premium_LRS', createOption: 'Empty', diskSizeGb: 1 });
    disk.moveFromId('azurerm_managed_disk.old-id');
    expect([...inventoryOf(JSON.parse(Testing.synth(stack))).moved]).toEqual([['azurerm_managed_disk.old-id', 'azurerm_managed_disk.new-id']]);
  });
});
