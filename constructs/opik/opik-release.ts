/**
 * The Opik Helm release: the chart pinned to `application.opikVersion`, its volumes bound to the
 * pre-created claims, its passwords read from Secrets that Terraform creates beside it, every image
 * pulled through the cluster's registry, and every feature that can delete, reset or rewrite data
 * on install or upgrade turned off (each one below says why). Every key set here changes the
 * render of the verified chart (`npm run check:chart`), except the forward guards named in
 * chart-contract.ts.
 */
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { ContainerResources, OpikResourceComponent } from '../../config/schema';
import { imageParts, imageReference, registryFor, type ImageSource } from '../container-registry/mirrored-images';
import { DATA_COMPONENTS, type DataComponent } from '../core/naming';
import { renderValues, setPath, type HelmValues } from '../helm/values';
import { DATA_VOLUMES, kubernetesResources, MINIO_ROOT_USER, OPIK_CHART, OPIK_CONFIG_MAPS, OPIK_SECRETS, RESOURCE_KEYS } from './chart-contract';

export interface OpikReleaseProps {
  readonly namespace: string;
  /** Chart version (= app version). */
  readonly chartVersion: string;
  /** Where every image is pulled from: the registry's pull-through cache, or upstream. */
  readonly imageSource: ImageSource;
  /** Size each chart claim requests, in GiB (the disk's size). */
  readonly claimSizesGb: Readonly<Record<DataComponent, number>>;
  readonly storageClassName: string;
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
      // No password in here, nor in set or set_sensitive: the chart gets Secret names only.
      values: [renderValues(values)],
      dependsOn: props.dependsOn,
    });
  }
}

/** The non-secret values; exported for tests. */
export function opikValues(props: Omit<OpikReleaseProps, 'dependsOn'>): HelmValues {
  const values: HelmValues = {};
  const set = (path: string, value: unknown) => setPath(values, path, value);

  // --- Images: every one from the registry's cache (or upstream), each tag pinned ---
  // Opik's three images: one chart-wide registry; tags default to the chart's appVersion.
  const opikRegistry = `${registryFor('ghcr.io', props.imageSource)}/comet-ml/opik`;
  set('registry', opikRegistry);
  set('component.python-backend.env.PYTHON_CODE_EXECUTOR_IMAGE_REGISTRY', opikRegistry);
  set('component.backend.waitForClickhouse.image', imageParts('curl', props.imageSource));
  set('component.python-backend.waitForRedis.image', imageParts('busybox', props.imageSource));
  set('mysql.image', imageParts('mysql', props.imageSource));
  set('redis.image', imageParts('redisStack', props.imageSource));
  set('zookeeper.image', imageParts('zookeeper', props.imageSource));
  set('minio.image', imageParts('minio', props.imageSource));
  set('clickhouse.image', imageReference('clickhouseServer', props.imageSource));
  // The operator chart has no registry key: the registry goes into the repository.
  for (const [key, name] of [['operator', 'clickhouseOperator'], ['crdHook', 'kubectl']] as const) {
    const { registry, repository, tag } = imageParts(name, props.imageSource);
    set(`altinity-clickhouse-operator.${key}.image.repository`, `${registry}/${repository}`);
    set(`altinity-clickhouse-operator.${key}.image.tag`, tag);
  }

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
  // (with existingClaim the chart ignores its own size and class keys, so we set none).
  for (const component of DATA_COMPONENTS) {
    const contract = DATA_VOLUMES[component];
    if (contract.claimOwner === 'platform') {
      set(contract.persistenceEnabledKey, true);
      set(contract.existingClaimKey, contract.claimName);
    } else {
      set(contract.storageClassKey, props.storageClassName);
      set(contract.sizeKey, `${props.claimSizesGb[component]}Gi`);
    }
  }

  // --- Credentials: the chart reads them from Secrets, and never renders a password ---
  const secrets = OPIK_SECRETS;
  // MySQL's own image creates the `opik` database and user from MYSQL_DATABASE / MYSQL_USER /
  // MYSQL_PASSWORD (as Opik's docker-compose does), the password from our Secret. `null` removes
  // the chart's createdb.sql, which would put the password in a ConfigMap.
  set('mysql.auth.existingSecret', secrets.mysql.name);
  set('mysql.auth.database', 'opik');
  set('mysql.auth.username', 'opik');
  set('mysql.initdbScripts', null);
  // The ClickHouseInstallation names the Secret (`k8s_secret_password`); the operator reads it.
  set('clickhouse.adminUser.useSecret.enabled', true);
  set('clickhouse.adminUser.secretname', secrets.clickhouse.valuesName);
  set('clickhouse.adminUser.password_key', secrets.clickhouse.keys.password);
  set('redis.auth.existingSecret', secrets.redis.name);
  set('redis.auth.existingSecretPasswordKey', secrets.redis.keys.password);
  set('minio.auth.existingSecret', secrets.minio.name);
  set('minio.auth.existingSecretUserKey', secrets.minio.keys.rootUser);
  set('minio.auth.existingSecretPasswordKey', secrets.minio.keys.rootPassword);
  // The operator's own ClickHouse account: not the subchart's Secret with its published default
  // password, but ours (opik-credentials.ts), named in the operator's config.yaml.
  set('altinity-clickhouse-operator.secret.create', false);
  set('altinity-clickhouse-operator.configs.files', { 'config.yaml': { clickhouse: { access: { secret: { name: secrets.clickhouseOperator.name } } } } });
  // Not a secret: the chart writes it into the backend's ConfigMap as AWS_ACCESS_KEY_ID.
  set('minio.auth.rootUser', MINIO_ROOT_USER);
  // The chart copies this into the backend's ConfigMap as AWS_SECRET_ACCESS_KEY: empty instead of
  // the chart's published example key, and the real one arrives from the backend's Secret.
  set('minio.auth.rootPassword', '');
  // `null` deletes the chart's defaults (published passwords rendered into the ConfigMaps).
  for (const key of ['STATE_DB_PASS', 'ANALYTICS_DB_PASS', 'ANALYTICS_DB_MIGRATIONS_PASS', 'REDIS_URL']) {
    set(`component.backend.env.${key}`, null);
  }
  set('component.python-backend.env.REDIS_URL', null);
  // envFrom, not `secretRefs`: the chart (2.1.23) indents secretRefs one level too deep, which
  // breaks the render, and never gives them to the migrations init container. envFrom goes to
  // both; the Secret comes last so its keys win over the ConfigMap's.
  set('component.backend.envFrom', [{ configMapRef: { name: OPIK_CONFIG_MAPS.backend } }, { secretRef: { name: secrets.backend.name } }]);
  set('component.python-backend.envFrom', [
    { configMapRef: { name: OPIK_CONFIG_MAPS.pythonBackend } },
    { secretRef: { name: secrets.pythonBackend.name } },
  ]);

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
