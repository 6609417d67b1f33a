/**
 * The Opik stand-in: the objects our stacks depend on, named as the real chart (2.1.23 with the
 * subcharts it pins) names them, and built from the same values keys, read the way that chart
 * reads them. So a deploy of our release onto the rehearsal's cluster exercises our wiring: the
 * pre-bound claims are mounted (or the pods stay Pending), the Secrets are referenced by the names
 * and keys we give, the replica counts, resources and image registry come from our values, and a
 * privileged python-backend (the real chart's default, which we switch off) is refused by the
 * namespace's Pod Security.
 *
 * What it leaves out: the ClickHouse operator (the StatefulSet it would create is rendered
 * directly), the chart's Jobs and hooks, and every values key we set only to switch a real-chart
 * feature off; Helm accepts those keys unread.
 */
import { OPIK_CHART } from '../../../constructs/opik/chart-contract';
import { MIRRORED_IMAGES, type MirroredImageName } from '../../../constructs/container-registry/mirrored-images';
import { imageOf, metadata, notes, required, service, workload, type ChartSource, type ContainerSpec } from './common';

/** The defaults are the upstream images, so a render without our values still names real images. */
const upstream = (name: MirroredImageName) => {
  const image = MIRRORED_IMAGES[name];
  return { registry: image.registry, repository: image.repository, tag: 'tag' in image ? image.tag : 'unset' };
};

const persistence = { enabled: true, existingClaim: '', size: '8Gi', storageClass: '' };

/**
 * Defaults where the real chart's differ from what our stack sets, so forgetting one of our keys
 * changes the rehearsal: no existing Secret (the render fails), no existing claim (the chart's own
 * claim template, or for MinIO a claim Helm owns), a privileged python-backend (refused by the
 * namespace's Pod Security).
 * No password anywhere: the stand-in reads every one from a Secret.
 */
const VALUES = {
  registry: 'ghcr.io/comet-ml/opik',
  component: {
    backend: {
      replicaCount: 1,
      run_migration: true,
      env: { STATE_DB_URL: 'opik-mysql:3306/opik', ANALYTICS_DB_HOST: 'clickhouse-opik-clickhouse', ANALYTICS_DB_PORT: '8123' },
      envFrom: [],
      resources: {},
      waitForClickhouse: { image: upstream('curl') },
    },
    'python-backend': {
      replicaCount: 1,
      env: { PYTHON_CODE_EXECUTOR_STRATEGY: 'process', PYTHON_CODE_EXECUTOR_IMAGE_REGISTRY: 'ghcr.io/comet-ml/opik' },
      envFrom: [],
      resources: {},
      securityContext: { privileged: true },
      waitForRedis: { image: upstream('busybox') },
    },
    frontend: { replicaCount: 1, envFrom: [], resources: {} },
  },
  mysql: {
    image: upstream('mysql'),
    auth: { existingSecret: '', username: 'opik', database: 'opik' },
    primary: { persistence, resources: {} },
  },
  redis: { image: upstream('redisStack'), auth: { existingSecret: '', existingSecretPasswordKey: 'redis-password' }, persistence, resources: {} },
  zookeeper: { image: upstream('zookeeper'), persistence, resources: {} },
  minio: {
    image: upstream('minio'),
    auth: { existingSecret: '', existingSecretUserKey: 'root-user', existingSecretPasswordKey: 'root-password', rootUser: 'admin' },
    persistence,
    resources: {},
  },
  clickhouse: {
    image: `docker.io/${MIRRORED_IMAGES.clickhouseServer.repository}:${MIRRORED_IMAGES.clickhouseServer.tag}`,
    replicasCount: 1,
    shardsCount: 1,
    storage: '50Gi',
    storageClassName: '',
    adminUser: { useSecret: { enabled: false }, secretname: 'clickhouse-admin', password_key: 'password' },
    resources: {},
  },
};

