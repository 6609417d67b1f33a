/**
 * The Opik Helm release: the chart pinned to `application.opikVersion`, its volumes bound to the
 * pre-created claims, its passwords replaced, and every feature that can delete, reset or rewrite
 * data on install or upgrade turned off (each one below says why).
 */
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { ContainerResources, OpikResourceComponent } from '../../config/schema';
import { DATA_COMPONENTS, type DataComponent } from '../core/naming';
import { helmSetKey, renderValues, setPath, type HelmValues } from '../helm/values';
import { DATA_VOLUMES, kubernetesResources, OPIK_CHART, RESOURCE_KEYS } from './chart-contract';
import { OPIK_SECRET_NAMES, type OpikCredentials } from './opik-credentials';

export interface OpikReleaseProps {
  readonly namespace: string;
  /** Chart version (= app version). */
  readonly chartVersion: string;
  /** Registry path the three Opik images are pulled from, e.g. `<acr>/comet-ml/opik`. */
  readonly imageRegistry: string;
  /** Size each chart claim requests, in GiB (the disk's size). */
  readonly claimSizesGb: Readonly<Record<DataComponent, number>>;
  readonly storageClassName: string;
  readonly credentials: OpikCredentials;
  /** Requests and limits by component, over the defaults of chart-contract.ts. */
  readonly resources?: Readonly<Partial<Record<OpikResourceComponent, ContainerResources>>>;
  readonly replicas: { readonly backend: number; readonly pythonBackend: number; readonly frontend: number };
  /** The volumes, claims and secrets that must exist before the first pod starts. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * Seconds Helm waits for every workload to become ready. The first install pulls images and
   * runs the schema migrations, hence generous.
   * @default 1800
   */
  readonly timeoutSeconds?: number;
}

export class OpikRelease extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: OpikReleaseProps) {
    super(scope, id);
    const values = opikValues(props);
    const creds = props.credentials;

    this.release = new Release(this, 'Resource', {
      name: OPIK_CHART.releaseName,
      repository: OPIK_CHART.repository,
      chart: OPIK_CHART.name,
      version: props.chartVersion,
      namespace: props.namespace,
      createNamespace: false,
      // Not atomic, and no cleanup on failure: a failed first install rolled back by Helm
      // uninstalls the release, the CHI goes with it and the ClickHouse operator deletes its claim.
      // The PV is Retain so the disk survives, but it would need a manual rebind. A failed release
      // stays in place for an operator to inspect and fix forward.
      atomic: false,
      cleanupOnFail: false,
      wait: true,
      waitForJobs: false,
      timeout: props.timeoutSeconds ?? 1800,
      maxHistory: 10,
      // Terraform's values are the whole truth: never merge in values someone set by hand.
      reuseValues: false,
      values: [renderValues(values)],
      // Passwords as references only: the synthesized JSON holds `${random_password.….result}`,
      // and set_sensitive keeps the values out of plan output.
      setSensitive: [
        {
          name: helmSetKey('mysql', 'initdbScripts', 'createdb.sql'),
          value: mysqlInitSql(creds.mysqlUserPassword.value),
        },
        { name: 'clickhouse.adminUser.password', value: creds.clickhousePassword.value },
        { name: 'redis.auth.password', value: creds.redisPassword.value },
        { name: 'minio.auth.rootPassword', value: creds.minioRootPassword.value },
      ],
      dependsOn: props.dependsOn,
    });
  }
}

/**
 * The chart's init script with the generated password. MySQL runs it only on an empty data
 * directory: on an adopted disk the existing users stay as they were (see the README, migrating).
 */
function mysqlInitSql(password: string): string {
  return [
    'CREATE DATABASE IF NOT EXISTS opik DEFAULT CHARACTER SET utf8 DEFAULT COLLATE utf8_general_ci;',
    `CREATE USER IF NOT EXISTS 'opik'@'%' IDENTIFIED BY '${password}';`,
    "GRANT ALL ON `opik`.* TO 'opik'@'%';",
    'FLUSH PRIVILEGES;',
  ].join('\n');
}

