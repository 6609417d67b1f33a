/**
 * The chart checker, end to end with a real Helm binary, on a chart written for these tests
 * (__tests__/fixtures/charts/tiny-app). Each test breaks one thing the way a real chart upgrade
 * could, and the checker must say so.
 */
import * as path from 'path';
import { checkRelease, type CheckResult } from '../../scripts/chart-check/report';
import { REGISTRY_PLACEHOLDER, secretPlaceholder, type ReleaseInputs } from '../../scripts/chart-check/release';

const HELM = process.env.HELM_BIN ?? '';
const CHART = path.join(__dirname, '..', 'fixtures', 'charts', 'tiny-app');
const PASSWORD = secretPlaceholder('tiny', 32);

function release(values: Record<string, unknown>, extra: Partial<ReleaseInputs> = {}): ReleaseInputs {
  const yaml = Object.entries({ registry: `${REGISTRY_PLACEHOLDER}/tiny`, existingSecret: 'tiny-secret', ...values })
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return {
    address: 'helm_release.tiny',
    releaseName: 'tiny',
    chart: 'tiny-app',
    namespace: 'apps',
    values: [yaml],
    set: [],
    setSensitive: [{ name: 'password', value: PASSWORD }],
    secretPlaceholders: [PASSWORD],
    registryPlaceholder: REGISTRY_PLACEHOLDER,
    stackSecrets: [],
    preBoundClaims: ['apps/data-tiny-db-0', 'apps/data-tiny-uploads'],
    ...extra,
  };
}

const SECRET_ENV = [
  { workload: 'Deployment/tiny-app', container: 'app', variables: ['DB_PASS'] },
];

function run(values: Record<string, unknown>, extra: Partial<ReleaseInputs> = {}, secretEnv = SECRET_ENV) {
  const r = release(values, extra);
  return checkRelease({ helm: HELM, release: r, chartPath: CHART, source: 'test', stackReleases: [r], secretEnv }).checks;
}
const find = (checks: CheckResult[], name: string) => {
  const c = checks.find((x) => x.name.startsWith(name));
  if (!c) throw new Error(`no check "${name}" in ${checks.map((x) => x.name).join(', ')}`);
  return c;
};

// The validation suite runs with the toolchain (toolchain-env.ts), which builds Helm.
if (!HELM) throw new Error('HELM_BIN is not set: run `npm run toolchain` (tools/toolchain/install.sh) first');

describe('check:chart on a small chart', () => {
  const good = { claimName: 'data-tiny-uploads', tag: '1.0' };

  test('passes every check when the values fit the chart', () => {
    const checks = run(good);
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(find(checks, 'claims match').summary).toBe('apps/data-tiny-db-0, apps/data-tiny-uploads');
  });

  test('fails if the chart does not render, with Helm\'s error', () => {
    const c = find(run({ ...good, secretRefs: [{ name: 'tiny-secret' }] }), 'renders');
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/^Error: YAML parse error on tiny-app\/templates\/workloads.yaml/);
  });

  test('fails if a claim the workloads mount has no pre-bound volume, and names both sides', () => {
    const c = find(run({ ...good, claimName: 'uploads-renamed' }), 'claims match');
    expect(c.status).toBe('fail');
    expect(c.details).toEqual([
      'mounted, no pre-bound volume (pod stays Pending): apps/uploads-renamed (Deployment/tiny-app volume uploads)',
      'pre-bound volume no workload mounts: apps/data-tiny-uploads',
    ]);
  });

  test('fails if a values key the project sets changes nothing, and names the key', () => {
    const c = find(run({ ...good, ignoredByTemplates: false, misspeltKey: 'x' }), 'every values key');
    expect(c.status).toBe('fail');
    expect(c.details).toEqual(['ignored: ignoredByTemplates', 'ignored: misspeltKey']);
  });

  test('fails if a generated secret lands in a ConfigMap', () => {
    const c = find(run({ ...good, passwordInConfigMap: true }), 'no generated secret');
    expect(c.status).toBe('fail');
    expect(c.details).toEqual(['ConfigMap/tiny-config holds a generated secret (plain)']);
  });

  test('fails if a credential reaches a container from a ConfigMap, not a Secret', () => {
    const checks = run({ ...good, passwordInConfigMap: true }, {}, [
      ...SECRET_ENV,
      { workload: 'Deployment/tiny-app', container: 'migrate', variables: ['DB_PASS'] },
    ]);
    expect(find(checks, 'credentials reach').details).toEqual([
      'Deployment/tiny-app initContainer migrate: DB_PASS comes from ConfigMap tiny-config key DB_PASS',
    ]);
  });

  test('a Secret created by the stack beside the release counts', () => {
    const checks = run({ ...good, existingSecret: 'made-by-terraform' }, { stackSecrets: [{ name: 'made-by-terraform', keys: ['DB_PASS'] }] });
    expect(find(checks, 'credentials reach').status).toBe('pass');
  });

  test('fails if a pod breaks Pod Security baseline', () => {
    const c = find(run({ ...good, privileged: true }), 'no pod breaks');
    expect(c.status).toBe('fail');
    expect(c.details).toEqual(['StatefulSet/tiny-db container db: privileged: true']);
  });

  test('only lists what baseline forbids when the stack labels the namespace privileged', () => {
    const c = find(run({ ...good, privileged: true }, { podSecurityEnforce: 'privileged' }), 'no pod breaks');
    expect(c.status).toBe('info');
    expect(c.summary).toBe('namespace apps enforces privileged (labelled by the stack): 1 findings admitted');
    expect(c.details).toEqual(['StatefulSet/tiny-db container db: privileged: true']);
  });

  test('fails if a pod breaks Pod Security baseline in a namespace that enforces baseline', () => {
    expect(find(run({ ...good, privileged: true }, { podSecurityEnforce: 'baseline' }), 'no pod breaks').status).toBe('fail');
  });

  test('fails if an image is not from the registry, or not pinned', () => {
    const c = find(run({ ...good, registry: 'docker.io/library', tag: 'latest' }), 'every image');
    expect(c.status).toBe('fail');
    expect(c.details).toContain('StatefulSet/tiny-db container db: docker.io/library/db:latest: not from crplaceholder.azurecr.io');
    expect(c.details).toContain('StatefulSet/tiny-db container db: docker.io/library/db:latest: tag latest');
  });
});
