/**
 * A generic scan of synthesized Terraform JSON for credentials in places that print or publish
 * them. Terraform keeps a value marked sensitive out of plan output, but an output is readable by
 * every stack (and person) that reads the state through `terraform_remote_state`, a ConfigMap or a
 * Deployment's args are readable by anyone with `get` on the namespace, and helm `values` land in
 * the release's plain-text history. Credentials may only travel in `kubernetes_secret_v1`, helm
 * `set_sensitive`, and Azure resources made to hold them (Key Vault secrets).
 *
 * The scan knows no resource of this project by name, so a new construct is covered the day it is
 * written. Used by secret-scan.test.ts; the findings name the address and attribute path, and never
 * print a literal that looks secret.
 */
import type { StackJson } from './helpers';

/**
 * Attributes whose value is a credential, as they appear inside a Terraform expression `${...}`.
 * Written once, here: a reference to any of them in an output or a workload publishes the
 * credential (see the file comment). Each pattern matches resources and data sources alike
 * (`data.azurerm_kubernetes_cluster.x.kube_config_raw` contains `azurerm_kubernetes_cluster.x.…`).
 */
export const CREDENTIAL_ATTRIBUTES: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\brandom_password\.[\w-]+\.(result|bcrypt_hash)\b/, what: 'a generated password' },
  { pattern: /\bazuread_(application|service_principal)_password\.[\w-]+\.value\b/, what: 'an Entra ID client secret' },
  { pattern: /\bazurerm_key_vault_secrets?\.[\w-]+\.values?\b/, what: 'a Key Vault secret value' },
  // A kubeconfig holds a client certificate and key, or a token. Only the API server address and
  // its CA certificate (what cluster-connection.ts hands the providers) are not credentials.
  {
    pattern: /\bazurerm_kubernetes_cluster\.[\w-]+\.(kube_admin_config\w*|kube_config_raw|kube_config(?!(\[\d+\]|\.\d+)\.(host|cluster_ca_certificate)\b))/,
    what: 'a kubeconfig (cluster credentials)',
  },
  { pattern: /\bkubernetes_secret(_v1)?\.[\w-]+\.(data|binary_data)\b/, what: 'the data of a Kubernetes secret' },
  { pattern: /\btls_private_key\.[\w-]+\.private_key\w*/, what: 'a private key' },
  { pattern: /\bazurerm_storage_account(_blob_container)?_sas\.[\w-]+\.sas\b/, what: 'a shared access signature' },
  // Generic attribute names, whatever the resource (`<type>.<name>.<attribute>`, or a remote
  // state's `outputs.<name>`): storage and Log Analytics keys, connection strings, admin
  // passwords, private keys and client secrets.
  {
    pattern: /(\b[a-z][a-z0-9_]*\.[\w-]+(\[\d+\])?|\boutputs)\.\w*(access_key|shared_key|primary_key|secondary_key|connection_string|password|private_key|client_key|client_secret)\w*/,
    what: 'a key, password or connection string',
  },
];

/**
 * Resource types whose every string is visible outside Terraform's sensitive handling: Kubernetes
 * objects other than secrets (ConfigMaps, workloads' args, command, env, annotations, ...), helm
 * releases (except `set_sensitive`), and resources that write files or run commands.
 */
function isPublishingResource(type: string): boolean {
  if (type === 'kubernetes_secret_v1') return false;
  return type.startsWith('kubernetes_') || type === 'helm_release' || type.startsWith('local_') || type === 'terraform_data' || type === 'null_resource';
}
/** Attributes of a publishing resource that Terraform and the provider keep secret. */
const SENSITIVE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = { helm_release: ['set_sensitive'] };

