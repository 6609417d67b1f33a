/**
 * An Azure Resource Manager stand-in on 127.0.0.1, for rehearsing deploys with the real cdktf CLI,
 * Terraform and azurerm provider and no Azure account.
 *
 * One HTTPS listener serves the metadata document, the token endpoint and ARM; the same listener
 * answers `{vault}.vault.azure.net` (chosen by SNI and Host), which clients reach through a small
 * HTTP proxy that tunnels CONNECT to it. Every request it cannot answer is recorded, because a
 * rehearsal that silently got a 404 from a stand-in proves nothing.
 *
 * Terraform environment (what tokenEnv() returns; all of it is needed):
 *   ARM_METADATA_HOSTNAME=127.0.0.1:<port>     the provider fetches https://<it>/metadata/endpoints
 *   ARM_TENANT_ID / ARM_CLIENT_ID / ARM_CLIENT_SECRET / ARM_SUBSCRIPTION_ID   the fixed identities
 *   SSL_CERT_FILE=<caFile>                     Go trusts only this CA then
 *   HTTPS_PROXY=http://127.0.0.1:<proxyPort>, NO_PROXY=localhost,127.0.0.1   Key Vault data plane
 *   ARM_PROVIDER_ENHANCED_VALIDATION_LOCATIONS=false, ..._RESOURCE_PROVIDERS=false   no location/RP lookups
 *   GO_AZURE_SDK_SKIP_POLLING_DELAY=true       else the SDK waits 10 s after each PUT/DELETE
 *
 * Azure Storage state (terraform's azurerm backend) worked with the storage account served here,
 * its primaryEndpoints.blob pointing at Azurite and listKeys returning Azurite's account key; the
 * exact backend settings are recorded in /work/scratch/arm/STATE.md by the rehearsal and repeated in
 * tools/arm-standin/README.md.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { CLIENT_ID, CLIENT_SECRET, SUBSCRIPTION_ID, TENANT_ID, metadataDocument, tokenResponse } from './identity';
import { KeyVaultDataPlane } from './key-vault';
import { behaviourOf, decorate, roleDefinition, roleDefinitionsMatching, type TypeContext } from './resource-types';
import { type Json, ResourceStore, type StoredResource, parseArmPath, subscriptionOf, typeOf } from './store';
import { createCertificateAuthority } from './tls';

export { CLIENT_ID, CLIENT_SECRET, OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID } from './identity';

/** Azurite's well-known development account key (public, documented). */
export const AZURITE_DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface ArmStandInOptions {
  /** HTTPS port for metadata, tokens, ARM and (tunnelled) Key Vault; 0 picks a free one. */
  readonly port?: number;
  /** Plain-HTTP CONNECT proxy port; 0 picks a free one. */
  readonly proxyPort?: number;
  /** Where ca.pem and requests.log go; a new temporary directory by default. */
  readonly workDir?: string;
  /** Returned (base64) by listClusterUserCredential / listClusterAdminCredential. */
  readonly kubeconfig?: string;
  /** A storage account's primaryEndpoints.blob; default Azurite's `http://127.0.0.1:10000/{account}/`. */
  readonly blobEndpoint?: (account: string) => string;
  /** What listKeys returns for every storage account; default Azurite's development key. */
  readonly storageAccountKey?: string;
  /** Resources present from the start (e.g. a disk made by the old script). */
  readonly seed?: ReadonlyArray<{ readonly id: string; readonly body: Json }>;
}

export interface LoggedRequest {
  readonly time: string;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
}

export interface UnansweredRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly query: string;
  readonly reason: string;
}

