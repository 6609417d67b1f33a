/**
 * Key Vault's data plane for secrets, as reached at `https://{vault}.vault.azure.net/` through the
 * stand-in's CONNECT proxy.
 *
 * The vault clients send every first request without a token and expect a 401 whose
 * WWW-Authenticate names the authority and resource; only then do they ask the token endpoint for
 * `https://vault.azure.net/.default` and retry. Soft delete is modelled because the provider
 * reads `deletedsecrets/{name}` (recover or purge) around creates and deletes.
 */
import { randomBytes } from 'crypto';
import type { Json } from './store';

export interface VaultResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

interface SecretVersion {
  readonly version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: Json;
}

interface Secret {
  /** Newest last. */
  versions: SecretVersion[];
  deletedDate?: number;
}

const now = () => Math.floor(Date.now() / 1000);

export class KeyVaultDataPlane {
  /** By `{vault}/{secret}`, lower-cased. */
  private readonly secrets = new Map<string, Secret>();

  /** `loginBase` is read per request: the stand-in knows its port only once listening. */
  constructor(private readonly loginBase: () => string, private readonly tenantId: string) {}

  /** `host` is `{vault}.vault.azure.net`; `path` has no query. */
  handle(method: string, host: string, path: string, authorized: boolean, body: Json | undefined): VaultResponse | undefined {
    if (!authorized) {
      return {
        status: 401,
        headers: {
          'WWW-Authenticate': `Bearer authorization="${this.loginBase()}${this.tenantId}", resource="https://vault.azure.net"`,
        },
        body: { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
      };
    }
    const vault = host.split('.')[0].toLowerCase();
    const origin = `https://${host.toLowerCase()}`;
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);

    // The provider's availability probe (and anyone's curiosity) hits the root.
    if (seg.length === 0) return { status: 404, body: { error: { code: 'NotFound', message: 'no operation at the vault root' } } };
    if (seg[0] === 'certificates' && seg[1] === 'contacts') {
      return { status: 404, body: { error: { code: 'ContactsNotFound', message: 'Contacts not found' } } };
    }
    if (seg[0] === 'secrets' && seg.length === 1 && method === 'GET') {
      const value = [...this.secrets.entries()]
        .filter(([k, s]) => k.startsWith(`${vault}/`) && s.deletedDate === undefined)
        .map(([k, s]) => this.item(origin, k.split('/')[1], s.versions[s.versions.length - 1], false));
      return { status: 200, body: { value, nextLink: null } };
    }
    if (seg[0] === 'secrets' && seg.length >= 2) return this.secret(method, vault, origin, seg[1], seg.slice(2), body ?? {});
    if (seg[0] === 'deletedsecrets') return this.deleted(method, vault, origin, seg[1], seg.slice(2));
    return undefined;
  }

  /** The newest version of a live secret, as ARM shows it (no value), or undefined. */
  secretView(vault: string, name: string): { version: string; attributes: Json; contentType?: string } | undefined {
    const s = this.secrets.get(`${vault.toLowerCase()}/${name.toLowerCase()}`);
    if (!s || s.deletedDate !== undefined) return undefined;
    const latest = s.versions[s.versions.length - 1];
    return { version: latest.version, attributes: { ...latest.attributes }, ...(latest.contentType !== undefined ? { contentType: latest.contentType } : {}) };
  }

