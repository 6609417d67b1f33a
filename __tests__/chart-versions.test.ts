/**
 * Every Helm release is pinned to a chart version: without `version`, Helm installs whatever the
 * repository calls latest on the day of the deploy, and a re-run upgrades behind the reviewer's
 * back. The versions are literals here on purpose, not the constants the constructs read: a bump is
 * a reviewed change to this file too. Opik's version is the environment file's, read as written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument, Scalar } from 'yaml';
import { buildStacks, cloneConfig, ENVIRONMENT_NAMES, ENVIRONMENTS_DIR, loadCommittedConfig, resourcesOf, synthStack } from './helpers';

/** `application.opikVersion` exactly as the environment file writes it, without our loader. */
function opikVersionInFile(environment: string): string {
  const document = parseDocument(fs.readFileSync(path.join(ENVIRONMENTS_DIR, `${environment}.yaml`), 'utf8'));
  const node = document.getIn(['application', 'opikVersion'], true);
  if (!(node instanceof Scalar) || typeof node.source !== 'string') throw new Error(`${environment}.yaml has no application.opikVersion`);
  return node.source;
}

/** Chart name -> pinned version; repository charts only. */
function expectedVersions(environment: string): Record<string, string> {
  return { 'cert-manager': 'v1.21.2', 'oauth2-proxy': '10.6.0', 'external-dns': '1.22.0', 'nvidia-device-plugin': '0.20.0', opik: opikVersionInFile(environment) };
}

/**
 * Our own charts, shipped as Terraform asset directories: no repository, so no version to pin. The
 * Let's Encrypt issuers (application stack) and each service's SecretProviderClass (services stack).
 */
const LOCAL_CHART_RELEASES = ['letsencrypt-issuers'];
/** A service's SecretProviderClass release is named `<service>-secrets`. */
const isSecretProviderClassRelease = (name: string) => /-secrets$/.test(name);
const isLocalChartRelease = (release: Record<string, any>) => LOCAL_CHART_RELEASES.includes(release.name) || isSecretProviderClassRelease(release.name);

/** The application stack of each committed environment, plus prod with external-dns (no committed file enables it). */
const CASES: [string, string, ReturnType<typeof loadCommittedConfig>][] = [
  ...ENVIRONMENT_NAMES.map((environment): [string, string, ReturnType<typeof loadCommittedConfig>] => [environment, environment, loadCommittedConfig(environment)]),
  [
    'prod with external-dns',
    'prod',
    (() => {
      const config = cloneConfig(loadCommittedConfig('prod'));
      config.application.dns = { provider: 'azure', zoneId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com' };
      return config;
    })(),
  ],
];

const releasesByCase = CASES.map(([label, environment, config]) => {
  const stacks = buildStacks(config);
  const releases = Object.values(stacks).flatMap((stack) => resourcesOf(synthStack(stack), 'helm_release'));
  return [label, environment, releases] as const;
});

describe.each(releasesByCase)('%s', (_label, environment, releases) => {
  test('every repository chart is pinned to its reviewed version', () => {
    const expected = expectedVersions(environment);
    for (const release of releases.filter((r) => !isLocalChartRelease(r))) {
      expect({ release: release.name, chart: release.chart, version: release.version }).toEqual({ release: release.name, chart: release.chart, version: expected[release.chart] ?? '(no reviewed version for this chart in chart-versions.test.ts)' });
      expect(release.repository).toMatch(/^https:\/\//);
    }
  });

  test('the Opik chart version is the environment file\'s application.opikVersion', () => {
    const opik = releases.find((r) => r.chart === 'opik');
    expect(opik?.version).toBe(opikVersionInFile(environment));
  });

  test('only our local path charts (issuers, SecretProviderClasses) have no version', () => {
    const unversioned = releases.filter((r) => r.version === undefined).map((r) => r.name);
    expect(unversioned).toEqual(releases.filter(isLocalChartRelease).map((r) => r.name));
    for (const release of releases.filter(isLocalChartRelease)) {
      expect(release.repository).toBeUndefined();
      expect(release.chart).toMatch(/^assets\//);
    }
  });
});

test('the cases cover every pinned chart and the local issuers chart', () => {
  const charts = new Set(releasesByCase.flatMap(([, , releases]) => releases.map((r) => (isSecretProviderClassRelease(r.name) ? '<service>-secrets' : r.name))));
  expect([...charts].sort()).toEqual(['<service>-secrets', 'cert-manager', 'external-dns', 'letsencrypt-issuers', 'nvidia-device-plugin', 'oauth2-proxy', 'opik']);
});
