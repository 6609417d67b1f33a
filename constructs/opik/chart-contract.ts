/**
 * Everything this project relies on from the Opik Helm chart, in one place: the PVC names its
 * workloads mount, the values keys that size them and pick their storage class, the Secrets the
 * chart is pointed at, the service names and ports the sign-in proxy forwards to, and the default
 * requests and limits.
 *
 * Verified by rendering the chart with Helm (`npm run check:chart`, README: "Checking a chart
 * before an upgrade") at Opik 2.1.23 with the subcharts it pins (comet-mysql 1.0.7, cloudpirates
 * redis 0.23.0 / minio 0.10.0 / zookeeper 0.6.0 with common 2.2.0, Altinity clickhouse-operator
 * 0.26.0 standing in for the pinned 0.27.1). Names do not depend on the release name: the chart
 * sets `nameOverride: opik` and a `fullnameOverride` on every subchart.
 *
 * When `application.opikVersion` moves, run `npm run check:chart` on the new chart first: it fails
 * on a renamed claim, a values key the chart no longer reads, a password outside a Secret, or an
 * image outside the registry. A renamed PVC would leave a workload Pending, never bind an empty
 * disk, because every PV is pre-bound to one claim name.
 */
import type { ContainerResources, OpikResourceComponent } from '../../config/schema';
import type { DataComponent } from '../core/naming';

/** The chart repository and name; the version comes from `application.opikVersion`. */
export const OPIK_CHART = { repository: 'https://comet-ml.github.io/opik/', name: 'opik', releaseName: 'opik' } as const;

/** The one storage class of the pre-created volumes; nothing provisions from it. */
export const DATA_STORAGE_CLASS = 'opik-data-disk';

/**
 * How one component's disk reaches its workload. Where the chart takes an `existingClaim`, we
 * create the claim ourselves under the name the chart would have used (so an install that flips
 * existingClaim off still finds it) and the chart ignores its own size and storage class keys;
 * for ClickHouse the operator creates the claim from the chart's size and class.
 */
export type DataVolumeContract =
  | {
      readonly claimName: string;
      readonly claimOwner: 'platform';
      /** Values path of `existingClaim`. */
      readonly existingClaimKey: string;
      /** Values path of the persistence switch. */
      readonly persistenceEnabledKey: string;
    }
  | {
      readonly claimName: string;
      readonly claimOwner: 'chart';
      /** Values path of the claim's size. */
      readonly sizeKey: string;
      /** Values path of the claim's storage class. */
      readonly storageClassKey: string;
    };

export const DATA_VOLUMES: Readonly<Record<DataComponent, DataVolumeContract>> = {
  // comet-mysql statefulset.yaml: VCT `data` on StatefulSet opik-mysql, replaced by existingClaim.
  mysql: {
    claimName: 'data-opik-mysql-0',
    claimOwner: 'platform',
    existingClaimKey: 'mysql.primary.persistence.existingClaim',
    persistenceEnabledKey: 'mysql.primary.persistence.enabled',
  },
  // Opik templates/clickhouseinstallation.yaml: CHI opik-clickhouse, cluster `cluster`, VCT
  // storage-vc-template; the operator names the claim <vct>-chi-<chi>-<cluster>-<shard>-<replica>-0.
  // No existingClaim exists.
  clickhouse: {
    claimName: 'storage-vc-template-chi-opik-clickhouse-cluster-0-0-0',
    claimOwner: 'chart',
    sizeKey: 'clickhouse.storage',
    storageClassKey: 'clickhouse.storageClassName',
  },
  // cloudpirates minio deployment.yaml: Deployment opik-minio mounts claim `opik-minio` (a
  // Helm-rendered PVC that `helm uninstall` would delete), or existingClaim.
  minio: {
    claimName: 'opik-minio',
    claimOwner: 'platform',
    existingClaimKey: 'minio.persistence.existingClaim',
    persistenceEnabledKey: 'minio.persistence.enabled',
  },
  // cloudpirates redis statefulset.yaml: VCT `data` on StatefulSet opik-redis-master.
  redis: {
    claimName: 'data-opik-redis-master-0',
    claimOwner: 'platform',
    existingClaimKey: 'redis.persistence.existingClaim',
    persistenceEnabledKey: 'redis.persistence.enabled',
  },
  // cloudpirates zookeeper statefulset.yaml: VCT `data` on StatefulSet opik-zookeeper.
  zookeeper: {
    claimName: 'data-opik-zookeeper-0',
    claimOwner: 'platform',
    existingClaimKey: 'zookeeper.persistence.existingClaim',
    persistenceEnabledKey: 'zookeeper.persistence.enabled',
  },
};

