/**
 * The stand-in charts render, from the values our dev stack synthesizes, the objects the stacks
 * depend on: the claims of the pre-bound volumes, the backend's credentials from its Secret, pods
 * that Pod Security admits. Rendering needs Helm (`HELM_BIN`, set by the toolchain suite); without
 * it only the Chart.yaml checks run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { SECRET_ENV_REQUIREMENTS } from '../../constructs/opik/chart-contract';
import { compareClaims, imageFindings, mountedClaims, podSecurity, secretEnvFindings, secretsOutsideSecrets } from '../../scripts/chart-check/checks';
import { allContainers, parseManifests, podSpecsOf, ref, type K8sObject } from '../../scripts/chart-check/manifests';
import { REGISTRY_PLACEHOLDER, releasesOf, type ReleaseInputs } from '../../scripts/chart-check/release';
import { buildStacks, cloneConfig, loadCommittedConfig, synthStack } from '../../__tests__/helpers';
import { runHelm } from './chart-repository';
import { STAND_IN_DESCRIPTION, STAND_IN_TARGETS, writeStandInCharts, type StandInChart } from './stand-in-charts';

jest.setTimeout(180_000);

const HELM = process.env.HELM_BIN;
const dev = loadCommittedConfig('dev');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-charts-'));
const charts = writeStandInCharts(path.join(work, 'charts'), dev.application.opikVersion);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('stand-in charts', () => {
  test('one per real chart, at the version the stacks pin, each saying it is a stand-in', () => {
    expect(charts.map((c) => [c.name, c.version, c.standsInFor])).toEqual(
      STAND_IN_TARGETS.map((t) => [t.name, t.version ?? dev.application.opikVersion, t.repository]),
    );
    expect(STAND_IN_TARGETS.map((t) => `${t.name}@${t.version ?? 'opikVersion'}`)).toEqual(['opik@opikVersion', 'cert-manager@v1.21.2', 'oauth2-proxy@10.6.0', 'external-dns@1.22.0', 'nvidia-device-plugin@0.20.0']);
    for (const chart of charts) {
      const meta = parse(fs.readFileSync(path.join(chart.dir, 'Chart.yaml'), 'utf8'));
      expect(meta.description.startsWith(STAND_IN_DESCRIPTION)).toBe(true);
      expect(fs.readFileSync(path.join(chart.dir, 'templates', 'NOTES.txt'), 'utf8')).toContain(STAND_IN_DESCRIPTION);
    }
  });

  test("cert-manager's stand-in ships the CRDs our issuers chart needs, in crds/", () => {
    const dir = charts.find((c) => c.name === 'cert-manager')!.dir;
    const crds = fs.readdirSync(path.join(dir, 'crds')).map((f) => parse(fs.readFileSync(path.join(dir, 'crds', f), 'utf8')));
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(['certificates.cert-manager.io', 'clusterissuers.cert-manager.io', 'issuers.cert-manager.io']);
    for (const c of crds) expect(c.spec.versions).toEqual([expect.objectContaining({ name: 'v1', served: true, storage: true })]);
  });
});

/** Renders `release` (values as Terraform would pass them) with its stand-in chart. */
async function render(release: ReleaseInputs, extra: string[] = []): Promise<K8sObject[]> {
  const chart = charts.find((c) => c.name === release.chart) as StandInChart;
  const dir = fs.mkdtempSync(path.join(work, 'render-'));
  const files = release.values.map((v, i) => {
    fs.writeFileSync(path.join(dir, `values-${i}.yaml`), v);
    return ['--values', path.join(dir, `values-${i}.yaml`)];
  });
  const out = await runHelm(HELM!, ['template', release.releaseName, chart.dir, '--namespace', release.namespace, ...files.flat(), ...extra], path.join(dir, 'home'));
  return parseManifests(out);
}

