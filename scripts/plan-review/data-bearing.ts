/**
 * Resources that hold data, or whose loss loses data: a plan that deletes or replaces one is
 * refused unless its address is named with `--allow-replace`. They are flagged wherever they
 * appear in a review, creates and updates included.
 *
 * The list is deliberately by resource type, not by what our code marks `prevent_destroy`: the
 * guard has to keep working in the reviewed change that removes a `prevent_destroy`.
 */
import type { DataBearing } from './model';

/** What a rule sees of one resource change. */
export interface ResourceFacts {
  readonly type: string;
  /** The resource's values before and after (whichever exist). */
  readonly before: any;
  readonly after: any;
  /** Its block in the synthesized stack, when the stack still has it. */
  readonly config: any;
  /** Namespaces that hold data in this plan: those of claims and of stateful Helm releases. */
  readonly dataNamespaces: ReadonlySet<string>;
}

export interface DataBearingRule {
  /** A resource type, or a pattern for a family of types. */
  readonly type: string | RegExp;
  /** Short label for reviews. */
  readonly kind: string;
  /** Why it holds data: shown next to every flagged resource and refusal. */
  readonly why: string;
  /** Narrows a type to the instances that hold data (a lock on a disk, the Opik release). */
  readonly applies?: (r: ResourceFacts) => boolean;
}

/** Helm releases whose charts run data stores (StatefulSets with claims). */
export const STATEFUL_HELM_RELEASES: readonly string[] = ['opik'];

const values = (r: ResourceFacts) => [r.before, r.after, r.config].filter((v) => v && typeof v === 'object');
const first = (v: any) => (Array.isArray(v) ? v[0] : v);

/** A Kubernetes object's metadata.name / namespace, from plan values (a list of one block) or from synthesized config (an object). */
export const metadataField = (v: any, field: 'name' | 'namespace'): string | undefined => {
  const name = first(v?.metadata)?.[field];
  return typeof name === 'string' ? name : undefined;
};