/**
 * The workload that runs each database, for alerts on its pods: pods are `<name>-<suffix>`. The
 * ClickHouse operator names its StatefulSet chi-<installation>-<cluster>-<shard>-<replica>.
 */
export const DATABASE_WORKLOADS: Readonly<Record<DataComponent, { readonly kind: 'statefulset' | 'deployment'; readonly name: string }>> = {
  mysql: { kind: 'statefulset', name: 'opik-mysql' },
  clickhouse: { kind: 'statefulset', name: 'chi-opik-clickhouse-cluster-0-0' },
  minio: { kind: 'deployment', name: 'opik-minio' },
  redis: { kind: 'statefulset', name: 'opik-redis-master' },
  zookeeper: { kind: 'statefulset', name: 'opik-zookeeper' },
};

/** Services the chart creates (`<opik.name>-<component>`), with the ports the sign-in proxy forwards to. */
export const OPIK_SERVICES = {
  frontend: { name: 'opik-frontend', port: 5173 },
  backend: { name: 'opik-backend', port: 8080 },
  pythonBackend: { name: 'opik-python-backend', port: 8000 },
  redis: { name: 'opik-redis-master', port: 6379 },
} as const;

/**
 * Public paths and where each goes, as the script-based install routed them. The frontend's nginx
 * also proxies `/api/*` to the backend itself, so `/` covers the UI and the SDK's `/api` base URL.
 * Longer prefixes win (oauth2-proxy matches the longest upstream path first).
 */
export const OPIK_ROUTES: readonly { readonly path: string; readonly service: keyof typeof OPIK_SERVICES; readonly prefix: boolean }[] = [
  { path: '/', service: 'frontend', prefix: true },
  { path: '/v1/private/evaluators/', service: 'pythonBackend', prefix: true },
  { path: '/v1/', service: 'backend', prefix: true },
  { path: '/health-check', service: 'backend', prefix: false },
];

/** The chart's values paths of each component's container resources. */
export const RESOURCE_KEYS: Readonly<Record<Exclude<OpikResourceComponent, 'oauth2Proxy'>, string>> = {
  backend: 'component.backend.resources',
  pythonBackend: 'component.python-backend.resources',
  frontend: 'component.frontend.resources',
  clickhouse: 'clickhouse.resources',
  mysql: 'mysql.primary.resources',
  redis: 'redis.resources',
  minio: 'minio.resources',
  zookeeper: 'zookeeper.resources',
};

/**
 * Requests and limits when the environment file sets none. Memory limits equal requests (no
 * overcommit for databases); no CPU limits, so a busy ClickHouse is throttled by its neighbours'
 * requests rather than by a hard cap. Redis keeps the chart's `maxmemory 105M`, hence its small size.
 */
export const DEFAULT_RESOURCES: Readonly<Record<OpikResourceComponent, ContainerResources>> = {
  backend: { cpu: '500m', memory: '2Gi' },
  pythonBackend: { cpu: '250m', memory: '1Gi' },
  frontend: { cpu: '100m', memory: '256Mi' },
  clickhouse: { cpu: '1', memory: '4Gi' },
  mysql: { cpu: '250m', memory: '1Gi' },
  redis: { cpu: '50m', memory: '256Mi' },
  minio: { cpu: '100m', memory: '512Mi' },
  zookeeper: { cpu: '100m', memory: '1Gi' },
  oauth2Proxy: { cpu: '50m', memory: '128Mi' },
};

/** Kubernetes `resources` for one component: configured values over the defaults above. */
export function kubernetesResources(component: OpikResourceComponent, configured?: ContainerResources) {
  const r = configured ?? DEFAULT_RESOURCES[component];
  return {
    requests: { cpu: r.cpu, memory: r.memory },
    limits: { memory: r.memoryLimit ?? r.memory, ...(r.cpuLimit ? { cpu: r.cpuLimit } : {}) },
  };
}