export interface FailureOptions {
  /** How many matching PUTs fail (default 1). */
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

export interface ArmStandIn {
  /** `https://127.0.0.1:<port>/` */
  readonly armUrl: string;
  /** `127.0.0.1:<port>`, for ARM_METADATA_HOSTNAME. */
  readonly metadataHost: string;
  /** PEM of the CA that signed every certificate served; for SSL_CERT_FILE. */
  readonly caFile: string;
  readonly caPem: string;
  /** `http://127.0.0.1:<proxyPort>`, for HTTPS_PROXY. */
  readonly proxyUrl: string;
  readonly workDir: string;
  /** One JSON line per request. */
  readonly requestLogFile: string;
  /** The environment Terraform and the providers need (see the header of this file). */
  tokenEnv(): Record<string, string>;
  unanswered(): UnansweredRequest[];
  requests(): LoggedRequest[];
  /** The stored resource body, or undefined. */
  get(id: string): Json | undefined;
  /** Stores a resource as a PUT would (server-side values added), without checks or faults. */
  put(id: string, body: Json): Json;
  /** Every stored resource. */
  list(): Json[];
  /**
   * A server certificate signed by the stand-in's CA, for another local stand-in that must speak
   * HTTPS to the same clients (Azurite with `--cert/--key`, for Entra ID auth to blobs).
   */
  issueCertificate(hosts: readonly string[]): { key: string; cert: string };
  /** Makes the next `times` requests (PUT by default) to IDs matching `pattern` fail. */
  failNext(pattern: string | RegExp, options?: FailureOptions | number): void;
  stop(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class Unanswered extends Error {}

const armError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

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

async function listen(server: net.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

export async function startArmStandIn(options: ArmStandInOptions = {}): Promise<ArmStandIn> {
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'arm-standin-'));
  fs.mkdirSync(workDir, { recursive: true });
  const caFile = path.join(workDir, 'ca.pem');
  const requestLogFile = path.join(workDir, 'requests.log');
  fs.writeFileSync(requestLogFile, '');

  const ca = createCertificateAuthority();
  fs.writeFileSync(caFile, ca.certPem);
  const loopbackCert = ca.issue(['127.0.0.1', 'localhost', '::1']);
  const vaultCert = ca.issue(['*.vault.azure.net', 'vault.azure.net']);
  const vaultContext = tls.createSecureContext(vaultCert);

  const store = new ResourceStore();
  const ctx: TypeContext = {
    store,
    kubeconfig: options.kubeconfig ?? '',
    blobEndpoint: options.blobEndpoint ?? ((account) => `http://127.0.0.1:10000/${account}/`),
    storageAccountKey: options.storageAccountKey ?? AZURITE_DEV_KEY,
  };
  const requests: LoggedRequest[] = [];
  const unanswered: UnansweredRequest[] = [];
  const failures: Array<{ pattern: RegExp; left: number; status: number; code: string; method: string }> = [];
  let base = '';
  const vault = new KeyVaultDataPlane(() => base, TENANT_ID);

  /** Stores `body` at `id` as a PUT does: identity fields and server-side values added. */
  function store_(id: string, body: Json, previous?: StoredResource): StoredResource {
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

  for (const seed of options.seed ?? []) store_(seed.id, seed.body);

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
    const make = behaviourOf(typeOf(parent.id)).implicitChildren?.[segments.slice(-2).join('/').toLowerCase()];
    if (!make) return undefined;
    const parsed = parseArmPath(id);
    return { ...make(ctx, parent), id: `${parent.id}/${segments.slice(-2).join('/')}`, name: segments[segments.length - 1], type: parsed.kind === 'resource' ? parsed.type : '' };
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
      const role = roleDefinition(sub, segments[segments.length - 1]);
      return role ? { status: 200, body: role } : armError(404, 'RoleDefinitionDoesNotExist', 'The specified role definition does not exist.');
    }
    if (type.endsWith('/checknameavailability') && method === 'POST') return { status: 200, body: { nameAvailable: true } };

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
        return { status: 200, body: store_(parsed.id, body ?? {}, existing).body };
      }
      case 'PATCH': {
        const fault = faultFor('PATCH', parsed.id);
        if (fault) return fault;
        if (!existing) return notFound();
        return { status: 200, body: store_(parsed.id, mergePatch(existing.body, body ?? {}), existing).body };
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

  function route(req: http.IncomingMessage, url: URL, body: Json | undefined, form: URLSearchParams): Reply {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const method = req.method ?? 'GET';
    if (host.endsWith('.vault.azure.net')) {
      const reply = vault.handle(method, host, url.pathname, /^Bearer /i.test(req.headers.authorization ?? ''), body);
      if (!reply) throw new Unanswered('Key Vault data-plane operation not modelled');
      return reply;
    }
    if (url.pathname === '/metadata/endpoints' && method === 'GET') return { status: 200, body: metadataDocument(base) };
    const token = /^\/([^/]+)\/oauth2(?:\/v2\.0)?\/token$/i.exec(url.pathname);
    if (token && method === 'POST') return { status: 200, body: tokenResponse(form, token[1]) };
    if (/^\/subscriptions(\/|$)/i.test(url.pathname)) return arm(method, url.pathname, url.searchParams, body);
    throw new Unanswered('unknown endpoint');
  }

  function record(entry: LoggedRequest): void {
    requests.push(entry);
    fs.appendFileSync(requestLogFile, `${JSON.stringify(entry)}\n`);
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      // Clients join endpoints with `/` and can send `//tenant/...`; that must not parse as a host.
      const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'https://stand-in');
      const method = req.method ?? 'GET';
      const host = req.headers.host ?? '';
      let reply: Reply;
      let json: Json | undefined;
      const form = new URLSearchParams(/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') ? raw : '');
      try {
        json = raw && /^\s*[[{]/.test(raw) ? JSON.parse(raw) : undefined;
        reply = route(req, url, json, form);
      } catch (e) {
        if (!(e instanceof Unanswered)) throw e;
        unanswered.push({ method, host, path: url.pathname, query: url.search, reason: e.message });
        reply = armError(404, 'StandInUnanswered', `The ARM stand-in does not answer ${method} ${url.pathname}: ${e.message}`);
      }
      record({ time: new Date().toISOString(), method, host, path: url.pathname, query: url.search, status: reply.status });
      const payload = reply.body === undefined || reply.status === 204 ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
        'x-ms-request-id': `${Date.now()}-${requests.length}`,
        ...(reply.headers ?? {}),
      });
      res.end(method === 'HEAD' ? undefined : payload);
    });
  };

