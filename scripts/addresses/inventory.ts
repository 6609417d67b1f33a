/**
 * What Terraform would see: every stack of every committed environment (and the bootstrap's
 * state-storage stacks), synthesized in memory, reduced to the two things that must not change by
 * accident: resource addresses (`type.name`) and the Azure names of data-bearing resources.
 * `npm run addresses:update` writes these to addresses/; __tests__/addresses.test.ts compares.
 */
import * as path from 'path';
import { Testing, type TerraformStack } from 'cdktf';
import { loadEnvironments } from '../../config/load';
import { buildEnvironment } from '../../stacks/environment';
import type { PlatformStack } from '../../stacks/platform-stack';
import { buildPipelineIdentityStacks } from '../../stacks/pipeline-identity-stack';
import { buildStateStorageStacks } from '../../stacks/state-storage-stack';
import { withExampleDelivery } from '../example-delivery';

export const ADDRESSES_DIR = path.join(__dirname, '..', '..', 'addresses');
export const ENVIRONMENTS_DIR = path.join(__dirname, '..', '..', 'config', 'environments');

/** One file in addresses/ per stack kind; the stack id is `<kind>-<instance>`. */
export const STACK_KINDS = ['network', 'data-disks', 'cluster-and-registry', 'application', 'services', 'monitoring', 'state-storage', 'pipeline-identity'] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/**
 * Resource types whose Azure name is the resource: a new name is a new, empty resource. With
 * what a changed name would cost, for the test's message.
 */
export const DATA_BEARING_TYPES: Readonly<Record<string, { readonly what: string; readonly consequence: string }>> = {
  azurerm_managed_disk: { what: 'managed disk', consequence: 'a new, empty disk; the data stays on the old disk, which Terraform would delete' },
  azurerm_management_lock: { what: 'delete lock', consequence: 'a new lock and the old one deleted: the disk has no lock in between' },
  azurerm_data_protection_backup_vault: { what: 'backup vault', consequence: 'a new, empty vault; every recovery point is in the old one, which Terraform would delete' },
  azurerm_data_protection_backup_instance_disk: { what: 'backup instance', consequence: 'a new backup instance with no recovery points; the old one is deleted with its recovery points' },
  azurerm_key_vault: { what: 'Key Vault', consequence: 'a new, empty vault; every secret stays in the old one, which Terraform would delete (soft-deleted: recoverable only for its retention days)' },
  azurerm_key_vault_secret: { what: 'Key Vault secret', consequence: 'a new secret; the old one and its versions are deleted' },
  azurerm_storage_account: { what: 'state storage account', consequence: 'a new, empty account; every Terraform state file is in the old one' },
  azurerm_storage_container: { what: 'state container', consequence: 'a new, empty container; every Terraform state file is in the old one' },
  azurerm_resource_group: { what: 'resource group', consequence: 'a new resource group; Terraform would delete the old one with everything in it' },
  azurerm_monitor_workspace: { what: 'Azure Monitor workspace', consequence: 'a new, empty metrics store; the stored Prometheus metrics stay in the old one, which Terraform would delete' },
  azurerm_kubernetes_cluster: { what: 'AKS cluster', consequence: 'a new, empty cluster; every workload and Kubernetes object on the old one is gone' },
};

/** One synthesized stack, as Terraform reads it. */
export interface SynthesizedStack {
  readonly kind: StackKind;
  /** The environment (or, for state-storage, the storage account) the stack is for. */
  readonly instance: string;
  readonly id: string;
  /** Managed resource addresses, `type.name`, sorted. */
  readonly addresses: readonly string[];
  /** `from` -> `to` of the stack's `moved` blocks. */
  readonly moved: ReadonlyMap<string, string>;
  /** Azure name of each data-bearing resource, by address. */
  readonly names: ReadonlyMap<string, string>;
  /** Addresses that carry prevent_destroy. */
  readonly preventDestroy: ReadonlySet<string>;
}

type TerraformJson = Record<string, any>;

/** `${type.name.name}` references to another resource's name, replaced by that name when it is a literal. */
function resolveName(value: unknown, resources: TerraformJson): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return value.replace(/\$\{([a-z0-9_]+)\.([\w-]+)\.name\}/g, (whole, type: string, name: string) => {
    const target = resources[type]?.[name]?.name;
    return typeof target === 'string' && !target.includes('${') ? target : whole;
  });
}

/** Addresses, moved blocks and data-bearing names of one stack's Terraform JSON. */
export function inventoryOf(json: TerraformJson): Pick<SynthesizedStack, 'addresses' | 'moved' | 'names' | 'preventDestroy'> {
  const resources: TerraformJson = json.resource ?? {};
  const addresses: string[] = [];
  const names = new Map<string, string>();
  const preventDestroy = new Set<string>();
  for (const [type, byName] of Object.entries<TerraformJson>(resources)) {
    for (const [name, resource] of Object.entries<TerraformJson>(byName)) {
      const address = `${type}.${name}`;
      addresses.push(address);
      if (type in DATA_BEARING_TYPES) names.set(address, resolveName(resource.name, resources));
      if (resource.lifecycle?.prevent_destroy === true) preventDestroy.add(address);
    }
  }
  const moved = new Map<string, string>((json.moved ?? []).map((block: { from: string; to: string }) => [block.from, block.to]));
  return { addresses: addresses.sort(), moved, names, preventDestroy };
}

function synthesized(kind: StackKind, instance: string, stack: TerraformStack): SynthesizedStack {
  return { kind, instance, id: stack.node.id, ...inventoryOf(JSON.parse(Testing.synth(stack))) };
}

/**
 * Every stack of every environment file in `environmentsDir` (through the project's loader, so a
 * bad file fails here as it fails synth), plus the bootstrap's state-storage and pipeline-identity
 * stacks. The
 * backends are the deployed ones (azurerm); they change no address.
 */
export function synthesizeAll(environmentsDir = ENVIRONMENTS_DIR): SynthesizedStack[] {
  const configs = loadEnvironments(environmentsDir).map((e) => e.config);
  const stacks: SynthesizedStack[] = [];
  const app = Testing.app();
  for (const config of configs) {
    for (const stack of Object.values(buildEnvironment(app, config, 'azurerm')) as PlatformStack<string>[]) {
      stacks.push(synthesized(stack.stackName as StackKind, config.environment, stack));
    }
  }
  for (const stack of buildStateStorageStacks(Testing.app(), configs, 'local')) {
    stacks.push(synthesized('state-storage', stack.node.id.slice('state-storage-'.length), stack));
  }
  // Each environment's pipeline identities, with the example delivery where the file has none.
  for (const stack of buildPipelineIdentityStacks(Testing.app(), configs.map(withExampleDelivery), 'local')) {
    stacks.push(synthesized('pipeline-identity', stack.node.id.slice('pipeline-identity-'.length), stack));
  }
  const unknown = stacks.filter((s) => !(STACK_KINDS as readonly string[]).includes(s.kind));
  if (unknown.length > 0) {
    throw new Error(`stack kinds without an addresses file: ${unknown.map((s) => s.id).join(', ')}; add the kind to STACK_KINDS in scripts/addresses/inventory.ts`);
  }
  return stacks;
}