/** Key names (lower-cased, separators dropped) that hold a credential when given a literal. */
const SECRET_KEY = /(password|passwd|secret|apikey|accesskey|privatekey|token|connectionstring)$/;
/** Short ones, only as a word of their own (`DB_PASS`, not `bypass`). */
const SHORT_SECRET_KEY = /(^|[^a-z])(pass|pwd)$/i;
/** Key names that end like a secret but name a Secret object instead of holding one. */
const SECRET_OBJECT_KEYS = new Set(['existingsecret']);

/** Shapes of a secret written out as a literal, anywhere in the JSON. */
const SECRET_LITERALS: readonly { readonly pattern: RegExp; readonly what: string; readonly group?: number }[] = [
  { pattern: /-----BEGIN [A-Z0-9 ]+-----/, what: 'a PEM block' },
  { pattern: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/, what: 'a JSON web token' },
  { pattern: /\b(AccountKey|SharedAccessKey)=([^;\s]+)/, what: 'a connection string key', group: 2 },
  { pattern: /[?&]sig=([A-Za-z0-9%+/=]{10,})/, what: 'a shared access signature', group: 1 },
  { pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:([^\s/@]+)@/i, what: 'a password in a URL', group: 1 },
  { pattern: /^\s*(requirepass|masterauth)\s+(\S+)/m, what: 'a Redis password', group: 2 },
  { pattern: /IDENTIFIED\s+BY\s+'([^']*)'/i, what: 'an SQL password', group: 1 },
];
/** `key = value` (TOML, INI, flags) and `key: value` (YAML) lines inside a string. */
const ASSIGNMENT_LINE = /^\s*(?:-\s+)?-{0,2}["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*?)\s*$/;

export interface SecretScan {
  /** (a) Outputs whose value references a credential, sensitive or not. */
  readonly outputs: string[];
  /** (b) Non-secret Kubernetes objects and non-sensitive helm settings that reference one. */
  readonly workloads: string[];
  /** (c) Strings anywhere that look like a secret written out as a literal. */
  readonly literals: string[];
}

type Path = (string | number)[];

/** Visits every string in `value` with its path. */
function walkStrings(value: unknown, path: Path, visit: (text: string, path: Path, key: string | undefined) => void): void {
  if (typeof value === 'string') {
    visit(value, path, typeof path[path.length - 1] === 'string' ? (path[path.length - 1] as string) : undefined);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walkStrings(item, [...path, i], visit));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visit);
  }
}

/** `spec.template.spec.container[0].args[1]` */
function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The Terraform expressions (`${...}`) in a string, braces balanced. */
export function expressionsIn(text: string): string[] {
  const expressions: string[] = [];
  let start = text.indexOf('${');
  while (start !== -1) {
    let depth = 0;
    let end = start + 1;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    expressions.push(text.slice(start + 2, end));
    start = text.indexOf('${', end);
  }
  return expressions;
}

/** Every credential reference in a string, as `<reference> (<what>)`. */
function credentialReferences(text: string): string[] {
  // One finding per reference, named by the first (most specific) pattern that matches it.
  const found = new Map<string, string>();
  for (const expression of expressionsIn(text)) {
    for (const { pattern, what } of CREDENTIAL_ATTRIBUTES) {
      for (const match of expression.matchAll(new RegExp(`[\\w.\\-\\[\\]]*${pattern.source}[\\w.\\[\\]]*`, 'g'))) {
        if (!found.has(match[0])) found.set(match[0], `${match[0]} (${what})`);
      }
    }
  }
  return [...found.values()];
}

/** A value given as plain text rather than a reference, an empty string, a flag or a number. */
function isLiteral(raw: string): boolean {
  const value = raw.replace(/\s+#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2');
  if (value === '' || value.includes('${')) return false;
  return !/^(null|~|true|false|-?\d+(\.\d+)?|\[\]|\{\})$/i.test(value);
}

function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (SECRET_KEY.test(normalized) || SHORT_SECRET_KEY.test(key)) && !SECRET_OBJECT_KEYS.has(normalized);
}

/** What a literal looks like without showing it. */
function redacted(value: string): string {
  return `literal redacted, ${value.length} characters`;
}

