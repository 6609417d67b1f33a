/**
 * Running `terraform init` and `validate` on synthesized stacks with no registry: providers come
 * from the filesystem mirror that tools/toolchain/install.sh builds from the Go module proxy.
 *
 * That proxy does not serve every version: where the mirror lacks the exact version a stack pins
 * (for example azurerm 4.55.0, which the prebuilt bindings target), the stack is validated with the
 * mirror's version instead, and where it has no version of a provider at all (azuread), that
 * provider's resources are taken out and every reference to them replaced by a placeholder string.
 * Both are reported next to the result, so nothing is validated less than it seems.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeExampleDeliveryFiles } from './example-delivery';

/** Versions the mirror holds, by provider name (hashicorp/<name>). */
export type MirrorVersions = Record<string, string[]>;

export interface ProviderAdaptation {
  readonly provider: string;
  readonly pinned: string;
  /** The version validated with, or null when the provider was taken out. */
  readonly used: string | null;
}

const compareVersions = (a: string, b: string) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};

export function mirrorVersions(mirrorDir: string, host = 'registry.terraform.io'): MirrorVersions {
  const base = path.join(mirrorDir, host, 'hashicorp');
  if (!fs.existsSync(base)) return {};
  return Object.fromEntries(
    fs.readdirSync(base).map((name) => [name, fs.readdirSync(path.join(base, name)).sort(compareVersions)]),
  );
}

/** `${...}` expressions that reference a resource or data source of `provider`. */
function referencePattern(provider: string): RegExp {
  return new RegExp(`\\$\\{[^{}]*\\b(data\\.)?${provider}_[a-z0-9_]+\\.[^{}]*\\}`, 'g');
}

function replaceReferences(value: unknown, pattern: RegExp, dropped: Set<string>): unknown {
  if (typeof value === 'string') return value.replace(pattern, `removed-${[...dropped][0]}-reference`);
  if (Array.isArray(value)) return value.map((v) => replaceReferences(v, pattern, dropped));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceReferences(v, pattern, dropped)]));
  }
  return value;
}

/** Rewrites one synthesized stack (cdk.tf.json, parsed) so that it initializes from the mirror. */
export function adaptToMirror(json: any, mirror: MirrorVersions): { json: any; adaptations: ProviderAdaptation[] } {
  const adapted = JSON.parse(JSON.stringify(json));
  const adaptations: ProviderAdaptation[] = [];
  for (const [provider, spec] of Object.entries<any>(adapted.terraform?.required_providers ?? {})) {
    const available = mirror[provider] ?? [];
    if (available.includes(spec.version)) continue;
    if (available.length > 0) {
      const used = available[available.length - 1];
      adaptations.push({ provider, pinned: spec.version, used });
      spec.version = used;
      continue;
    }
    adaptations.push({ provider, pinned: spec.version, used: null });
    delete adapted.terraform.required_providers[provider];
    delete adapted.provider?.[provider];
    for (const block of ['resource', 'data']) {
      for (const type of Object.keys(adapted[block] ?? {})) if (type.startsWith(`${provider}_`)) delete adapted[block][type];
    }
    const pattern = referencePattern(provider);
    const dropped = new Set([provider]);
    for (const block of ['resource', 'data', 'output', 'locals', 'provider']) {
      if (adapted[block]) adapted[block] = replaceReferences(adapted[block], pattern, dropped);
    }
    // depends_on entries are bare addresses, not ${...} expressions.
    for (const block of ['resource', 'data']) {
      for (const resources of Object.values<any>(adapted[block] ?? {})) {
        for (const resource of Object.values<any>(resources)) {
          if (Array.isArray(resource.depends_on)) {
            resource.depends_on = resource.depends_on.filter((d: string) => !new RegExp(`^(data\\.)?${provider}_`).test(d));
          }
        }
      }
    }
  }
  return { json: adapted, adaptations };
}

export function describeAdaptations(adaptations: readonly ProviderAdaptation[]): string {
  return adaptations
    .map((a) => (a.used ? `${a.provider} ${a.pinned} -> ${a.used}` : `${a.provider} ${a.pinned} not in mirror: its resources left out`))
    .join('; ');
}