/** The non-secret values; exported for tests. */
export function opikValues(props: Omit<OpikReleaseProps, 'credentials' | 'dependsOn'>): HelmValues {
  const values: HelmValues = {};
  const set = (path: string, value: unknown) => setPath(values, path, value);

  // Images: one chart-wide registry for backend, python-backend and frontend; tags default to the
  // chart's appVersion, so the chart version pins the app version.
  set('registry', props.imageRegistry);
  set('component.python-backend.env.PYTHON_CODE_EXECUTOR_IMAGE_REGISTRY', props.imageRegistry);

  // --- What can delete, reset or rewrite data ---
  // pre-upgrade hook that deletes the MySQL/ZooKeeper/Redis StatefulSets and the backend Deployment
  // when it finds Bitnami images; only meant for one upgrade from the 1.x charts.
  set('chartMigration.enabled', false);
  // post-install/post-upgrade job that writes demo projects into the databases on every upgrade.
  set('demoDataJob.enabled', false);
  // Restore job: re-created, and restores again, on every upgrade while enabled.
  set('clickhouse.backup.restore.createJob', false);
  // Backup CronJob to S3: needs a bucket and keys we do not have; disk backups cover this.
  set('clickhouse.backup.enabled', false);
  // Post-upgrade jobs that restart the operator and ALTER TABLE … MODIFY TTL / move parts.
  set('clickhouse.tieredStorage.enabled', false);
  // Job that creates a read-only SQL user and row policies on every upgrade.
  set('clickhouse.freeformSql.enabled', false);
  // One replica on one disk: the chart warns that installing ClickHouse on >= 2 replicas breaks
  // the analytics migrations, and each replica would need its own disk.
  set('clickhouse.replicasCount', 1);
  set('clickhouse.shardsCount', 1);
  // Forward-only Liquibase migrations at backend start; they never drop. Upgrades need them.
  set('component.backend.run_migration', true);

  // --- Volumes: every claim names the pre-created PV's class and fits inside its disk ---
  for (const component of DATA_COMPONENTS) {
    const contract = DATA_VOLUMES[component];
    set(contract.storageClassKey, props.storageClassName);
    set(contract.sizeKey, `${props.claimSizesGb[component]}Gi`);
    if (contract.persistenceEnabledKey) set(contract.persistenceEnabledKey, true);
    if (contract.existingClaimKey) set(contract.existingClaimKey, contract.claimName);
  }

  // --- Credentials: out of values and ConfigMaps, into Secrets ---
  set('mysql.auth.existingSecret', OPIK_SECRET_NAMES.mysql);
  // `null` deletes the chart's default (a plain-text password rendered into a ConfigMap); the
  // same keys arrive from the secret through envFrom.
  for (const key of ['STATE_DB_PASS', 'ANALYTICS_DB_PASS', 'ANALYTICS_DB_MIGRATIONS_PASS', 'REDIS_URL']) {
    set(`component.backend.env.${key}`, null);
  }
  set('component.python-backend.env.REDIS_URL', null);
  set('component.backend.secretRefs', [{ name: OPIK_SECRET_NAMES.backend }]);
  set('component.python-backend.secretRefs', [{ name: OPIK_SECRET_NAMES.pythonBackend }]);
  // Not a secret: MinIO's access key ID. Its secret key comes through set_sensitive.
  set('minio.auth.rootUser', 'opik-minio-root');

  // --- Exposure: only through the sign-in proxy ---
  for (const component of ['backend', 'python-backend', 'frontend']) set(`component.${component}.ingress.enabled`, false);
  // The chart asks for a privileged python-backend for the docker executor strategy; the
  // `process` strategy (the chart default) runs code in subprocesses and the namespace enforces
  // Pod Security `baseline`, which rejects privileged pods.
  set('component.python-backend.securityContext.privileged', false);

  // --- Size ---
  set('component.backend.replicaCount', props.replicas.backend);
  set('component.python-backend.replicaCount', props.replicas.pythonBackend);
  set('component.frontend.replicaCount', props.replicas.frontend);
  for (const [component, key] of Object.entries(RESOURCE_KEYS) as [Exclude<OpikResourceComponent, 'oauth2Proxy'>, string][]) {
    set(key, kubernetesResources(component, props.resources?.[component]));
  }
  return values;
}