/** Why a string (at key `key`, in an object `{name, value}` or not) looks like a secret literal. */
function literalSecrets(text: string, key: string | undefined, pairName: string | undefined): string[] {
  const found: string[] = [];
  if (key !== undefined && isSecretKey(key) && isLiteral(text)) found.push(`key "${key}" holds a ${redacted(text)}`);
  if (key === 'value' && pairName !== undefined && isSecretKey(pairName) && isLiteral(text)) found.push(`"${pairName}" is given a ${redacted(text)}`);
  for (const { pattern, what, group } of SECRET_LITERALS) {
    const match = pattern.exec(text);
    if (match && (group === undefined || isLiteral(match[group]))) found.push(`${what} (${redacted(group === undefined ? match[0] : match[group])})`);
  }
  for (const line of text.includes('\n') || /[:=]/.test(text) ? text.split('\n') : []) {
    const match = ASSIGNMENT_LINE.exec(line);
    if (match && isSecretKey(match[1]) && isLiteral(match[2])) found.push(`"${match[1]}" is set to a ${redacted(match[2])}`);
  }
  return found;
}

/** Resource, data source or output address, and the attribute path inside it. */
function addressOf(path: Path): { address: string; attribute: string } {
  const [block, type, name, ...rest] = path.map(String);
  if (block === 'resource' && name !== undefined) return { address: `${type}.${name}`, attribute: formatPath(path.slice(3)) };
  if (block === 'data' && name !== undefined) return { address: `data.${type}.${name}`, attribute: formatPath(path.slice(3)) };
  if (block === 'output' && type !== undefined) return { address: `output.${type}`, attribute: formatPath(path.slice(2)) };
  return { address: [block, type].filter((p) => p !== undefined).join('.'), attribute: formatPath([name, ...rest].filter((p) => p !== undefined)) };
}

function finding(path: Path, problem: string): string {
  const { address, attribute } = addressOf(path);
  return `${address}${attribute ? `: ${attribute}` : ''}: ${problem}`;
}

/** Scans one stack's synthesized JSON. Empty lists mean nothing was found. */
export function scanForSecrets(json: StackJson): SecretScan {
  const scan: SecretScan = { outputs: [], workloads: [], literals: [] };

  for (const [name, output] of Object.entries<any>(json.output ?? {})) {
    walkStrings(output?.value, ['output', name, 'value'], (text, path) => {
      for (const reference of credentialReferences(text)) scan.outputs.push(finding(path, `references ${reference}`));
    });
  }

  for (const [type, resources] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    if (!isPublishingResource(type)) continue;
    const hidden = SENSITIVE_ATTRIBUTES[type] ?? [];
    for (const [name, resource] of Object.entries<any>(resources)) {
      for (const [attribute, value] of Object.entries<unknown>(resource)) {
        if (hidden.includes(attribute)) continue;
        walkStrings(value, ['resource', type, name, attribute], (text, path) => {
          for (const reference of credentialReferences(text)) scan.workloads.push(finding(path, `references ${reference}`));
        });
      }
    }
  }

  walkStrings(json, [], (text, path, key) => {
    // Terraform-internal metadata (cdktf's construct paths) is no place for a secret and holds none.
    if (path[0] === '//') return;
    // For `{ name: "DB_PASSWORD", value: "..." }` (env entries, helm set): the name says what the value is.
    const parent = path.length >= 1 ? lookup(json, path.slice(0, -1)) : undefined;
    const pairName = parent && typeof parent === 'object' && typeof (parent as any).name === 'string' ? (parent as any).name : undefined;
    for (const problem of literalSecrets(text, key, pairName)) scan.literals.push(finding(path, problem));
  });

  return scan;
}

function lookup(root: unknown, path: Path): unknown {
  return path.reduce<any>((node, key) => (node == null ? undefined : node[key]), root);
}