/**
 * API groups whose CRDs another release installs (the ClickHouse operator is a subchart of Opik's,
 * but Helm renders the CHI template only when the group is known): passed to `helm template`.
 */
export const CHART_API_VERSIONS: readonly string[] = ['clickhouse.altinity.com/v1'];

/**
 * Credentials that must reach a container from a Secret, by chart; `npm run check:chart` checks
 * them against the rendered chart. A variable that resolves to a ConfigMap or a literal means the
 * workload runs with the chart's fallback password (or leaks ours).
 */
export const SECRET_ENV_REQUIREMENTS: Readonly<Record<string, readonly { workload: string; container: string; variables: readonly string[] }[]>> = {
  opik: [
    // The Liquibase migrations run in an init container that gets only `envFrom` (2.1.23
    // deployment.yaml): without the Secret there it logs in with the chart's fallback password.
    { workload: 'Deployment/opik-backend', container: 'backend-migrations', variables: ['STATE_DB_PASS', 'ANALYTICS_DB_MIGRATIONS_PASS'] },
    { workload: 'Deployment/opik-backend', container: 'opik-backend', variables: ['STATE_DB_PASS', 'ANALYTICS_DB_PASS', 'REDIS_URL', 'AWS_SECRET_ACCESS_KEY'] },
    { workload: 'Deployment/opik-python-backend', container: 'opik-python-backend', variables: ['REDIS_URL'] },
  ],
};

/**
 * Passwords the charts publish as defaults (2.1.23 and its subcharts, read in their values.yaml):
 * `check:chart` fails when any of them is in the render, in a Secret or anywhere else. MySQL's
 * default (`opik`) is too short to search for; its Secret is ours (`mysql.auth.existingSecret`).
 */
export const PUBLISHED_DEFAULT_PASSWORDS: Readonly<Record<string, readonly string[]>> = {
  opik: ['clickhouse_operator_password', 'wFSuJX9nDBdCa25sKZG7bh', 'LESlrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
};

/**
 * Values keys we set although the chart version we verified does not read them yet: guards for
 * the next upgrade, each a switch that newer charts (the 2.2.x line) turn on by default and that
 * would rewrite data on every upgrade. `check:chart` lists them as expected, not as failures; drop
 * one when the chart it guards against is the pinned one and the key is read.
 */
export const VALUES_AHEAD_OF_CHART: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  opik: {
  'clickhouse.backup.restore.createJob': 'restore Job in later charts: re-created, and restores again, on every upgrade while enabled',
  'clickhouse.tieredStorage.enabled': 'post-upgrade Jobs in later charts that restart the operator and ALTER TABLE ... MODIFY TTL',
  'clickhouse.freeformSql.enabled': 'post-install/upgrade Job in later charts that creates a read-only SQL user on every upgrade',
  },
};

/**
 * The Kubernetes Secrets the chart is pointed at, with their keys. Terraform creates them beside
 * the release (opik-credentials.ts); the chart reads them by name and never holds a password.
 */
export const OPIK_SECRETS = {
  /** comet-mysql `auth.existingSecret`; the key names are fixed by the subchart. */
  mysql: { name: 'opik-mysql-credentials', keys: { rootPassword: 'mysql-root-password', userPassword: 'mysql-password' } },
  /**
   * `clickhouse.adminUser.useSecret`: the chart prefixes `secretname` with `opik-` and renders
   * `opik/k8s_secret_password: opik-<secretname>/<password_key>`, which the operator resolves.
   */
  clickhouse: { name: 'opik-clickhouse-credentials', valuesName: 'clickhouse-credentials', keys: { password: 'password' } },
  /** cloudpirates redis `auth.existingSecret` / `auth.existingSecretPasswordKey`. */
  redis: { name: 'opik-redis-credentials', keys: { password: 'redis-password' } },
  /** cloudpirates minio `auth.existingSecret` with `existingSecretUserKey` / `existingSecretPasswordKey`. */
  minio: { name: 'opik-minio-credentials', keys: { rootUser: 'root-user', rootPassword: 'root-password' } },
  /** envFrom of the Java backend and its migrations: database passwords, the Redis URL, MinIO's secret key. */
  backend: { name: 'opik-backend-credentials' },
  /** envFrom of the Python backend: the Redis URL. */
  pythonBackend: { name: 'opik-python-backend-credentials' },
  /**
   * The ClickHouse operator's own account on ClickHouse (it creates the user and logs in as it).
   * The subchart would create a Secret with its published default password (`secret.create`); the
   * operator is pointed at this one instead (`clickhouse.access.secret.name` of its config.yaml),
   * under another name than the chart's Secret, so an upgrade never has two owners of one object.
   */
  clickhouseOperator: { name: 'opik-clickhouse-operator-credentials', username: 'clickhouse_operator', keys: { username: 'username', password: 'password' } },
} as const;