export const DATA_BEARING: readonly DataBearingRule[] = [
  // The disks are where MySQL, ClickHouse, Redis, MinIO and ZooKeeper keep their files; a replaced
  // disk is a new, empty one.
  { type: 'azurerm_managed_disk', kind: 'managed disk', why: 'holds a data store\'s files; a replacement is a new, empty disk' },
  // The CanNotDelete lock is what stops the portal, the CLI and scripts from deleting a disk; only
  // locks on disks count (scope is a disk, or references one in the code).
  {
    type: 'azurerm_management_lock',
    kind: 'delete lock on a disk',
    why: 'keeps a data disk from being deleted outside Terraform; without it one command deletes the data',
    applies: (r) =>
      values(r).some((v) => typeof v.scope === 'string' && (/\/providers\/Microsoft\.Compute\/disks\//i.test(v.scope) || /\bazurerm_managed_disk\./.test(v.scope))),
  },
  // The backup vault stores the disks' recovery points; deleting it deletes every backup.
  { type: 'azurerm_data_protection_backup_vault', kind: 'backup vault', why: 'stores the disks\' recovery points; deleting it deletes the backups' },
  // A backup instance is one disk's protection and its recovery points; deleting it stops backups and drops its recovery points.
  { type: /^azurerm_data_protection_backup_instance_/, kind: 'backup instance', why: 'protects one disk and owns its recovery points; deleting it stops backups and removes them' },
  // The policy sets how long recovery points are kept; replacing it re-creates the instances that use it.
  { type: /^azurerm_data_protection_backup_policy_/, kind: 'backup policy', why: 'sets how long recovery points are kept; replacing it re-creates the backup instances that use it' },
  // The PV ties a claim to its Azure disk by volume handle; replaced, the claim is left Lost until re-bound by hand.
  { type: 'kubernetes_persistent_volume_v1', kind: 'persistent volume', why: 'binds a data store\'s claim to its Azure disk; replaced, the claim loses its volume' },
  // A claim deleted or replaced leaves its StatefulSet to create a new claim, which may bind to a new, empty volume.
  { type: 'kubernetes_persistent_volume_claim_v1', kind: 'persistent volume claim', why: 'is how a data store reaches its disk; a new claim can bind to a new, empty volume' },
  // Deleting a namespace deletes every claim, Secret and StatefulSet in it. Only the namespaces
  // that hold claims or a stateful release (Opik's) count.
  {
    type: 'kubernetes_namespace_v1',
    kind: 'data namespace',
    why: 'holds the data stores\' claims and Secrets; deleting it deletes them all',
    applies: (r) => values(r).some((v) => {
      const name = metadataField(v, 'name');
      return name !== undefined && r.dataNamespaces.has(name);
    }),
  },
  // The Opik release runs MySQL, ClickHouse, Redis, MinIO and ZooKeeper as StatefulSets; uninstalling
  // or re-installing it deletes them and the claims the chart owns.
  {
    type: 'helm_release',
    kind: 'stateful Helm release',
    why: 'runs the data stores as StatefulSets; replacing it uninstalls them and the claims the chart owns',
    applies: (r) => values(r).some((v) => STATEFUL_HELM_RELEASES.includes(v.name)),
  },
  // The vault holds the only copies of the data-store passwords outside Terraform state.
  { type: 'azurerm_key_vault', kind: 'key vault', why: 'holds the data-store passwords operators read; a new vault starts empty' },
  // Each secret is an operator's copy of a data-store password.
  { type: 'azurerm_key_vault_secret', kind: 'key vault secret', why: 'is the copy of a password operators read; replaced, it holds a new value that opens nothing' },
  // MySQL and the others write their users' passwords to disk at first start and never re-read the
  // configured one: a new password locks the workload out of its own data. The plan cannot tell a
  // data-store password from, say, a cookie secret, so every generated password counts.
  { type: 'random_password', kind: 'generated password', why: 'may be a password a data store wrote to its disk at first start; a new value locks the workload out of its data' },
  // The state storage: every stack's Terraform state lives in this account.
  { type: 'azurerm_storage_account', kind: 'state storage account', why: 'holds the Terraform state of every stack; deleting it loses track of every resource' },
  { type: 'azurerm_storage_container', kind: 'state storage container', why: 'holds the Terraform state blobs; deleting it loses track of every resource' },
  // Deleting a resource group deletes everything in it: the disks in the main group, the state storage in its own.
  { type: 'azurerm_resource_group', kind: 'resource group', why: 'deleting it deletes everything in it, the data disks or the state storage included' },
];

/** Namespaces that hold data in a plan: those of claims, of PVs' claim references and of stateful Helm releases. */
export function dataNamespaces(resourceChanges: readonly any[]): Set<string> {
  const names = new Set<string>();
  for (const c of resourceChanges) {
    for (const v of [c.change?.before, c.change?.after]) {
      if (!v || typeof v !== 'object') continue;
      if (c.type === 'kubernetes_persistent_volume_claim_v1') {
        const ns = metadataField(v, 'namespace');
        if (ns) names.add(ns);
      }
      if (c.type === 'kubernetes_persistent_volume_v1') {
        const ns = first(first(v.spec)?.claim_ref)?.namespace;
        if (typeof ns === 'string') names.add(ns);
      }
      if (c.type === 'helm_release' && STATEFUL_HELM_RELEASES.includes(v.name) && typeof v.namespace === 'string') names.add(v.namespace);
    }
  }
  return names;
}

/** The rule a resource falls under, if it holds data. */
export function dataBearing(facts: ResourceFacts): DataBearing | undefined {
  const rule = DATA_BEARING.find((r) => (typeof r.type === 'string' ? r.type === facts.type : r.type.test(facts.type)) && (!r.applies || r.applies(facts)));
  return rule ? { kind: rule.kind, why: rule.why } : undefined;
}
