/**
 * A Key Vault data-plane client as `az keyvault secret set` behaves: through HTTPS_PROXY (the
 * stand-in's CONNECT proxy) to `{vault}.vault.azure.net`, unauthenticated first, then with a token
 * from the authority the 401 challenge names. Tests and the rehearsal store secrets this way, so a
 * secret reaches the stand-in only by the path a user's would.
 */
import * as http from 'http';
import * as https from 'https';
import * as tls from 'tls';
import { CLIENT_ID, CLIENT_SECRET } from './identity';

export interface VaultResponse {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** Where the client connects: the stand-in's proxy, and the CA it trusts. */
export interface VaultEndpoint {
  readonly proxyUrl: string;
  readonly caPem: string;
}

/** One request to `https://{host}{path}` through the CONNECT proxy, verified against the CA. */
export function viaProxy(endpoint: VaultEndpoint, method: string, host: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<VaultResponse> {
  const proxy = new URL(endpoint.proxyUrl);
  return new Promise((resolve, reject) => {
    const connect = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: `${host}:443` });
    connect.on('connect', (res, socket) => {
      if (res.statusCode !== 200) return reject(new Error(`CONNECT ${host}: ${res.statusCode}`));
      const secure = tls.connect({ socket, servername: host, ca: endpoint.caPem });
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        { host, path, method, createConnection: () => secure, headers: { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers } },
        (r) => {
          let raw = '';
          r.on('data', (c) => (raw += c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: raw ? JSON.parse(raw) : undefined, headers: r.headers }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    connect.on('error', reject);
    connect.end();
  });
}

/** A client-credentials token from the authority a 401 challenge named. */
function tokenFrom(endpoint: VaultEndpoint, challenge: string): Promise<string> {
  const authority = /authorization="([^"]+)"/.exec(challenge)?.[1];
  const resource = /resource="([^"]+)"/.exec(challenge)?.[1];
  if (!authority || !resource) throw new Error(`not a Key Vault challenge: ${challenge}`);
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, scope: `${resource}/.default` }).toString();
  return new Promise((resolve, reject) => {
    const req = https.request(`${authority}/oauth2/v2.0/token`, { method: 'POST', ca: endpoint.caPem, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, (res) => {
      let raw = '';
      res.on('data', (c) => (raw += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(raw).access_token) : reject(new Error(`token request: ${res.statusCode} ${raw}`))));
    });
    req.on('error', reject);
    req.end(form);
  });
}

/** `az keyvault secret set --vault-name {vault} --name {name} --value {value}`; resolves to the new version's ID. */
export async function setSecret(endpoint: VaultEndpoint, vault: string, name: string, value: string): Promise<string> {
  const host = `${vault.toLowerCase()}.vault.azure.net`;
  const path = `/secrets/${encodeURIComponent(name)}?api-version=7.4`;
  let res = await viaProxy(endpoint, 'PUT', host, path, {}, { value });
  if (res.status === 401) {
    const token = await tokenFrom(endpoint, String(res.headers['www-authenticate'] ?? ''));
    res = await viaProxy(endpoint, 'PUT', host, path, { Authorization: `Bearer ${token}` }, { value });
  }
  if (res.status !== 200) throw new Error(`setting secret ${name} in ${vault}: ${res.status} ${JSON.stringify(res.body)}`);
  return String(res.body.id);
}
