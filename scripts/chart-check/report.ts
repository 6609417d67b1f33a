/** One release's checks, in the order a reader wants them: does it render, then what the render does. */
import { CHART_API_VERSIONS, PUBLISHED_DEFAULT_PASSWORDS, SECRET_ENV_REQUIREMENTS, VALUES_AHEAD_OF_CHART } from '../../constructs/opik/chart-contract';
import { compareClaims, imageFindings, mountedClaims, podSecurity, publishedDefaults, renderedSecrets, secretEnvFindings, secretsOutsideSecrets } from './checks';
import { sameRender, variants, volatileLines } from './consumption';
import { renderChart, type RenderRequest } from './helm';
import { parseManifests } from './manifests';
import { networkPolicyChecks, type NetworkCheckInput } from './network';
import type { ReleaseInputs } from './release';

export interface CheckResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'info';
  readonly summary?: string;
  readonly details?: string[];
}

export interface ReleaseReport {
  readonly release: ReleaseInputs;
  readonly source?: string;
  readonly skipped?: string;
  readonly checks: CheckResult[];
}

export interface CheckReleaseInput {
  readonly helm: string;
  readonly release: ReleaseInputs;
  readonly chartPath: string;
  readonly source: string;
  /** Every release of the stack: a registry one release is pointed at applies to all. */
  readonly stackReleases: readonly ReleaseInputs[];
  /** The Kubernetes version charts see (`kubeVersion` constraints, capabilities). */
  readonly kubeVersion?: string;
  /** @default SECRET_ENV_REQUIREMENTS of the chart */
  readonly secretEnv?: typeof SECRET_ENV_REQUIREMENTS[string];
  /** Keys set on purpose for a later chart version, with the reason. @default VALUES_AHEAD_OF_CHART of the chart */
  readonly valuesAheadOfChart?: Readonly<Record<string, string>>;
  /** The stack's NetworkPolicies and the contract's selectors for this chart's pods. @default - no network check */
  readonly network?: NetworkCheckInput;
}

const list = (items: readonly string[], max = 40) => (items.length > max ? [...items.slice(0, max), `... and ${items.length - max} more`] : [...items]);