/**
 * Whether the prebuilt binding of `resourceType` (generated from the pinned provider's schema)
 * writes `attribute`. An attribute the mirror's newer provider rejects as unknown, but that the
 * pinned schema has, is schema drift between the two versions, not a mistake in our code.
 */
export function inPinnedSchema(block: 'resource' | 'data', resourceType: string, attribute: string): boolean {
  const provider = resourceType.split('_')[0];
  const name = resourceType.slice(provider.length + 1).replace(/_/g, '-');
  const dir = block === 'data' ? `data-${provider}-${name}` : name;
  let source: string;
  try {
    source = fs.readFileSync(require.resolve(`@cdktf/provider-${provider}/lib/${dir}/index.js`), 'utf8');
  } catch {
    return false;
  }
  return new RegExp(`\\b${attribute}:`).test(source);
}

export interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly snippet?: { readonly context?: string };
}

/** One difference between the pinned schema and the mirror's: where, and what to change to get past it. */
export interface Drift {
  readonly block: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  /**
   * `extra`: only the pinned version has it; `required`: only the newer version requires it;
   * `value`: the value is one only the pinned version accepts.
   */
  readonly kind: 'extra' | 'required' | 'value';
  readonly field: string;
}

const DRIFT_NOTE: Record<Drift['kind'], string> = { extra: '', required: ' (required by the newer version only)', value: ' (value accepted by the pinned version only)' };
const driftLabel = (d: Drift) => `${d.type}.${d.field}${DRIFT_NOTE[d.kind]}`;

/**
 * Values the pinned version accepts that the newer one rejects, with the newer version's nearest
 * equivalent to validate the rest of the resource with. The pinned list is written here because
 * the prebuilt bindings carry no enums.
 */
export const VALUES_CHANGED_BY_NEWER: Readonly<Record<string, { readonly pinned: readonly string[]; readonly newer: string }>> = {
  // azurerm 4.55 accepts 10 and 11, azurerm 5 only 12 and 13 (hashicorp/terraform-provider-azurerm#31653, #32777).
  'azurerm_dashboard_grafana.grafana_major_version': { pinned: ['10', '11'], newer: '12' },
};

/**
 * Splits validate's errors into real ones and schema drift: attributes that only the pinned
 * version has, and blocks that only the newer version requires. Anything else is a real error.
 */
export function classifyErrors(diagnostics: readonly Diagnostic[]): { errors: Diagnostic[]; drift: Drift[] } {
  const errors: Diagnostic[] = [];
  const drift: Drift[] = [];
  for (const d of diagnostics.filter((x) => x.severity === 'error')) {
    const attribute = /No argument or block type is named "([a-z0-9_]+)"/.exec(d.detail ?? '')?.[1];
    const context = /^(resource|data)\.([a-z0-9_]+)\.([^.]+)/.exec(d.snippet?.context ?? '');
    // A block the newer version requires that the pinned schema does not even have, or an error
    // inside such a block (its own required arguments).
    const inside = /^(?:resource|data)\.[a-z0-9_]+\.[^.]+\.([a-z0-9_]+)/.exec(d.snippet?.context ?? '')?.[1];
    const required =
      /^Insufficient ([a-z0-9_]+) blocks$/.exec(d.summary)?.[1] ??
      (d.summary === 'Missing required argument' ? /The argument "([a-z0-9_]+)" is required/.exec(d.detail ?? '')?.[1] : undefined) ??
      inside;
    const rejected = /expected ([a-z0-9_]+) to be one of \[[^\]]*\], got (\S+)/.exec(`${d.summary} ${d.detail ?? ''}`);
    const changed = rejected && context ? VALUES_CHANGED_BY_NEWER[`${context[2]}.${rejected[1]}`] : undefined;
    if (rejected && context && changed?.pinned.includes(rejected[2])) {
      drift.push({ block: context[1] as 'resource' | 'data', type: context[2], name: context[3], kind: 'value', field: rejected[1] });
    } else if (d.summary === 'Extraneous JSON object property' && attribute && context && inPinnedSchema(context[1] as 'resource' | 'data', context[2], attribute)) {
      drift.push({ block: context[1] as 'resource' | 'data', type: context[2], name: context[3], kind: 'extra', field: attribute });
    } else if (required && context && !inPinnedSchema(context[1] as 'resource' | 'data', context[2], required)) {
      drift.push({ block: context[1] as 'resource' | 'data', type: context[2], name: context[3], kind: 'required', field: required });
    } else {
      errors.push(d);
    }
  }
  return { errors, drift };
}

