/**
 * Azurite, the Azure Storage emulator (npm `azurite`, pinned in package.json), as the rehearsal's
 * state storage: the stacks' azurerm backend keeps state blobs and takes lease locks in it exactly
 * as in Azure. It speaks HTTPS with a certificate from the ARM stand-in's CA and accepts Entra ID
 * bearer tokens (`--oauth basic`), so the backend runs with `use_azuread_auth = true`, as deployed.
 * A custom account name is used: the SDK signs `devstoreaccount1` differently and gets 403s.
 */
import { createHmac } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { startService, waitFor, type Service } from './processes';

export interface Azurite {
  /** `https://127.0.0.1:<port>/<account>/` */
  endpoint(account: string): string;
  createContainer(container: string): Promise<void>;
  /** Names of the blobs in `container`. */
  listBlobs(container: string): Promise<string[]>;
  readonly service: Service;
}

export interface AzuriteOptions {
  readonly root: string;
  readonly workDir: string;
  readonly account: string;
  /** Base64 account key (AZURITE_ACCOUNTS). */
  readonly key: string;
  readonly tls: { readonly cert: string; readonly key: string };
  readonly caPem: string;
  /** The port to listen on; chosen beforehand so that the ARM stand-in can name the endpoint first. */
  readonly port: number;
}

/** The blob endpoint of `account` on an Azurite at `port`. */
export const azuriteEndpoint = (port: number, account: string) => `https://127.0.0.1:${port}/${account}/`;

export async function startAzurite(options: AzuriteOptions): Promise<Azurite> {
  const dir = path.join(options.workDir, 'azurite');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cert.pem'), options.tls.cert);
  fs.writeFileSync(path.join(dir, 'key.pem'), options.tls.key);
  const port = options.port;
  const main = path.join(options.root, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  const service = startService(
    'azurite',
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', path.join(dir, 'data'), '--skipApiVersionCheck', '--loose',
      '--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem'), '--oauth', 'basic', '--disableTelemetry'],
    path.join(options.workDir, 'logs'),
    { ...process.env, AZURITE_ACCOUNTS: `${options.account}:${options.key}` },
  );
  const endpoint = (account: string) => azuriteEndpoint(port, account);

  // Shared Key signing for our own calls (container creation, listing); Terraform uses tokens.
  const request = (method: string, url: URL, query: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const date = new Date().toUTCString();
      const version = '2021-08-06';
      const canonicalQuery = Object.keys(query).sort().map((k) => `\n${k}:${query[k]}`).join('');
      const stringToSign = [method, '', '', '', '', '', '', '', '', '', '', '', `x-ms-date:${date}\nx-ms-version:${version}\n/${options.account}${url.pathname}${canonicalQuery}`].join('\n');
      const signature = createHmac('sha256', Buffer.from(options.key, 'base64')).update(stringToSign, 'utf8').digest('base64');
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
      const req = https.request(url, { method, ca: options.caPem, headers: { 'x-ms-date': date, 'x-ms-version': version, authorization: `SharedKey ${options.account}:${signature}`, 'content-length': '0' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  await waitFor('Azurite', 120, async () => (await request('GET', new URL(endpoint(options.account)), { comp: 'list' })).status === 200);
  return {
    endpoint,
    service,
    async createContainer(container) {
      const r = await request('PUT', new URL(`${endpoint(options.account)}${container}`), { restype: 'container' });
      if (r.status >= 300 && r.status !== 409) throw new Error(`creating container ${container}: ${r.status} ${r.body}`);
    },
    async listBlobs(container) {
      const r = await request('GET', new URL(`${endpoint(options.account)}${container}`), { comp: 'list', restype: 'container' });
      if (r.status !== 200) throw new Error(`listing ${container}: ${r.status} ${r.body}`);
      return [...r.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]).sort();
    },
  };
}
