/**
 * ARM itself: the routes under /subscriptions, over the resource store. PUT stores and echoes
 * (with server-side values per type), PATCH merges, DELETE removes unless a management lock
 * forbids it, collections list what is stored, POST runs a type's actions. What no route knows
 * throws Unanswered, which the server records: a rehearsal must fail on it, not pass on a 404.
 */
import { SUBSCRIPTION_ID, TENANT_ID } from './identity';
import { behaviourOf, decorate, roleDefinition, roleDefinitionsMatching, type TypeContext } from './resource-types';
import { type Json, type StoredResource, parseArmPath, subscriptionOf, typeOf } from './store';

export interface FailureOptions {
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  /**
   * Status to fail with (default 500). go-azure-sdk retries 5xx (except 501) up to 16 times with
   * backoff, so a 500 once is a transient blip the deploy survives; a 409 fails the apply at once.
   */
  readonly status?: number;
  readonly code?: string;
  /** Which method to fail (default PUT). */
  readonly method?: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class Unanswered extends Error {}

export const armError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

/** RFC 7386 merge patch: what ARM's PATCH means. */
function mergePatch(target: any, patch: any): any {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

/** `$filter=resourceType eq 'X'` (and `name eq`), the forms the providers use. */
function filterResources(resources: Json[], filter: string | null): Json[] {
  if (!filter) return resources;
  const type = /resourceType\s+eq\s+'([^']+)'/i.exec(filter)?.[1];
  const name = /name\s+eq\s+'([^']+)'/i.exec(filter)?.[1];
  return resources.filter((r) => (!type || String(r.type).toLowerCase() === type.toLowerCase()) && (!name || String(r.name).toLowerCase() === name.toLowerCase()));
}

const LOCK_TYPE = 'microsoft.authorization/locks';
const isLock = (id: string) => typeOf(id).toLowerCase() === LOCK_TYPE;
const lockScope = (lockId: string) => lockId.replace(/\/providers\/Microsoft\.Authorization\/locks\/[^/]+$/i, '');

export interface ResourceManager {
  /** Stores `body` at `id` as a PUT does (server-side values added), without checks or faults. */
  put(id: string, body: Json): StoredResource;
  /** Answers one request under /subscriptions; throws Unanswered for what it does not know. */
  handle(method: string, pathname: string, query: URLSearchParams, body: Json | undefined): Reply;
  failNext(pattern: string | RegExp, options?: FailureOptions | number): void;
}