/**
 * The pod volume `data` for a StatefulSet: the existing claim when given, nothing when the claim
 * template below provides it, an emptyDir without persistence.
 */
const statefulSetVolume = (p: string) =>
  [
    `      {{- if and ${p}.enabled ${p}.existingClaim }}`,
    '      volumes:',
    '        - name: data',
    '          persistentVolumeClaim:',
    `            claimName: {{ ${p}.existingClaim }}`,
    `      {{- else if not ${p}.enabled }}`,
    '      volumes:',
    '        - name: data',
    '          emptyDir: {}',
    '      {{- end }}',
  ].join('\n');

/** Claim template `data`, hence claim `data-<statefulset>-<ordinal>`, when no existing claim is given. */
const claimTemplate = (name: string, size: string, storageClass: string, condition?: string) =>
  [
    ...(condition ? [`  {{- if ${condition} }}`] : []),
    '  volumeClaimTemplates:',
    '    - metadata:',
    `        name: ${name}`,
    '      spec:',
    '        accessModes: ["ReadWriteOnce"]',
    `        {{- with ${storageClass} }}`,
    '        storageClassName: {{ . }}',
    '        {{- end }}',
    '        resources:',
    '          requests:',
    `            storage: {{ ${size} }}`,
    ...(condition ? ['  {{- end }}'] : []),
  ].join('\n');

/** A single-replica data store on claim `data-<name>-0` (or the existing claim). */
function dataStore(name: string, values: string, persistencePath: string, c: Omit<ContainerSpec, 'mounts' | 'image'>, mountPath: string): string {
  const p = `$.Values.${persistencePath}`;
  return workload({
    kind: 'StatefulSet',
    name,
    replicas: '1',
    containers: [{ ...c, image: imageOf(`$.Values.${values}.image`), mounts: [{ name: 'data', path: mountPath }] }],
    volumes: statefulSetVolume(p),
    claimTemplates: claimTemplate('data', `${p}.size`, `${p}.storageClass`, `and ${p}.enabled (not ${p}.existingClaim)`),
  });
}

/** The Secret named by values key `key`; the render fails without one, as no password may come from the chart. */
const secretOf = (key: string) => required(`$.Values.${key}`, `${key} must name an existing Secret (the platform keeps every password in Secrets)`);

const mysql = dataStore(
  'opik-mysql',
  'mysql',
  'mysql.primary.persistence',
  {
    name: 'mysql',
    ports: [{ name: 'mysql', port: 3306 }],
    env: [
      { name: 'MYSQL_ROOT_PASSWORD', secret: { name: secretOf('mysql.auth.existingSecret'), key: '"mysql-root-password"' } },
      { name: 'MYSQL_USER', value: '$.Values.mysql.auth.username' },
      { name: 'MYSQL_PASSWORD', secret: { name: secretOf('mysql.auth.existingSecret'), key: '"mysql-password"' } },
      { name: 'MYSQL_DATABASE', value: '$.Values.mysql.auth.database' },
    ],
    resources: '$.Values.mysql.primary.resources',
  },
  '/var/lib/mysql',
);

const redis = dataStore(
  'opik-redis-master',
  'redis',
  'redis.persistence',
  {
    name: 'redis',
    ports: [{ name: 'redis', port: 6379 }],
    env: [{ name: 'REDIS_PASSWORD', secret: { name: secretOf('redis.auth.existingSecret'), key: '$.Values.redis.auth.existingSecretPasswordKey' } }],
    resources: '$.Values.redis.resources',
  },
  '/data',
) + service('opik-redis-master', 6379, 6379);

const zookeeper = dataStore('opik-zookeeper', 'zookeeper', 'zookeeper.persistence', { name: 'zookeeper', ports: [{ name: 'client', port: 2181 }], resources: '$.Values.zookeeper.resources' }, '/data');