/**
 * The ConfigMaps the chart renders for the two backends (`opik-<component>`); our envFrom lists
 * keep them first so the Secret after them wins on the keys both hold.
 */
export const OPIK_CONFIG_MAPS = { backend: 'opik-backend', pythonBackend: 'opik-python-backend' } as const;

/**
 * MinIO's access key ID: not a secret (the chart writes it into the backend's ConfigMap as
 * AWS_ACCESS_KEY_ID), but MinIO reads it from the Secret too, so both come from this constant.
 */
export const MINIO_ROOT_USER = 'opik-minio-root';

/**
 * The pods each Opik workload runs, by the labels the chart (and, for ClickHouse, the operator)
 * puts on them: what Opik's NetworkPolicies select (opik-network-policy.ts). `check:chart`
 * checks every selector against the rendered chart: each must pick its workload's pods and no
 * other's. `withoutLabels` tells a server from the Job of the same app (MinIO's bucket-init Job,
 * the operator's CRD hook carry `app.kubernetes.io/component`; their servers do not).
 */
export const OPIK_WORKLOADS = {
  frontend: { labels: { 'app.kubernetes.io/name': 'opik', component: 'opik-frontend' } },
  backend: { labels: { 'app.kubernetes.io/name': 'opik', component: 'opik-backend' } },
  'python-backend': { labels: { 'app.kubernetes.io/name': 'opik', component: 'opik-python-backend' } },
  mysql: { labels: { 'app.kubernetes.io/name': 'mysql', 'app.kubernetes.io/component': 'primary' } },
  redis: { labels: { 'app.kubernetes.io/name': 'redis' } },
  zookeeper: { labels: { 'app.kubernetes.io/name': 'zookeeper-opik' } },
  minio: { labels: { 'app.kubernetes.io/name': 'minio' }, withoutLabels: ['app.kubernetes.io/component'] },
  'minio-bucket-init': { labels: { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/component': 'bucket-init' } },
  // Pods the operator creates from the ClickHouseInstallation opik-clickhouse (not in the render:
  // the operator's labeler, clickhouse.altinity.com/chi = the installation's name).
  clickhouse: { labels: { 'clickhouse.altinity.com/chi': 'opik-clickhouse' } },
  'clickhouse-operator': { labels: { 'app.kubernetes.io/name': 'altinity-clickhouse-operator' }, withoutLabels: ['app.kubernetes.io/component'] },
  'clickhouse-operator-crd-hook': { labels: { 'app.kubernetes.io/name': 'altinity-clickhouse-operator', 'app.kubernetes.io/component': 'crd-install-hook' } },
} as const satisfies Readonly<Record<string, { readonly labels: Readonly<Record<string, string>>; readonly withoutLabels?: readonly string[] }>>;
export type OpikWorkload = keyof typeof OPIK_WORKLOADS;

/**
 * The ports Opik's workloads listen on: pod ports, which NetworkPolicies see (the chart's
 * Services forward the same numbers). The frontend's nginx sends /swagger to the backend's 3003.
 */
export const OPIK_PORTS = {
  frontend: OPIK_SERVICES.frontend.port,
  backend: OPIK_SERVICES.backend.port,
  backendSwagger: 3003,
  pythonBackend: OPIK_SERVICES.pythonBackend.port,
  mysql: 3306,
  redis: OPIK_SERVICES.redis.port,
  zookeeper: 2181,
  minio: 9000,
  clickhouseHttp: 8123,
  clickhouseNative: 9000,
} as const;