/** The distinct drift labels, for the report. */
export function describeDrift(drift: readonly Drift[]): string {
  return [...new Set(drift.map(driftLabel))].sort().join(', ');
}

/**
 * Values for blocks the newer version requires, chosen to mean what the pinned version does
 * without them: azurerm 5 makes node auto-provisioning explicit; `Manual` is 4.x's behaviour.
 */
const REQUIRED_BY_NEWER: Record<string, unknown | ((resource: any) => unknown)> = {
  'azurerm_kubernetes_cluster.node_provisioning_profile': [{ mode: 'Manual' }],
  // azurerm 5 renamed the identity argument of a federated credential (4.x: parent_id).
  'azurerm_federated_identity_credential.user_assigned_identity_id': (resource: any) => resource.parent_id,
  // azurerm 5 names a DNS zone link's zone by ID (4.x: by name and resource group).
  'azurerm_private_dns_zone_virtual_network_link.private_dns_zone_id': (resource: any) => String(resource.private_dns_zone_name).replace(/\.name\}$/, '.id}'),
};

function removeKey(value: any, key: string): void {
  if (Array.isArray(value)) value.forEach((v) => removeKey(v, key));
  else if (value && typeof value === 'object') {
    delete value[key];
    Object.values(value).forEach((v) => removeKey(v, key));
  }
}

/**
 * Takes the drift out of a stack: drops attributes only the pinned version knows and adds an empty
 * block where only the newer version requires one. Terraform stops checking a resource at its
 * first unknown attribute, so validating again after this checks the rest of that resource too.
 */
export function withoutDrift(json: any, drift: readonly Drift[]): any {
  const adapted = JSON.parse(JSON.stringify(json));
  for (const d of drift) {
    const resource = adapted[d.block]?.[d.type]?.[d.name];
    if (!resource) continue;
    if (d.kind === 'extra') removeKey(resource, d.field);
    else if (d.kind === 'value') resource[d.field] = VALUES_CHANGED_BY_NEWER[`${d.type}.${d.field}`].newer;
    else {
      const value = REQUIRED_BY_NEWER[`${d.type}.${d.field}`];
      resource[d.field] ??= typeof value === 'function' ? value(resource) : (value ?? [{}]);
    }
  }
  return adapted;
}

/** What tools/toolchain/install.sh wrote into its env file. */
export interface Toolchain {
  readonly TF_BIN: string;
  readonly TF_CLI_CONFIG_FILE: string;
  readonly TOOLCHAIN_PROVIDER_MIRROR: string;
  readonly CHECKOV_BIN: string;
}

export function loadToolchain(root: string): Toolchain & Record<string, string> {
  const probe = spawnSync('bash', [path.join(root, 'tools', 'toolchain', 'install.sh'), '--print-env'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error('the offline toolchain is not installed: run `npm run toolchain` first');
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(probe.stdout.trim(), 'utf8').split('\n')) {
    const match = /^export ([A-Z_]+)="?([^"]*)"?$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  return env as unknown as Toolchain & Record<string, string>;
}

export interface StackValidation {
  readonly valid: boolean;
  readonly adaptations: ProviderAdaptation[];
  readonly drift: Drift[];
  /** The first real problem, empty when valid. */
  readonly firstError: string;
  readonly errorCount: number;
}

/**
 * Adapts the stack in `dir` to the mirror, then runs init and validate, taking schema drift out
 * and validating again until only real errors remain. Leaves the adapted cdk.tf.json in `dir`.
 */