  const server = https.createServer(
    {
      ...loopbackCert,
      // Go sends SNI only for host names: no SNI means the loopback address itself.
      SNICallback: (servername, cb) => cb(null, /(^|\.)vault\.azure\.net$/i.test(servername) ? vaultContext : undefined),
    },
    handler,
  );
  // Go keeps idle connections for 90 s; Node's 5 s default makes it race a closing socket.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  const port = await listen(server, options.port ?? 0);
  base = `https://127.0.0.1:${port}/`;

  // The proxy: CONNECT to a vault host (or to the stand-in itself) is tunnelled to the HTTPS listener.
  const sockets = new Set<net.Socket>();
  const proxy = http.createServer((req, res) => {
    unanswered.push({ method: req.method ?? '', host: req.headers.host ?? '', path: req.url ?? '', query: '', reason: 'plain HTTP through the proxy' });
    res.writeHead(502).end();
  });
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, targetPort] = (req.url ?? '').split(':');
    const ours = /\.vault\.azure\.net$/i.test(host) || ((host === '127.0.0.1' || host === 'localhost') && Number(targetPort) === port);
    if (!ours) {
      unanswered.push({ method: 'CONNECT', host: req.url ?? '', path: '', query: '', reason: 'CONNECT to a host the stand-in does not serve' });
      record({ time: new Date().toISOString(), method: 'CONNECT', host: req.url ?? '', path: '', query: '', status: 502 });
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  const proxyPort = await listen(proxy, options.proxyPort ?? 0);

  const metadataHost = `127.0.0.1:${port}`;
  const proxyUrl = `http://127.0.0.1:${proxyPort}`;
  return {
    armUrl: base,
    metadataHost,
    caFile,
    caPem: ca.certPem,
    proxyUrl,
    workDir,
    requestLogFile,
    tokenEnv: () => ({
      ARM_METADATA_HOSTNAME: metadataHost,
      ARM_TENANT_ID: TENANT_ID,
      ARM_CLIENT_ID: CLIENT_ID,
      ARM_CLIENT_SECRET: CLIENT_SECRET,
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION_ID,
      SSL_CERT_FILE: caFile,
      HTTPS_PROXY: proxyUrl,
      https_proxy: proxyUrl,
      NO_PROXY: 'localhost,127.0.0.1',
      no_proxy: 'localhost,127.0.0.1',
      ARM_PROVIDER_ENHANCED_VALIDATION_LOCATIONS: 'false',
      ARM_PROVIDER_ENHANCED_VALIDATION_RESOURCE_PROVIDERS: 'false',
      GO_AZURE_SDK_SKIP_POLLING_DELAY: 'true',
    }),
    unanswered: () => [...unanswered],
    requests: () => [...requests],
    get: (id) => store.get(id)?.body,
    put: (id, body) => store_(id, body, store.get(id)).body,
    list: () => store.all().map((r) => r.body),
    issueCertificate: (hosts) => ca.issue(hosts),
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
    async stop() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      proxy.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => proxy.close(r))]);
    },
  };
}