const MINIO_PERSISTENCE = '$.Values.minio.persistence';
/** A Deployment: without an existing claim the real chart renders its own claim `opik-minio`. */
const minio =
  workload({
    kind: 'Deployment',
    name: 'opik-minio',
    replicas: '1',
    containers: [
      {
        name: 'minio',
        image: imageOf('$.Values.minio.image'),
        ports: [{ name: 'api', port: 9000 }],
        env: [
          { name: 'MINIO_ROOT_USER', secret: { name: secretOf('minio.auth.existingSecret'), key: '$.Values.minio.auth.existingSecretUserKey' } },
          { name: 'MINIO_ROOT_PASSWORD', secret: { name: secretOf('minio.auth.existingSecret'), key: '$.Values.minio.auth.existingSecretPasswordKey' } },
        ],
        resources: '$.Values.minio.resources',
        mounts: [{ name: 'data', path: '/data' }],
      },
    ],
    volumes: [
      '      volumes:',
      '        - name: data',
      `          {{- if ${MINIO_PERSISTENCE}.enabled }}`,
      '          persistentVolumeClaim:',
      `            claimName: {{ ${MINIO_PERSISTENCE}.existingClaim | default "opik-minio" }}`,
      '          {{- else }}',
      '          emptyDir: {}',
      '          {{- end }}',
    ].join('\n'),
  }) +
  service('opik-minio', 9000, 9000) +
  [
    `{{- if and ${MINIO_PERSISTENCE}.enabled (not ${MINIO_PERSISTENCE}.existingClaim) }}`,
    '---',
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    metadata('opik-minio'),
    'spec:',
    '  accessModes: ["ReadWriteOnce"]',
    `  {{- with ${MINIO_PERSISTENCE}.storageClass }}`,
    '  storageClassName: {{ . }}',
    '  {{- end }}',
    '  resources:',
    '    requests:',
    `      storage: {{ ${MINIO_PERSISTENCE}.size }}`,
    '{{- end }}',
  ].join('\n') +
  '\n';

/**
 * What the Altinity operator makes of the chart's ClickHouseInstallation (CHI `opik-clickhouse`,
 * cluster `cluster`, claim template `storage-vc-template`): one StatefulSet per shard and replica,
 * `chi-opik-clickhouse-cluster-<shard>-<replica>`, so the claim is
 * `storage-vc-template-chi-opik-clickhouse-cluster-<shard>-<replica>-0`. The operator reads the
 * password from the Secret `opik-<secretname>`, as the CHI's `k8s_secret_password` says.
 */
const CH = '$.Values.clickhouse';
const clickhouse = [
  `{{- if not ${CH}.adminUser.useSecret.enabled }}{{ fail "stand-in chart: clickhouse.adminUser.useSecret.enabled must be true (the platform keeps every password in Secrets)" }}{{ end }}`,
  `{{- range $shard := until (int ${CH}.shardsCount) }}`,
  `{{- range $replica := until (int ${CH}.replicasCount) }}`,
  workload({
    kind: 'StatefulSet',
    name: 'chi-opik-clickhouse-cluster-{{ $shard }}-{{ $replica }}',
    replicas: '1',
    containers: [
      {
        name: 'clickhouse',
        image: `{{ ${CH}.image | quote }}`,
        ports: [{ name: 'http', port: 8123 }, { name: 'native', port: 9000 }],
        env: [{ name: 'CLICKHOUSE_ADMIN_PASSWORD', secret: { name: `printf "opik-%s" ${CH}.adminUser.secretname`, key: `${CH}.adminUser.password_key` } }],
        resources: `${CH}.resources`,
        mounts: [{ name: 'storage-vc-template', path: '/var/lib/clickhouse' }],
      },
    ],
    claimTemplates: claimTemplate('storage-vc-template', `${CH}.storage`, `${CH}.storageClassName`),
  }).trimEnd(),
  '{{- end }}',
  '{{- end }}',
].join('\n') + '\n';