  private notFound(name: string): VaultResponse {
    return { status: 404, body: { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` } } };
  }

  private bundle(origin: string, name: string, v: SecretVersion): Json {
    return {
      value: v.value,
      id: `${origin}/secrets/${name}/${v.version}`,
      ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
      ...(v.tags ? { tags: v.tags } : {}),
      attributes: v.attributes,
    };
  }

  private item(origin: string, name: string, v: SecretVersion, withVersion: boolean): Json {
    const rest = this.bundle(origin, name, v);
    delete rest.value;
    return withVersion ? rest : { ...rest, id: `${origin}/secrets/${name}` };
  }

  private deletedBundle(origin: string, name: string, s: Secret): Json {
    const latest = s.versions[s.versions.length - 1];
    return {
      ...this.bundle(origin, name, latest),
      recoveryId: `${origin}/deletedsecrets/${name}`,
      deletedDate: s.deletedDate,
      scheduledPurgeDate: (s.deletedDate ?? now()) + 90 * 86400,
    };
  }

  private secret(method: string, vault: string, origin: string, name: string, rest: string[], body: Json): VaultResponse {
    const key = `${vault}/${name.toLowerCase()}`;
    const existing = this.secrets.get(key);
    const live = existing && existing.deletedDate === undefined ? existing : undefined;
    if (method === 'PUT' && rest.length === 0) {
      if (existing?.deletedDate !== undefined) {
        return { status: 409, body: { error: { code: 'Conflict', message: `Secret ${name} is currently in a deleted but recoverable state.` } } };
      }
      const t = now();
      const version: SecretVersion = {
        version: randomBytes(16).toString('hex'),
        value: String(body.value ?? ''),
        contentType: body.contentType,
        tags: body.tags,
        attributes: { enabled: true, ...(body.attributes ?? {}), created: t, updated: t, recoveryLevel: 'Recoverable', recoverableDays: 90 },
      };
      const secret = live ?? { versions: [] };
      secret.versions.push(version);
      this.secrets.set(key, secret);
      return { status: 200, body: this.bundle(origin, name, version) };
    }
    if (!live) return this.notFound(name);
    if (method === 'GET' && rest[0] === 'versions') {
      return { status: 200, body: { value: live.versions.map((v) => this.item(origin, name, v, true)), nextLink: null } };
    }
    const version = rest[0] ? live.versions.find((v) => v.version === rest[0]) : live.versions[live.versions.length - 1];
    if (method === 'GET') return version ? { status: 200, body: this.bundle(origin, name, version) } : this.notFound(name);
    if (method === 'PATCH') {
      if (!version) return this.notFound(name);
      if (body.contentType !== undefined) version.contentType = body.contentType;
      if (body.tags !== undefined) version.tags = body.tags;
      version.attributes = { ...version.attributes, ...(body.attributes ?? {}), updated: now() };
      return { status: 200, body: this.item(origin, name, version, true) };
    }
    if (method === 'DELETE' && rest.length === 0) {
      live.deletedDate = now();
      return { status: 200, body: this.deletedBundle(origin, name, live) };
    }
    return { status: 405, body: { error: { code: 'BadRequest', message: `${method} not supported here` } } };
  }

  private deleted(method: string, vault: string, origin: string, name: string | undefined, rest: string[]): VaultResponse {
    if (!name) {
      const value = [...this.secrets.entries()]
        .filter(([k, s]) => k.startsWith(`${vault}/`) && s.deletedDate !== undefined)
        .map(([k, s]) => this.deletedBundle(origin, k.split('/')[1], s));
      return { status: 200, body: { value, nextLink: null } };
    }
    const key = `${vault}/${name.toLowerCase()}`;
    const s = this.secrets.get(key);
    if (!s || s.deletedDate === undefined) {
      return { status: 404, body: { error: { code: 'SecretNotFound', message: `Deleted Secret not found: ${name}` } } };
    }
    if (method === 'GET' && rest.length === 0) return { status: 200, body: this.deletedBundle(origin, name, s) };
    if (method === 'DELETE' && rest.length === 0) {
      this.secrets.delete(key);
      return { status: 204 };
    }
    if (method === 'POST' && rest[0] === 'recover') {
      s.deletedDate = undefined;
      return { status: 200, body: this.bundle(origin, name, s.versions[s.versions.length - 1]) };
    }
    return { status: 405, body: { error: { code: 'BadRequest', message: `${method} not supported here` } } };
  }
}
