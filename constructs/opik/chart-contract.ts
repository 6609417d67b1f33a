/**
 * Everything this project relies on from the Opik Helm chart, in one place: the PVC names its
 * workloads mount, the values keys that size them and pick their storage class, the service names
 * and ports the sign-in proxy forwards to, and the default requests and limits.
 *
 * Read from the chart as published at https://comet-ml.github.io/opik/, version 2.2.37 (index.yaml
 * on gh-pages @00429c2f), with values.yaml and templates of 2.2.30 (@98a70b2a) and the subcharts it
 * pins (comet-mysql 1.0.7, cloudpirates zookeeper 0.6.0 / redis 0.23.0 / minio 0.10.0, Altinity
 * clickhouse-operator 0.27.1). Names do not depend on the release name: the chart sets
 * `nameOverride: opik` and a `fullnameOverride` on every subchart.
 *
 * When `application.opikVersion` moves to a new chart version, re-check this file with
 * `helm template opik opik/opik --version <v>` before deploying: a renamed PVC would leave a
 * workload pending (never an empty disk, because every PV is pre-bound to one claim name).
 */
import type { ContainerResources, OpikResourceComponent } from '../../config/schema';
import type { DataComponent } from '../core/naming';

/** The chart repository and name; the version comes from `application.opikVersion`. */
export const OPIK_CHART = { repository: 'https://comet-ml.github.io/opik/', name: 'opik', releaseName: 'opik' } as const;

/** The one storage class of the pre-created volumes; nothing provisions from it. */
export const DATA_STORAGE_CLASS = 'opik-data-disk';

export interface DataVolumeContract {
  /**
   * The claim that mounts this component's disk. Where the chart takes an `existingClaim`, we create
   * the claim ourselves under the name the chart would have used (so an install that flips
   * existingClaim off still finds it); for ClickHouse the operator creates it.
   */
  readonly claimName: string;
  /** Whether we create the claim (chart `existingClaim`) or the chart/operator does. */
  readonly claimOwner: 'platform' | 'chart';
  /** Values path of the claim's size. */
  readonly sizeKey: string;
  /** Values path of the claim's storage class. */
  readonly storageClassKey: string;
  /** Values path of `existingClaim`, when the chart has one. */
  readonly existingClaimKey?: string;
  /** Values path of the persistence switch, when the chart has one. */
  readonly persistenceEnabledKey?: string;
}

export const DATA_VOLUMES: Readonly<Record<DataComponent, DataVolumeContract>> = {
  // comet-mysql statefulset.yaml: VCT `data` on StatefulSet opik-mysql, skipped with existingClaim.
  mysql: {
    claimName: 'data-opik-mysql-0',
    claimOwner: 'platform',
    sizeKey: 'mysql.primary.persistence.size',
    storageClassKey: 'mysql.primary.persistence.storageClass',
    existingClaimKey: 'mysql.primary.persistence.existingClaim',
    persistenceEnabledKey: 'mysql.primary.persistence.enabled',
  },
  // Opik templates/clickhouseinstallation.yaml: CHI opik-clickhouse, cluster `cluster`, VCT
  // storage-vc-template; the operator names the claim <vct>-<pod>. No existingClaim exists.
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
    sizeKey: 'minio.persistence.size',
    storageClassKey: 'minio.persistence.storageClass',
    existingClaimKey: 'minio.persistence.existingClaim',
    persistenceEnabledKey: 'minio.persistence.enabled',
  },
  // cloudpirates redis statefulset.yaml: VCT `data` on StatefulSet opik-redis-master.
  redis: {
    claimName: 'data-opik-redis-master-0',
    claimOwner: 'platform',
    sizeKey: 'redis.persistence.size',
    storageClassKey: 'redis.persistence.storageClass',
    existingClaimKey: 'redis.persistence.existingClaim',
    persistenceEnabledKey: 'redis.persistence.enabled',
  },
  // cloudpirates zookeeper statefulset.yaml: VCT `data` on StatefulSet opik-zookeeper.
  zookeeper: {
    claimName: 'data-opik-zookeeper-0',
    claimOwner: 'platform',
    sizeKey: 'zookeeper.persistence.size',
    storageClassKey: 'zookeeper.persistence.storageClass',
    existingClaimKey: 'zookeeper.persistence.existingClaim',
    persistenceEnabledKey: 'zookeeper.persistence.enabled',
  },
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
  opik: [],
};