export function createResourceManager(ctx: TypeContext): ResourceManager {
  const store = ctx.store;
  const failures: Array<{ pattern: RegExp; left: number; status: number; code: string; method: string }> = [];
  /** Settings documents (TypeBehaviour.documents) as last PUT, by lower-cased path. */
  const documents = new Map<string, Json>();

  /** Stores `body` at `id` as a PUT does: identity fields and server-side values added. */
  function storeResource(id: string, body: Json, previous?: StoredResource): StoredResource {
    const parsed = parseArmPath(id);
    if (parsed.kind !== 'resource') throw new Error(`not a resource ID: ${id}`);
    const stored: Json = JSON.parse(JSON.stringify(body));
    stored.id = previous?.id ?? parsed.id;
    stored.name = parsed.name;
    stored.type = parsed.type;
    const props = (stored.properties ??= {});
    props.provisioningState = 'Succeeded';
    decorate(ctx, stored.id, parsed.type, stored);
    const entry = store.set(stored.id, stored);
    behaviourOf(parsed.type).afterPut?.(ctx, entry.id, stored);
    return entry;
  }


  /** 404 unless the resource group and parent resource of `id` exist, as Azure checks. */
  function missingParent(id: string): Reply | undefined {
    const group = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)\/./i.exec(id)?.[1];
    if (group && !store.get(group)) return armError(404, 'ResourceGroupNotFound', `Resource group '${group.split('/').pop()}' could not be found.`);
    const parsed = parseArmPath(id);
    if (parsed.kind !== 'resource') return undefined;
    const parent = parsed.id.split('/').slice(0, -2).join('/');
    const parentParsed = parseArmPath(parent);
    // A child (subnet, agent pool, cache rule) or an extension resource (lock, role assignment).
    const isChild = parentParsed.kind === 'resource' && parentParsed.type.split('/').length > 1 && parsed.type.startsWith(parentParsed.type);
    const scope = parsed.scope;
    const scopeParsed = parseArmPath(scope);
    const needed = isChild ? parent : scopeParsed.kind === 'resource' ? scope : undefined;
    if (needed && !store.get(needed) && !implicitChild(needed)) {
      return armError(404, 'ParentResourceNotFound', `Can not perform requested operation on nested resource. Parent resource '${needed}' not found.`);
    }
    return undefined;
  }

  /** A child Azure always has (blobServices/default ...), synthesized from its stored parent. */
  function implicitChild(id: string): Json | undefined {
    const segments = id.split('/').filter(Boolean);
    const parentId = `/${segments.slice(0, -2).join('/')}`;
    const parent = store.get(parentId);
    if (!parent) return undefined;
    const behaviour = behaviourOf(typeOf(parent.id));
    const [childType, name] = segments.slice(-2);
    const make = behaviour.implicitChildren?.[`${childType}/${name}`.toLowerCase()];
    const fromDataPlane = behaviour.dataPlaneChildren?.[childType.toLowerCase()];
    const made = make ? make(ctx, parent) : fromDataPlane?.(ctx, parent, name);
    if (!made) return undefined;
    const parsed = parseArmPath(id);
    return { ...made, id: `${parent.id}/${childType}/${name}`, name, type: parsed.kind === 'resource' ? parsed.type : '' };
  }

  /** The settings document `{resource}/{name}` names, if its stored resource's type has one. */
  function documentAt(segments: string[]): { initial: () => Json } | undefined {
    const resource = store.get(`/${segments.slice(0, -1).join('/')}`);
    if (!resource) return undefined;
    const make = behaviourOf(typeOf(resource.id)).documents?.[segments[segments.length - 1].toLowerCase()];
    return make ? { initial: () => make(ctx, resource) } : undefined;
  }

  function deleteResource(id: string): Reply {
    const target = id.toLowerCase();
    const parsed = parseArmPath(id);
    if (!isLock(id)) {
      for (const lock of store.all()) {
        if (!isLock(lock.id)) continue;
        const level = String(lock.body.properties?.level ?? '');
        if (level !== 'CanNotDelete' && level !== 'ReadOnly') continue;
        const scope = lockScope(lock.id).toLowerCase();
        // A lock on the resource, on an ancestor (group), or on anything the delete would take along.
        // Extension resources at a locked scope count too: Azure refuses to delete a role
        // assignment on a CanNotDelete-locked resource (MicrosoftDocs/azure-docs#110791).
        if (target === scope || target.startsWith(`${scope}/`) || scope.startsWith(`${target}/`)) {
          return armError(
            409,
            'ScopeLocked',
            `The scope '${id}' cannot perform delete operation because following scope(s) are locked: '${lockScope(lock.id)}'. Please remove the lock and try again.`,
          );
        }
      }
    }
    const existed = store.get(id);
    store.delete(id);
    for (const key of [...documents.keys()]) if (key.startsWith(`${target}/`)) documents.delete(key);
    if (existed && parsed.kind === 'resource') behaviourOf(parsed.type).afterDelete?.(ctx, existed);
    if (!existed) return { status: 204 };
    const status = parsed.kind === 'resource' ? (behaviourOf(parsed.type).deleteStatus ?? 200) : 200;
    return { status };
  }

  function faultFor(method: string, id: string): Reply | undefined {
    const failure = failures.find((f) => f.left > 0 && f.method === method && f.pattern.test(id));
    if (!failure) return undefined;
    failure.left--;
    return armError(failure.status, failure.code, `Injected failure for ${method} ${id}`);
  }

  function subscriptionBody(sub: string): Json {
    const subscriptionId = sub.split('/')[2];
    return { id: sub, subscriptionId, tenantId: TENANT_ID, displayName: 'ARM stand-in', state: 'Enabled', authorizationSource: 'RoleBased' };
  }

  /** Everything under /subscriptions. Throws Unanswered for what it does not know. */
  function arm(method: string, pathname: string, query: URLSearchParams, body: Json | undefined): Reply {
    const segments = pathname.split('/').filter(Boolean);
    const sub = subscriptionOf(pathname);
    const lower = segments.map((s) => s.toLowerCase());
    if (lower.length === 1 && lower[0] === 'subscriptions' && method === 'GET') return { status: 200, body: { value: [subscriptionBody(`/subscriptions/${SUBSCRIPTION_ID}`)] } };
    if (!sub) throw new Unanswered('not an ARM path');
    if (lower.length === 2 && method === 'GET') return { status: 200, body: subscriptionBody(sub) };
    if (lower.length === 3 && lower[2] === 'locations' && method === 'GET') {
      const value = ['westeurope', 'northeurope', 'eastus', 'swedencentral'].map((name) => ({ id: `${sub}/locations/${name}`, name, displayName: name }));
      return { status: 200, body: { value } };
    }
    if (lower.length === 3 && lower[2] === 'resources' && method === 'GET') {
      const all = store.all().filter((r) => r.id.toLowerCase().startsWith(`${sub.toLowerCase()}/`) && parseArmPath(r.id).kind === 'resource');
      return { status: 200, body: { value: filterResources(all.map((r) => r.body), query.get('$filter')) } };
    }
    if (lower.length === 5 && lower[2] === 'resourcegroups' && lower[4] === 'resources' && method === 'GET') {
      const groupId = `/${segments.slice(0, 4).join('/')}`;
      if (!store.get(groupId)) return armError(404, 'ResourceGroupNotFound', `Resource group '${segments[3]}' could not be found.`);
      return { status: 200, body: { value: filterResources(store.inResourceGroup(groupId).map((r) => r.body), query.get('$filter')) } };
    }
    // Resource providers: always registered (enhanced validation and registration are off anyway).
    if (lower.length === 3 && lower[2] === 'providers' && method === 'GET') return { status: 200, body: { value: [] } };
    if (lower[2] === 'providers' && ((lower.length === 4 && method === 'GET') || (lower.length === 5 && method === 'POST' && lower[4] === 'register'))) {
      return { status: 200, body: { id: `${sub}/providers/${segments[3]}`, namespace: segments[3], registrationState: 'Registered', resourceTypes: [] } };
    }

    const parsed = parseArmPath(pathname);
    const type = parsed.kind === 'other' ? '' : parsed.type.toLowerCase();

    if (type === 'microsoft.authorization/roledefinitions' && method === 'GET') {
      if (parsed.kind === 'collection') return { status: 200, body: { value: roleDefinitionsMatching(sub, query.get('$filter')) } };
      const role = roleDefinition(sub, segments[segments.length - 1]) ?? (parsed.kind === 'resource' ? store.get(parsed.id)?.body : undefined);
      return role ? { status: 200, body: role } : armError(404, 'RoleDefinitionDoesNotExist', 'The specified role definition does not exist.');
    }
    if (type.endsWith('/checknameavailability') && method === 'POST') return { status: 200, body: { nameAvailable: true } };

    const document = documentAt(segments);
    if (document && (method === 'GET' || method === 'PUT')) {
      const key = pathname.toLowerCase().replace(/\/+$/, '');
      if (method === 'PUT') documents.set(key, JSON.parse(JSON.stringify(body ?? {})));
      return { status: 200, body: documents.get(key) ?? document.initial() };
    }

    if (parsed.kind === 'collection') {
      if (method === 'GET') {
        const scopeIsSubscription = parsed.scope.toLowerCase() === sub.toLowerCase() && parsed.type.split('/').length === 2;
        const found = scopeIsSubscription ? store.byType(parsed.type, sub) : store.children(parsed.path);
        return { status: 200, body: { value: filterResources(found.map((r) => r.body), query.get('$filter')) } };
      }
      if (method === 'POST') {
        // `{resource}/{action}` parses as a collection: the action belongs to the resource before it.
        const resourceId = `/${segments.slice(0, -1).join('/')}`;
        const action = segments[segments.length - 1];
        const resource = store.get(resourceId);
        if (!resource) {
          const p = parseArmPath(resourceId);
          if (p.kind === 'resource') return armError(404, 'ResourceNotFound', `The Resource '${p.type}/${p.name}' was not found.`);
          throw new Unanswered('POST to an unknown path');
        }
        const handler = Object.entries(behaviourOf(typeOf(resource.id)).actions ?? {}).find(([name]) => name.toLowerCase() === action.toLowerCase())?.[1];
        if (!handler) throw new Unanswered(`no POST action ${action} for ${typeOf(resource.id)}`);
        return handler(ctx, resource, body ?? {});
      }
      throw new Unanswered(`${method} on a collection`);
    }
    if (parsed.kind !== 'resource') throw new Unanswered('not a resource or collection path');

    const existing = store.get(parsed.id);
    const notFound = () =>
      parsed.type === 'Microsoft.Resources/resourceGroups'
        ? armError(404, 'ResourceGroupNotFound', `Resource group '${parsed.name}' could not be found.`)
        : armError(404, 'ResourceNotFound', `The Resource '${parsed.type}/${parsed.name}' under resource group '${/resourceGroups\/([^/]+)/i.exec(parsed.id)?.[1] ?? ''}' was not found.`);
    switch (method) {
      case 'GET': {
        if (existing) return { status: 200, body: existing.body };
        const implicit = implicitChild(parsed.id);
        return implicit ? { status: 200, body: implicit } : notFound();
      }
      case 'HEAD':
        return { status: existing ? 204 : 404 };
      case 'PUT': {
        const fault = faultFor('PUT', parsed.id);
        if (fault) return fault;
        const missing = missingParent(parsed.id);
        if (missing) return missing;
        return { status: behaviourOf(parsed.type).putStatus ?? 200, body: storeResource(parsed.id, body ?? {}, existing).body };
      }
      case 'PATCH': {
        const fault = faultFor('PATCH', parsed.id);
        if (fault) return fault;
        if (!existing) return notFound();
        return { status: 200, body: storeResource(parsed.id, mergePatch(existing.body, body ?? {}), existing).body };
      }
      case 'DELETE': {
        const fault = faultFor('DELETE', parsed.id);
        if (fault) return fault;
        return deleteResource(parsed.id);
      }
      default:
        throw new Unanswered(`${method} on a resource`);
    }
  }


  return {
    put: (id, body) => storeResource(id, body, store.get(id)),
    handle: arm,
    failNext(pattern, opts) {
      const o: FailureOptions = typeof opts === 'number' ? { times: opts } : (opts ?? {});
      const status = o.status ?? 500;
      failures.push({
        pattern: typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : pattern,
        left: o.times ?? 1,
        status,
        code: o.code ?? (status === 409 ? 'Conflict' : 'InternalServerError'),
        method: (o.method ?? 'PUT').toUpperCase(),
      });
    },
  };
}
