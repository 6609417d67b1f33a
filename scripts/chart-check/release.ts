/**
 * What Terraform would hand Helm for one `helm_release` of a synthesized stack, made renderable:
 * every `${...}` reference replaced by a placeholder. References to generated secrets (and
 * anything passed through `set_sensitive`) become random-looking placeholders of the same length
 * and alphabet as the real password, so the checks can search the render for them; other
 * references become readable stand-ins (a registry host for the registry's login server, the
 * namespace's real name for the namespace).
 */
import { createHash } from 'crypto';
import * as path from 'path';
import type { KnownSecret } from './checks';

export interface HelmSet {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
}

export interface ReleaseInputs {
  /** Terraform address, `helm_release.<name>`. */
  readonly address: string;
  readonly releaseName: string;
  readonly chart: string;
  /** Absent for a chart shipped with the stack (a local path). */
  readonly repository?: string;
  readonly version?: string;
  /** For a local chart: its directory. */
  readonly localChartDir?: string;
  readonly namespace: string;
  /** Each `values` document, placeholders substituted. */
  readonly values: string[];
  readonly set: HelmSet[];
  readonly setSensitive: HelmSet[];
  /** Placeholder values standing in for generated secrets. */
  readonly secretPlaceholders: string[];
  /** Placeholder that stands in for the container registry's login server, if referenced. */
  readonly registryPlaceholder?: string;
  /** Secrets the stack itself creates in the release's namespace (name and keys). */
  readonly stackSecrets: KnownSecret[];
  /** `namespace/name` of the claims the stack's PersistentVolumes are pre-bound to. */
  readonly preBoundClaims: string[];
  /** The Pod Security level the release's namespace enforces, when the stack creates it with that label. */
  readonly podSecurityEnforce?: string;
}

export const REGISTRY_PLACEHOLDER = 'crplaceholder.azurecr.io';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A stable, random-looking alphanumeric string of `length` characters, derived from `seed`. */
export function secretPlaceholder(seed: string, length: number): string {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash('sha256').update(`${seed}#${block}`).digest()) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  }
  return out.slice(0, length);
}

/** The `${...}` expressions in a string, with nested braces kept whole. */
export function expressionsIn(text: string): string[] {
  const found: string[] = [];
  for (let i = text.indexOf('${'); i !== -1; i = text.indexOf('${', i + 1)) {
    let depth = 0;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) {
        found.push(text.slice(i, j + 1));
        i = j;
        break;
      }
    }
  }
  return found;
}

type Json = Record<string, any>;

const SECRET_REFERENCE = /\b(random_password\.[^.}\s]+\.result|azuread_application_password\.[^.}\s]+\.value|azurerm_key_vault_secret\.[^.}\s]+\.value)\b/;

class Placeholders {
  readonly secrets = new Set<string>();
  private readonly chosen = new Map<string, string>();
  private registry?: string;
  constructor(private readonly stack: Json) {}

  get registryPlaceholder() {
    return this.registry;
  }

  /** Substitutes every reference in `text`; `sensitive` marks all of them as secrets. */
  substitute(text: string, sensitive = false): string {
    let out = text;
    for (const expr of expressionsIn(text)) out = out.split(expr).join(this.valueFor(expr, sensitive));
    return out;
  }

  private valueFor(expr: string, sensitive: boolean): string {
    const key = `${sensitive}:${expr}`;
    const known = this.chosen.get(key);
    if (known) return known;
    let value: string;
    const secret = SECRET_REFERENCE.exec(expr);
    if (secret || sensitive) {
      const length = secret?.[1].startsWith('random_password.') ? Number(this.stack.resource?.random_password?.[secret[1].split('.')[1]]?.length ?? 32) : 40;
      value = secretPlaceholder(expr, length);
      this.secrets.add(value);
    } else if (/\.acr_login_server\}$/.test(expr)) {
      value = REGISTRY_PLACEHOLDER;
      this.registry = value;
    } else {
      const metadataName = /^\$\{([a-z0-9_]+)\.([^.]+)\.metadata\[0\]\.name\}$/.exec(expr);
      const literal = metadataName ? this.stack.resource?.[metadataName[1]]?.[metadataName[2]]?.metadata?.name : undefined;
      value = typeof literal === 'string' && !literal.includes('${') ? literal : `tfref${createHash('sha256').update(expr).digest('hex').slice(0, 8)}`;
    }
    this.chosen.set(key, value);
    return value;
  }
}

const sets = (list: any): HelmSet[] => (Array.isArray(list) ? list : []).map((s) => ({ name: String(s.name), value: String(s.value ?? ''), type: s.type }));

/** Every `helm_release` of a synthesized stack (`json`, read from `stackDir`), ready to render. */
export function releasesOf(json: Json, stackDir: string): ReleaseInputs[] {
  return Object.entries<any>(json.resource?.helm_release ?? {}).map(([name, r]) => {
    const p = new Placeholders(json);
    const namespace = p.substitute(String(r.namespace ?? 'default'));
    const values = (r.values ?? []).map((v: string) => p.substitute(v));
    const set = sets(r.set).map((s) => ({ ...s, value: p.substitute(s.value) }));
    const setSensitive = sets(r.set_sensitive).map((s) => ({ ...s, value: p.substitute(s.value, true) }));
    const inNamespace = (meta: any) => p.substitute(String(meta?.namespace ?? 'default')) === namespace;
    const stackSecrets = Object.values<any>(json.resource?.kubernetes_secret_v1 ?? {})
      .filter((s) => inNamespace(s.metadata))
      .map((s) => ({ name: p.substitute(String(s.metadata.name)), keys: Object.keys({ ...(s.data ?? {}), ...(s.binary_data ?? {}) }) }));
    const preBoundClaims = Object.values<any>(json.resource?.kubernetes_persistent_volume_v1 ?? {})
      .map((pv) => (Array.isArray(pv.spec) ? pv.spec[0] : pv.spec)?.claim_ref)
      .filter(Boolean)
      .map((c: any) => `${p.substitute(String(c.namespace ?? 'default'))}/${p.substitute(String(c.name))}`);
    // Values that hold a reference to a secret are secrets too, even outside set_sensitive.
    for (const s of Object.values<any>(json.resource?.kubernetes_secret_v1 ?? {})) {
      for (const v of Object.values<any>(s.data ?? {})) p.substitute(String(v));
    }
    const ownNamespace = Object.values<any>(json.resource?.kubernetes_namespace_v1 ?? {}).find((n) => p.substitute(String(n.metadata?.name)) === namespace);
    const local = !r.repository && !/^(oci|https?):\/\//.test(String(r.chart));
    return {
      address: `helm_release.${name}`,
      releaseName: String(r.name),
      chart: String(r.chart),
      repository: r.repository,
      version: r.version,
      localChartDir: local ? path.resolve(stackDir, String(r.chart)) : undefined,
      namespace,
      values,
      set,
      setSensitive,
      secretPlaceholders: [...p.secrets].sort(),
      registryPlaceholder: p.registryPlaceholder,
      stackSecrets,
      preBoundClaims: preBoundClaims.sort(),
      podSecurityEnforce: ownNamespace?.metadata?.labels?.['pod-security.kubernetes.io/enforce'],
    };
  });
}
