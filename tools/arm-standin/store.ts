/**
 * The resource store: what was PUT, by resource ID, and how ARM paths map onto it.
 *
 * ARM IDs are case-insensitive (the providers send `resourceGroups` and `resourcegroups`, and
 * Azure hands back IDs in its own case), so entries are keyed by the lower-cased ID while the
 * ID as first written is what responses carry.
 */

export type Json = Record<string, any>;

export interface StoredResource {
  /** The ID as first written. */
  readonly id: string;
  body: Json;
}

/** What an ARM path names. */
export type ArmPath =
  | { kind: 'resource'; id: string; type: string; name: string; scope: string }
  | { kind: 'collection'; path: string; type: string; scope: string }
  | { kind: 'other'; path: string };

const trimSlashes = (p: string) => `/${p.split('/').filter(Boolean).join('/')}`;

/**
 * Splits a path at its last `/providers/{namespace}`: what follows alternates type and name, so
 * an even count ends in a name (one resource) and an odd count in a type (a collection). Paths
 * without a provider segment are the subscription's own: resource groups.
 */
export function parseArmPath(rawPath: string): ArmPath {
  const path = trimSlashes(rawPath);
  const segments = path.split('/').filter(Boolean);
  let providers = -1;
  for (let i = segments.length - 2; i >= 0; i--) {
    if (segments[i].toLowerCase() === 'providers') {
      providers = i;
      break;
    }
  }
  if (providers > 0) {
    const namespace = segments[providers + 1];
    const rest = segments.slice(providers + 2);
    const scope = `/${segments.slice(0, providers).join('/')}`;
    if (rest.length === 0) return { kind: 'other', path };
    const types = rest.filter((_, i) => i % 2 === 0);
    const type = `${namespace}/${types.join('/')}`;
    if (rest.length % 2 === 0) return { kind: 'resource', id: path, type, name: rest[rest.length - 1], scope };
    return { kind: 'collection', path, type, scope };
  }
  if (segments.length === 4 && segments[0].toLowerCase() === 'subscriptions' && segments[2].toLowerCase() === 'resourcegroups') {
    return { kind: 'resource', id: path, type: 'Microsoft.Resources/resourceGroups', name: segments[3], scope: `/${segments.slice(0, 2).join('/')}` };
  }
  if (segments.length === 3 && segments[0].toLowerCase() === 'subscriptions' && segments[2].toLowerCase() === 'resourcegroups') {
    return { kind: 'collection', path, type: 'Microsoft.Resources/resourceGroups', scope: `/${segments.slice(0, 2).join('/')}` };
  }
  return { kind: 'other', path };
}

/** `/subscriptions/{id}` of a path, or null. */
export function subscriptionOf(path: string): string | null {
  const m = /^\/subscriptions\/([^/]+)/i.exec(path);
  return m ? `/subscriptions/${m[1]}` : null;
}

/** The type of a stored resource, from its ID. */
export function typeOf(id: string): string {
  const parsed = parseArmPath(id);
  return parsed.kind === 'resource' ? parsed.type : '';
}

export class ResourceStore {
  private readonly entries = new Map<string, StoredResource>();

  get(id: string): StoredResource | undefined {
    return this.entries.get(trimSlashes(id).toLowerCase());
  }

  set(id: string, body: Json): StoredResource {
    const key = trimSlashes(id).toLowerCase();
    const existing = this.entries.get(key);
    const entry = { id: existing?.id ?? trimSlashes(id), body };
    this.entries.set(key, entry);
    return entry;
  }

  /** Removes `id` and everything beneath it (child and extension resources go with their parent). */
  delete(id: string): StoredResource[] {
    const key = trimSlashes(id).toLowerCase();
    const removed: StoredResource[] = [];
    for (const [k, v] of this.entries) {
      if (k === key || k.startsWith(`${key}/`)) {
        removed.push(v);
        this.entries.delete(k);
      }
    }
    return removed;
  }

  all(): StoredResource[] {
    return [...this.entries.values()];
  }

  /** Resources directly beneath a collection path (`.../virtualNetworks/vnet/subnets`). */
  children(collectionPath: string): StoredResource[] {
    const prefix = `${trimSlashes(collectionPath).toLowerCase()}/`;
    return this.all().filter((r) => {
      const k = r.id.toLowerCase();
      return k.startsWith(prefix) && !k.slice(prefix.length).includes('/');
    });
  }

  /** Every resource of `type` (case-insensitive) whose ID lies under `under` (a subscription or group). */
  byType(type: string, under: string): StoredResource[] {
    const prefix = `${trimSlashes(under).toLowerCase()}/`;
    return this.all().filter((r) => r.id.toLowerCase().startsWith(prefix) && typeOf(r.id).toLowerCase() === type.toLowerCase());
  }

  /** Top-level resources of a resource group (what `.../resourceGroups/{rg}/resources` lists). */
  inResourceGroup(groupId: string): StoredResource[] {
    const prefix = `${trimSlashes(groupId).toLowerCase()}/providers/`;
    return this.all().filter((r) => {
      const k = r.id.toLowerCase();
      return k.startsWith(prefix) && k.slice(prefix.length).split('/').length === 3;
    });
  }
}
