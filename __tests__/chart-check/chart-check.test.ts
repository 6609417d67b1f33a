/** The chart checker's parts that need no Helm: claim naming, env precedence, images, placeholders. */
import { clickHouseClaims, envSource, mountedClaims, parseImage, secretsOutsideSecrets } from '../../scripts/chart-check/checks';
import { leafPaths, mutate, variants, volatileLines, sameRender } from '../../scripts/chart-check/consumption';
import { containersOf, podSpecsOf, type K8sObject } from '../../scripts/chart-check/manifests';
import { podSecurityFindings } from '../../scripts/chart-check/pod-security';
import { expressionsIn, releasesOf, REGISTRY_PLACEHOLDER, secretPlaceholder } from '../../scripts/chart-check/release';
import { buildStacks, loadCommittedConfig, synthStack } from '../helpers';

const obj = (kind: string, name: string, rest: Record<string, unknown> = {}): K8sObject => ({ kind, metadata: { name }, ...rest });

describe('claims the workloads mount', () => {
  test('a ClickHouseInstallation claims <template>-chi-<chi>-<cluster>-<shard>-<replica>-0 per replica', () => {
    const chi = obj('ClickHouseInstallation', 'opik-clickhouse', {
      spec: {
        defaults: { templates: { dataVolumeClaimTemplate: 'storage-vc-template' } },
        configuration: { clusters: [{ name: 'cluster', layout: { shardsCount: 1, replicasCount: 2 } }] },
      },
    });
    expect(clickHouseClaims(chi)).toEqual(['storage-vc-template-chi-opik-clickhouse-cluster-0-0-0', 'storage-vc-template-chi-opik-clickhouse-cluster-0-1-0']);
  });

  test("a cluster's own volumeClaimTemplate (data and logs on one claim) counts once", () => {
    const chi = obj('ClickHouseInstallation', 'opik-clickhouse', {
      spec: { configuration: { clusters: [{ name: 'cluster', layout: { shardsCount: 1, replicasCount: 1 }, templates: { volumeClaimTemplate: 'storage-vc-template' } }] } },
    });
    expect(clickHouseClaims(chi)).toEqual(['storage-vc-template-chi-opik-clickhouse-cluster-0-0-0']);
  });

  test('a StatefulSet claims <template>-<set>-<ordinal>; a pod volume claims its claimName', () => {
    const sts = obj('StatefulSet', 'opik-mysql', { spec: { replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'data' } }], template: { spec: { containers: [] } } } });
    const dep = obj('Deployment', 'opik-minio', { spec: { template: { spec: { containers: [], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'opik-minio' } }] } } } });
    expect([...mountedClaims([sts, dep], 'opik').keys()].sort()).toEqual(['opik/data-opik-mysql-0', 'opik/opik-minio']);
  });
});

describe('where an environment variable comes from', () => {
  const cm = obj('ConfigMap', 'cfg', { data: { PASS: 'fallback', OTHER: 'x' } });
  const pod = (container: Record<string, unknown>) => containersOf(podSpecsOf(obj('Deployment', 'd', { spec: { template: { spec: { containers: [{ name: 'c', ...container }] } } } }))[0])[0];

  test('a later envFrom entry wins over an earlier one', () => {
    const c = pod({ envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 's' } }] });
    expect(envSource(c, 'PASS', [cm], [{ name: 's', keys: ['PASS'] }])).toEqual({ from: 'secret', name: 's', key: 'PASS' });
    const reversed = pod({ envFrom: [{ secretRef: { name: 's' } }, { configMapRef: { name: 'cfg' } }] });
    expect(envSource(reversed, 'PASS', [cm], [{ name: 's', keys: ['PASS'] }])).toEqual({ from: 'configMap', name: 'cfg', key: 'PASS' });
  });

  test('env wins over envFrom', () => {
    const c = pod({ envFrom: [{ secretRef: { name: 's' } }], env: [{ name: 'PASS', value: 'opik' }] });
    expect(envSource(c, 'PASS', [cm], [{ name: 's', keys: ['PASS'] }])).toEqual({ from: 'value', value: 'opik' });
  });

  test('a secretRef to a Secret without the key gives nothing', () => {
    const c = pod({ envFrom: [{ secretRef: { name: 's' } }] });
    expect(envSource(c, 'PASS', [cm], [{ name: 's', keys: ['OTHER'] }])).toEqual({ from: 'unset' });
  });
});

describe('images', () => {
  test.each([
    ['mysql:8.4.2', { registry: 'docker.io', repository: 'mysql', tag: '8.4.2' }],
    ['docker.io/bitnami/kubectl:latest', { registry: 'docker.io', repository: 'bitnami/kubectl', tag: 'latest' }],
    ['cr.azurecr.io/comet-ml/opik/opik-backend:2.2.37@sha256:ab', { registry: 'cr.azurecr.io', repository: 'comet-ml/opik/opik-backend', tag: '2.2.37', digest: 'sha256:ab' }],
    ['localhost:5000/x', { registry: 'localhost:5000', repository: 'x' }],
  ])('%s', (image, parsed) => {
    expect(parseImage(image)).toEqual({ tag: undefined, digest: undefined, ...parsed });
  });
});