export function checkRelease(input: CheckReleaseInput): ReleaseReport {
  const { release } = input;
  const request = (values: readonly string[], set = release.set): RenderRequest => ({
    helm: input.helm,
    chartPath: input.chartPath,
    releaseName: release.releaseName,
    namespace: release.namespace,
    values,
    set,
    setSensitive: release.setSensitive,
    apiVersions: CHART_API_VERSIONS,
    kubeVersion: input.kubeVersion,
  });
  const checks: CheckResult[] = [];
  const base = renderChart(request(release.values));
  if (!base.ok) return { release, source: input.source, checks: [{ name: 'renders', status: 'fail', summary: base.error.split('\n')[0], details: base.error.split('\n').slice(1, 6) }] };
  const objects = parseManifests(base.manifest);
  checks.push({ name: 'renders', status: 'pass', summary: `${objects.length} objects` });

  // Claims: a release that mounts claims must mount exactly the pre-bound ones.
  const mounted = mountedClaims(objects, release.namespace);
  if (mounted.size === 0) checks.push({ name: 'claims match the pre-bound volumes', status: 'pass', summary: 'mounts no claims' });
  else {
    const { unbacked, unused } = compareClaims(mounted, release.preBoundClaims);
    const ok = unbacked.length === 0 && unused.length === 0;
    checks.push({
      name: 'claims match the pre-bound volumes',
      status: ok ? 'pass' : 'fail',
      summary: ok ? [...mounted.keys()].sort().join(', ') : `${unbacked.length} mounted without a volume, ${unused.length} volumes unused`,
      details: [...unbacked.map((c) => `mounted, no pre-bound volume (pod stays Pending): ${c} (${mounted.get(c)})`), ...unused.map((c) => `pre-bound volume no workload mounts: ${c}`)],
    });
  }

  if (input.network) checks.push(...networkPolicyChecks(objects, input.network));

  // Every values key the project sets changes the render.
  const again = renderChart(request(release.values));
  const volatile = again.ok ? volatileLines(base.manifest, again.manifest) : new Set<string>();
  const ignored: string[] = [];
  const all = variants(release.values, release.set);
  for (const v of all) {
    const r = renderChart(request(v.values, v.set));
    if (r.ok && sameRender(r.manifest, base.manifest, volatile)) ignored.push(v.key);
  }
  const ahead = input.valuesAheadOfChart ?? VALUES_AHEAD_OF_CHART[release.chart] ?? {};
  const unexpected = ignored.filter((k) => !(k in ahead));
  const expected = ignored.filter((k) => k in ahead);
  checks.push({
    name: 'every values key the project sets changes the render',
    status: unexpected.length === 0 ? 'pass' : 'fail',
    summary:
      unexpected.length === 0
        ? `${all.length} keys, each changed alone${expected.length ? `; ${expected.length} set ahead of this chart version` : ''}`
        : `${unexpected.length} of ${all.length} keys change nothing`,
    details: [...unexpected.map((k) => `ignored: ${k}`), ...expected.map((k) => `ahead of this chart (expected): ${k}: ${ahead[k]}`)],
  });

  // No generated secret outside a Secret.
  const leaks = secretsOutsideSecrets(objects, release.secretPlaceholders);
  checks.push({
    name: 'no generated secret outside a Secret',
    status: leaks.length === 0 ? 'pass' : 'fail',
    summary: leaks.length === 0 ? `${release.secretPlaceholders.length} placeholders searched` : `${leaks.length} found`,
    details: leaks.map((l) => `${l.object} holds a generated secret (${l.form})`),
  });

  // No published default password anywhere, Secrets included.
  const defaults = PUBLISHED_DEFAULT_PASSWORDS[release.chart] ?? [];
  if (defaults.length > 0) {
    const found = publishedDefaults(objects, defaults);
    checks.push({
      name: "no published default password of the chart",
      status: found.length === 0 ? 'pass' : 'fail',
      summary: found.length === 0 ? `${defaults.length} defaults searched` : `${found.length} found`,
      details: found.map((f) => `${f.object} holds the chart's default ${f.secret} (${f.form})`),
    });
  }

  // Credentials reach their containers from Secrets.
  const requirements = input.secretEnv ?? SECRET_ENV_REQUIREMENTS[release.chart] ?? [];
  if (requirements.length > 0) {
    const known = [...renderedSecrets(objects), ...release.stackSecrets];
    const findings = secretEnvFindings(objects, known, requirements);
    const count = requirements.reduce((n, r) => n + r.variables.length, 0);
    checks.push({
      name: 'credentials reach their containers from Secrets',
      status: findings.length === 0 ? 'pass' : 'fail',
      summary: findings.length === 0 ? `${count} variables in ${requirements.length} containers` : `${findings.length} of ${count} not from a Secret`,
      details: findings.map((f) => `${f.where}: ${f.variable} comes from ${f.source}`),
    });
  }

  // Pod Security: baseline is enforced on the namespace, restricted only warned about. A namespace
  // the stack itself labels `privileged` (a node agent's, such as the GPU device plugin's hostPath)
  // admits what baseline forbids: listed, not failed.
  const security = podSecurity(objects);
  const privileged = release.podSecurityEnforce === 'privileged';
  checks.push({
    name: 'no pod breaks Pod Security baseline',
    status: security.baseline.length === 0 ? 'pass' : privileged ? 'info' : 'fail',
    summary: privileged && security.baseline.length > 0 ? `namespace ${release.namespace} enforces privileged (labelled by the stack): ${security.baseline.length} findings admitted` : undefined,
    details: security.baseline.map((f) => `${f.where}: ${f.rule}`),
  });
  checks.push({
    name: 'Pod Security restricted (warned, not enforced)',
    status: 'info',
    summary: `${security.restricted.length} findings`,
    details: list([...new Set(security.restricted.map((f) => `${f.where}: ${f.rule}`))]),
  });

  // Images: from the registry and pinned.
  const registry = input.stackReleases.map((r) => r.registryPlaceholder).find(Boolean);
  const images = imageFindings(objects, registry);
  checks.push({
    name: registry ? `every image from the registry (${registry}) and pinned` : 'every image pinned',
    status: images.failures.length === 0 ? 'pass' : 'fail',
    summary: `${images.images.length} images`,
    details: [...images.failures.map((f) => `${f.where}: ${f.image}: ${f.problem}`), ...images.images.map((i) => `image ${i}`)],
  });
  return { release, source: input.source, checks };
}
