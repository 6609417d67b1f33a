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
 * Azure Storage state (terraform 1.11.4's azurerm backend), both verified with network-dev and
 * data-disks-dev (remote state read from the blob) against Azurite 3.37.0:
 *   - The stacks' backend exactly as synthesized (use_azuread_auth = true, resource_group_name,
 *     storage_account_name, container_name, key) plus env ARM_USE_DNS_ZONE_ENDPOINT=true (the env
 *     default of `lookup_blob_endpoint`, also honoured by terraform_remote_state). The storage
 *     account is stored here with primaryEndpoints.blob = `https://127.0.0.1:<azurite>/<account>/`
 *     (option blobEndpoint); Azurite runs with `--oauth basic` and `--cert/--key` from
 *     issueCertificate(['127.0.0.1']), and accepts the unsigned tokens this stand-in issues.
 *   - Or keys: use_azuread_auth = false + lookup_blob_endpoint = true; the backend GETs the
 *     account (blob endpoint, plain `http://127.0.0.1:<azurite>/<account>/` is fine) and POSTs
 *     listKeys (option storageAccountKey = the key in Azurite's AZURITE_ACCOUNTS).
 *   Create the container in Azurite first (SharedKey-signed PUT `?restype=container`).
 *
 * The stand-in answers from the event loop of the process that starts it: run terraform with
 * an asynchronous spawn, never spawnSync/execSync, or every request times out.
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
import { type FailureOptions, type Reply, Unanswered, armError, createResourceManager } from './arm';
import type { TypeContext } from './resource-types';
import { type Json, ResourceStore } from './store';
import { createCertificateAuthority } from './tls';

export { CLIENT_ID, CLIENT_SECRET, OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID } from './identity';
export type { FailureOptions } from './arm';

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
    keyVaultSecret: (vaultName, name) => vault.secretView(vaultName, name),
  };
  const requests: LoggedRequest[] = [];
  const unanswered: UnansweredRequest[] = [];
  let base = '';
  const vault = new KeyVaultDataPlane(() => base, TENANT_ID);
  const resources = createResourceManager(ctx);
  for (const seed of options.seed ?? []) resources.put(seed.id, seed.body);

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
    if (/^\/subscriptions(\/|$)/i.test(url.pathname)) return resources.handle(method, url.pathname, url.searchParams, body);
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
    put: (id, body) => resources.put(id, body).body,
    list: () => store.all().map((r) => r.body),
    issueCertificate: (hosts) => ca.issue(hosts),
    failNext: (pattern, opts) => resources.failNext(pattern, opts),
    async stop() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      proxy.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => proxy.close(r))]);
    },
  };
}