describe('secrets outside Secrets', () => {
  test('finds a secret in a ConfigMap, plain or base64, and ignores Secrets', () => {
    const s = 'Zx9kQ2mP';
    const objects = [
      obj('Secret', 'ok', { data: { p: Buffer.from(s).toString('base64') } }),
      obj('ConfigMap', 'plain', { data: { p: `url=redis://:${s}@h` } }),
      obj('ClickHouseInstallation', 'b64', { spec: { x: Buffer.from(s).toString('base64') } }),
    ];
    expect(secretsOutsideSecrets(objects, [s])).toEqual([
      { object: 'ConfigMap/plain', secret: s, form: 'plain' },
      { object: 'ClickHouseInstallation/b64', secret: s, form: 'base64' },
    ]);
  });
});

describe('Pod Security', () => {
  const spec = (container: Record<string, unknown>, pod: Record<string, unknown> = {}) =>
    podSpecsOf(obj('Deployment', 'd', { spec: { template: { spec: { containers: [{ name: 'c', ...container }], ...pod } } } }))[0];

  test('a hardened container meets restricted', () => {
    const hardened = { securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } } };
    expect(podSecurityFindings(spec(hardened))).toEqual([]);
  });

  test('privileged, hostPath and SYS_ADMIN break baseline', () => {
    const findings = podSecurityFindings(spec({ securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }, { volumes: [{ name: 'h', hostPath: { path: '/' } }] }));
    expect(findings.filter((f) => f.level === 'baseline').map((f) => f.rule)).toEqual(['volume h is a hostPath', 'privileged: true', 'adds capability SYS_ADMIN']);
  });
});

describe('values keys, one change at a time', () => {
  test('every leaf is a key, a list is one leaf', () => {
    expect(leafPaths({ a: { b: 1, c: [1, 2] }, d: null })).toEqual([['a', 'b'], ['a', 'c'], ['d']]);
  });

  test('each kind of value changes into another of the same kind; null is taken out', () => {
    expect([true, 1, '64Gi', 'opik-data-disk', [1], null].map(mutate)).toEqual([
      { value: false }, { value: 2 }, { value: '65Gi' }, { value: 'opik-data-diskx' }, { value: [] }, { remove: true },
    ]);
  });

  test('a variant per values leaf and per set entry', () => {
    expect(variants(['a: 1\nb: {c: x}\n'], [{ name: 'p', value: 'v' }]).map((v) => v.key)).toEqual(['a', 'b.c', 'set p']);
  });

  test('lines a chart randomizes on every render are left out of the comparison', () => {
    const volatile = volatileLines('a\nrandom: 1\n', 'a\nrandom: 2\n');
    expect(sameRender('a\nrandom: 3\n', 'a\nrandom: 1\n', volatile)).toBe(false);
    expect(sameRender('a\nrandom: 2\n', 'a\nrandom: 1\n', volatile)).toBe(true);
  });
});

describe('a release as Terraform would pass it', () => {
  const stack = synthStack(buildStacks(loadCommittedConfig('dev')).application);
  const opik = releasesOf(stack, '/stack').find((r) => r.chart === 'opik')!;

  test('finds ${...} expressions, nested braces included', () => {
    expect(expressionsIn('a ${x.y} b ${f({k = 1})} c')).toEqual(['${x.y}', '${f({k = 1})}']);
  });

  test('generated passwords become placeholders of their own length and alphabet', () => {
    // random_password (length 32 in GeneratedSecret) and the Entra client secret (40).
    for (const p of opik.secretPlaceholders) expect(p).toMatch(/^[A-Za-z0-9]+$/);
    expect(opik.secretPlaceholders.filter((p) => p.length === 32).length).toBeGreaterThanOrEqual(5);
    expect(secretPlaceholder('x', 12)).toBe(secretPlaceholder('x', 12));
  });

  test('the registry reference becomes a registry host; the namespace its real name', () => {
    expect(opik.registryPlaceholder).toBe(REGISTRY_PLACEHOLDER);
    expect(opik.namespace).toBe('opik');
    expect(opik.values.join('\n')).not.toContain('${');
  });

  test('the Pod Security level a namespace the stack creates enforces; none for a namespace it does not label', () => {
    const prodReleases = releasesOf(synthStack(buildStacks(loadCommittedConfig('prod')).application), '/stack');
    expect(prodReleases.find((r) => r.chart === 'nvidia-device-plugin')?.podSecurityEnforce).toBe('privileged');
    expect(opik.podSecurityEnforce).toBe('baseline');
    expect(prodReleases.find((r) => r.chart === 'cert-manager')?.podSecurityEnforce).toBeUndefined();
  });

  test('the claims the volumes are pre-bound to, read from the PersistentVolumes', () => {
    expect(opik.preBoundClaims).toEqual([
      'opik/data-opik-mysql-0',
      'opik/data-opik-redis-master-0',
      'opik/data-opik-zookeeper-0',
      'opik/opik-minio',
      'opik/storage-vc-template-chi-opik-clickhouse-cluster-0-0-0',
    ]);
  });
});