export function validateStackDir(dir: string, tool: Toolchain, pluginCacheDir: string): StackValidation {
  const file = path.join(dir, 'cdk.tf.json');
  const { json, adaptations } = adaptToMirror(JSON.parse(fs.readFileSync(file, 'utf8')), mirrorVersions(tool.TOOLCHAIN_PROVIDER_MIRROR));
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: tool.TF_CLI_CONFIG_FILE, TF_PLUGIN_CACHE_DIR: pluginCacheDir, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  const run = (...args: string[]) => spawnSync(tool.TF_BIN, [`-chdir=${dir}`, ...args], { env, encoding: 'utf8' });

  const init = run('init', '-backend=false', '-input=false', '-no-color');
  if (init.status !== 0) {
    const lines = `${init.stderr}\n${init.stdout}`.split('\n').map((l) => l.replace(/^[╷│╵]\s?/, '').trim());
    return { valid: false, adaptations, drift: [], firstError: `init failed: ${lines.find((l) => l.startsWith('Error')) ?? lines.find(Boolean) ?? ''}`, errorCount: 1 };
  }
  const drift: Drift[] = [];
  let errors: Diagnostic[] = [];
  let current = json;
  // Terraform stops checking a resource at its first unknown attribute: take drift out and go again.
  for (let pass = 0; pass < 4; pass++) {
    const report = JSON.parse(run('validate', '-json', '-no-color').stdout || '{}');
    const found = classifyErrors(report.diagnostics ?? []);
    errors = found.errors;
    if (found.drift.length === 0 || errors.length > 0) break;
    drift.push(...found.drift);
    const next = withoutDrift(current, found.drift);
    if (JSON.stringify(next) === JSON.stringify(current)) break;
    current = next;
    fs.writeFileSync(file, JSON.stringify(current, null, 2));
  }
  const [e] = errors;
  const firstError = e ? `${e.summary}${e.detail ? `: ${e.detail.split('\n')[0]}` : ''}${e.snippet?.context ? ` [${e.snippet.context}]` : ''}` : '';
  return { valid: errors.length === 0, adaptations, drift, firstError, errorCount: errors.length };
}

/**
 * Synthesizes every environment (main.ts) and the bootstrap app (bootstrap.ts) with local state
 * into `out`, through the same runner as cdktf.json. Returns each stack's directory by name.
 */
export function synthAllLocal(root: string, out: string, options: { mainOnly?: boolean } = {}): Record<string, string> {
  fs.mkdirSync(out, { recursive: true });
  const stacks: Record<string, string> = {};
  for (const app of options.mainOnly ? ['main.ts'] : ['main.ts', 'bootstrap.ts']) {
    const outdir = path.join(out, path.basename(app, '.ts'));
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'app.mjs'), app], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, STATE_BACKEND: 'local', BOOTSTRAP_STATE: 'local', CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`synth of ${app} failed:\n${result.stderr}`);
    if (app === 'bootstrap.ts') addExamplePipelineIdentityStacks(root, out, outdir);
    for (const name of fs.readdirSync(path.join(outdir, 'stacks')).sort()) stacks[name] = path.join(outdir, 'stacks', name);
  }
  return stacks;
}

/**
 * The pipeline-identity stack of every committed environment without `delivery`, synthesized by
 * the bootstrap app from a copy of its file with the example delivery (scripts/example-delivery.ts)
 * and placed beside the bootstrap's other stacks, so validate and policy check it too.
 */
function addExamplePipelineIdentityStacks(root: string, out: string, bootstrapOut: string): void {
  for (const file of writeExampleDeliveryFiles(path.join(root, 'config', 'environments'), path.join(out, 'example-delivery'))) {
    const outdir = path.join(out, `bootstrap-${path.basename(file, '.yaml')}`);
    const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'app.mjs'), 'bootstrap.ts'], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, PLATFORM_CONFIG: file, BOOTSTRAP_STATE: 'local', CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`synth of bootstrap.ts with ${file} failed:\n${result.stderr}`);
    for (const name of fs.readdirSync(path.join(outdir, 'stacks')).filter((n) => n.startsWith('pipeline-identity-'))) {
      fs.cpSync(path.join(outdir, 'stacks', name), path.join(bootstrapOut, 'stacks', name), { recursive: true });
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