(HELM ? describe : describe.skip)(`stand-ins rendered with the dev stack's values${HELM ? '' : ' (skipped: HELM_BIN is unset; they run in the toolchain suite)'}`, () => {
  let releases: ReleaseInputs[];
  let opik: ReleaseInputs;
  let objects: K8sObject[];
  beforeAll(async () => {
    releases = releasesOf(synthStack(buildStacks(dev).application), work);
    opik = releases.find((r) => r.chart === 'opik')!;
    objects = await render(opik);
  });

  test('the workloads mount exactly the claims the volumes are pre-bound to', () => {
    const podClaims = objects.flatMap(podSpecsOf).flatMap((p) => (p.spec.volumes ?? []).map((v: any) => v.persistentVolumeClaim?.claimName).filter(Boolean));
    expect(podClaims.sort()).toEqual(['data-opik-mysql-0', 'data-opik-redis-master-0', 'data-opik-zookeeper-0', 'opik-minio']);
    const templated = objects
      .filter((o) => o.kind === 'StatefulSet')
      .flatMap((s) => (s.spec.volumeClaimTemplates ?? []).map((t: any) => `${t.metadata.name}-${s.metadata.name}-0`));
    expect(templated).toEqual(['storage-vc-template-chi-opik-clickhouse-cluster-0-0-0']);
    expect(compareClaims(mountedClaims(objects, opik.namespace), opik.preBoundClaims)).toEqual({ unbacked: [], unused: [] });
  });

  test('the backend and its migrations get their credentials from opik-backend-credentials', () => {
    const backend = allContainers(objects).filter((c) => ref(c.pod.owner) === 'Deployment/opik-backend');
    for (const name of ['opik-backend', 'backend-migrations']) {
      expect(backend.find((c) => c.container.name === name)?.container.envFrom).toContainEqual({ secretRef: { name: 'opik-backend-credentials' } });
    }
    expect(secretEnvFindings(objects, opik.stackSecrets, SECRET_ENV_REQUIREMENTS.opik)).toEqual([]);
  });

  test('every release renders pods Pod Security admits, images from the registry, no password outside a Secret', async () => {
    // external-dns is off in dev: render it from a dev config that turns it on.
    const withDns = cloneConfig(dev);
    withDns.application.dns = { provider: 'azure', zoneId: '/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com' };
    const externalDns = releasesOf(synthStack(buildStacks(withDns).application), work).find((r) => r.chart === 'external-dns')!;
    const standIns = [...releases.filter((r) => !r.localChartDir), externalDns];
    expect(standIns.map((r) => r.chart).sort()).toEqual(['cert-manager', 'external-dns', 'oauth2-proxy', 'opik']);
    for (const release of standIns) {
      const rendered = await render(release);
      // external-dns's namespace enforces `restricted`; Opik's enforces `baseline` and warns on `restricted`.
      expect({ release: release.chart, ...podSecurity(rendered) }).toEqual({ release: release.chart, baseline: [], restricted: [] });
      expect({ release: release.chart, images: imageFindings(rendered, REGISTRY_PLACEHOLDER).failures }).toEqual({ release: release.chart, images: [] });
      expect(secretsOutsideSecrets(rendered, release.secretPlaceholders)).toEqual([]);
    }
  });

  test("the device plugin's stand-in (prod's GPU pool) renders a DaemonSet with our affinity, tolerations and cached image", async () => {
    const plugin = releasesOf(synthStack(buildStacks(loadCommittedConfig('prod')).application), work).find((r) => r.chart === 'nvidia-device-plugin')!;
    const rendered = await render(plugin);
    const daemonSet = rendered.find((o) => o.kind === 'DaemonSet')!;
    const values = parse(plugin.values[0]);
    expect(daemonSet.spec.template.spec.affinity).toEqual(values.affinity);
    expect(daemonSet.spec.template.spec.tolerations).toEqual(values.tolerations);
    expect(imageFindings(rendered, REGISTRY_PLACEHOLDER)).toMatchObject({ failures: [], images: [`${REGISTRY_PLACEHOLDER}/nvcr/nvidia/k8s-device-plugin:v0.20.0`] });
    expect(podSecurity(rendered)).toEqual({ baseline: [], restricted: [] });
  });

  test('without our keys, the stand-in falls back as the real chart does, or refuses', async () => {
    // The chart's default is a privileged python-backend, which the namespace refuses.
    const privileged = await render(opik, ['--set', 'component.python-backend.securityContext.privileged=true']);
    expect(podSecurity(privileged).baseline).toEqual([expect.objectContaining({ where: 'Deployment/opik-python-backend container opik-python-backend', rule: 'privileged: true' })]);
    // A password source missing: the render fails, naming the key.
    await expect(render(opik, ['--set', 'mysql.auth.existingSecret='])).rejects.toThrow(/mysql\.auth\.existingSecret must name an existing Secret/);
    // No existing claim: the chart's own claim template, and for MinIO a claim Helm would own (and
    // collide with ours).
    const ownClaim = await render(opik, ['--set', 'minio.persistence.existingClaim=', '--set', 'redis.persistence.existingClaim=']);
    const redis = ownClaim.find((o) => ref(o) === 'StatefulSet/opik-redis-master')!;
    expect(redis.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    expect(ownClaim.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name)).toEqual(['opik-minio']);
  });
});
