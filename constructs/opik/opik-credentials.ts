/**
 * Opik's database and storage passwords, replacing the chart's published defaults (`opik`, a
 * fixed Redis password, MinIO's example keys, the ClickHouse operator's `clickhouse_operator_password`). Each is generated once, kept in Key Vault for
 * operators, and handed to the workloads only through Kubernetes Secrets that Terraform creates
 * beside the release: the chart is given their names, never a password. So no password sits in
 * the Helm values, in a ConfigMap, in the ClickHouseInstallation or in a container argument
 * (`npm run check:chart` proves it on the rendered chart).
 *
 * They are all `keep` (prevent_destroy): MySQL writes its users into the data directory on first
 * start and never re-reads the configured password, so a regenerated password would lock the
 * backend out of its own data.
 */
import { Construct } from 'constructs';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { GeneratedSecret } from '../secrets/generated-secret';
import { MINIO_ROOT_USER, OPIK_SECRETS, OPIK_SERVICES } from './chart-contract';

export interface OpikCredentialsProps {
  readonly namespace: string;
  readonly keyVaultId: string;
}

export class OpikCredentials extends Construct {
  readonly mysqlRootPassword: GeneratedSecret;
  readonly mysqlUserPassword: GeneratedSecret;
  readonly clickhousePassword: GeneratedSecret;
  readonly redisPassword: GeneratedSecret;
  readonly minioRootPassword: GeneratedSecret;
  readonly clickhouseOperatorPassword: GeneratedSecret;
  readonly secrets: SecretV1[];

  constructor(scope: Construct, id: string, props: OpikCredentialsProps) {
    super(scope, id);
    const vault = { keyVaultId: props.keyVaultId };
    this.mysqlRootPassword = new GeneratedSecret(this, 'mysql-root', { ...vault, vaultSecretName: 'opik-mysql-root-password' });
    this.mysqlUserPassword = new GeneratedSecret(this, 'mysql-user', { ...vault, vaultSecretName: 'opik-mysql-user-password' });
    this.clickhousePassword = new GeneratedSecret(this, 'clickhouse', { ...vault, vaultSecretName: 'opik-clickhouse-password' });
    this.redisPassword = new GeneratedSecret(this, 'redis', { ...vault, vaultSecretName: 'opik-redis-password' });
    this.minioRootPassword = new GeneratedSecret(this, 'minio-root', { ...vault, vaultSecretName: 'opik-minio-root-password' });
    this.clickhouseOperatorPassword = new GeneratedSecret(this, 'clickhouse-operator', { ...vault, vaultSecretName: 'opik-clickhouse-operator-password' });

    const redisUrl = `redis://:${this.redisPassword.value}@${OPIK_SERVICES.redis.name}:${OPIK_SERVICES.redis.port}/`;
    const secret = (secretId: string, name: string, data: Record<string, string>) =>
      new SecretV1(this, secretId, { metadata: { name, namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': 'opik' } }, data, type: 'Opaque' });

    const s = OPIK_SECRETS;
    this.secrets = [
      secret('mysql-secret', s.mysql.name, {
        [s.mysql.keys.rootPassword]: this.mysqlRootPassword.value,
        [s.mysql.keys.userPassword]: this.mysqlUserPassword.value,
      }),
      secret('clickhouse-secret', s.clickhouse.name, { [s.clickhouse.keys.password]: this.clickhousePassword.value }),
      secret('redis-secret', s.redis.name, { [s.redis.keys.password]: this.redisPassword.value }),
      secret('minio-secret', s.minio.name, {
        [s.minio.keys.rootUser]: MINIO_ROOT_USER,
        [s.minio.keys.rootPassword]: this.minioRootPassword.value,
      }),
      // The backend's and python backend's envFrom lists this Secret after the chart's ConfigMap,
      // so these keys win over whatever the ConfigMap holds under the same name.
      secret('backend-secret', s.backend.name, {
        STATE_DB_PASS: this.mysqlUserPassword.value,
        ANALYTICS_DB_PASS: this.clickhousePassword.value,
        ANALYTICS_DB_MIGRATIONS_PASS: this.clickhousePassword.value,
        REDIS_URL: redisUrl,
        AWS_SECRET_ACCESS_KEY: this.minioRootPassword.value,
      }),
      secret('python-backend-secret', s.pythonBackend.name, { REDIS_URL: redisUrl }),
      secret('clickhouse-operator-secret', s.clickhouseOperator.name, {
        [s.clickhouseOperator.keys.username]: s.clickhouseOperator.username,
        [s.clickhouseOperator.keys.password]: this.clickhouseOperatorPassword.value,
      }),
    ];
  }
}