/** Opik's own services: image `<registry>/opik-<name>:<appVersion>`, envFrom and replicas from `component.<name>`. */
function opikComponent(name: 'backend' | 'python-backend' | 'frontend', port: number, extra: Partial<ContainerSpec> = {}, initContainers: ContainerSpec[] = []): string {
  const c = `(index $.Values.component "${name}")`;
  const image = `"{{ $.Values.registry }}/opik-${name}:{{ $.Chart.AppVersion }}"`;
  return (
    workload({
      kind: 'Deployment',
      name: `opik-${name}`,
      replicas: `{{ ${c}.replicaCount }}`,
      initContainers,
      containers: [{ name: `opik-${name}`, image, ports: [{ name: 'http', port }], envFrom: `${c}.envFrom`, resources: `${c}.resources`, ...extra }],
    }) + service(`opik-${name}`, port, port)
  );
}

/** The ConfigMap the chart renders from `component.<name>.env`: keys we null out are gone. */
function envConfigMap(name: 'backend' | 'python-backend', extra: string[] = []): string {
  return [
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    metadata(`opik-${name}`),
    'data:',
    `  {{- range $key, $value := (index $.Values.component "${name}").env }}`,
    '  {{- if not (kindIs "invalid" $value) }}',
    '  {{ $key }}: {{ $value | toString | quote }}',
    '  {{- end }}',
    '  {{- end }}',
    ...extra,
  ].join('\n') + '\n';
}

const BACKEND = '(index $.Values.component "backend")';
const PYTHON = '(index $.Values.component "python-backend")';

const backend =
  opikComponent('backend', 8080, {}, [
    { name: 'wait-for-clickhouse', image: imageOf(`${BACKEND}.waitForClickhouse.image`), command: ['true'] },
    // The Liquibase migrations get the backend's envFrom and nothing else, as in the real chart:
    // without our Secret in that list they would log in with the chart's fallback password.
    {
      name: 'backend-migrations',
      image: '"{{ $.Values.registry }}/opik-backend:{{ $.Chart.AppVersion }}"',
      command: ['true'],
      envFrom: `${BACKEND}.envFrom`,
      when: `${BACKEND}.run_migration`,
    },
  ]) + envConfigMap('backend', ['  AWS_ACCESS_KEY_ID: {{ $.Values.minio.auth.rootUser | quote }}']);

/**
 * Rendered as the real chart renders it: privileged unless our values say otherwise, and then
 * the namespace's `baseline` Pod Security refuses the pod. `allowPrivilegeEscalation: false`
 * next to `privileged: true` is invalid, so the privileged form carries only that.
 */
const pythonSecurityContext = [
  `          {{- if ${PYTHON}.securityContext.privileged }}`,
  '          securityContext:',
  '            privileged: true',
  '          {{- else }}',
  '          securityContext:',
  '            privileged: false',
  '            allowPrivilegeEscalation: false',
  '            capabilities:',
  '              drop: ["ALL"]',
  '          {{- end }}',
].join('\n');

const pythonBackend =
  opikComponent('python-backend', 8000, { securityContext: pythonSecurityContext }, [
    { name: 'wait-for-redis', image: imageOf(`${PYTHON}.waitForRedis.image`), command: ['true'] },
  ]) + envConfigMap('python-backend');

const frontend = opikComponent('frontend', 5173);

export function opikStandIn(version: string): ChartSource {
  return {
    name: OPIK_CHART.name,
    version,
    appVersion: version,
    standsInFor: OPIK_CHART.repository,
    values: VALUES,
    templates: {
      'mysql.yaml': mysql,
      'redis.yaml': redis,
      'zookeeper.yaml': zookeeper,
      'minio.yaml': minio,
      'clickhouse.yaml': clickhouse,
      'backend.yaml': backend,
      'python-backend.yaml': pythonBackend,
      'frontend.yaml': frontend,
      'NOTES.txt': notes(OPIK_CHART.name, OPIK_CHART.repository),
    },
  };
}
