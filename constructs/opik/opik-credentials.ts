/**
 * Opik's database and storage passwords, replacing the chart's hard-coded defaults (`opik`,
 * a published Redis password, MinIO's example keys). Each is generated once, kept in Key Vault for
 * operators, and handed to the workloads through Kubernetes secrets or `set_sensitive` references.
 *
 * They are all `keep` (prevent_destroy): MySQL writes its users into the data directory on first
 * start and never re-reads the configured password, so a regenerated password would lock the
 * backend out of its own data.
 */
import { Construct } from 'constructs';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { GeneratedSecret } from '../secrets/generated-secret';
import { OPIK_SERVICES } from './chart-contract';

export interface OpikCredentialsProps {
  readonly namespace: string;
  readonly keyVaultId: string;
}

/** Names of the Kubernetes secrets the chart is pointed at. */
export const OPIK_SECRET_NAMES = {
  /** comet-mysql `auth.existingSecret`, key `mysql-root-password`. */
  mysql: 'opik-mysql-credentials',
  /** envFrom of the Java backend: database passwords and the Redis URL. */
  backend: 'opik-backend-credentials',
  /** envFrom of the Python backend: the Redis URL. */
  pythonBackend: 'opik-python-backend-credentials',
} as const;

export class OpikCredentials extends Construct {
  readonly mysqlRootPassword: GeneratedSecret;
  readonly mysqlUserPassword: GeneratedSecret;
  readonly clickhousePassword: GeneratedSecret;
  readonly redisPassword: GeneratedSecret;
  readonly minioRootPassword: GeneratedSecret;
  readonly secrets: SecretV1[];

  constructor(scope: Construct, id: string, props: OpikCredentialsProps) {
    super(scope, id);
    const vault = { keyVaultId: props.keyVaultId };
    this.mysqlRootPassword = new GeneratedSecret(this, 'mysql-root', { ...vault, vaultSecretName: 'opik-mysql-root-password' });
    this.mysqlUserPassword = new GeneratedSecret(this, 'mysql-user', { ...vault, vaultSecretName: 'opik-mysql-user-password' });
    this.clickhousePassword = new GeneratedSecret(this, 'clickhouse', { ...vault, vaultSecretName: 'opik-clickhouse-password' });
    this.redisPassword = new GeneratedSecret(this, 'redis', { ...vault, vaultSecretName: 'opik-redis-password' });
    this.minioRootPassword = new GeneratedSecret(this, 'minio-root', { ...vault, vaultSecretName: 'opik-minio-root-password' });

    const redisUrl = `redis://:${this.redisPassword.value}@${OPIK_SERVICES.redis.name}:${OPIK_SERVICES.redis.port}/`;
    const secret = (secretId: string, name: string, data: Record<string, string>) =>
      new SecretV1(this, secretId, { metadata: { name, namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': 'opik' } }, data, type: 'Opaque' });

    this.secrets = [
      secret('mysql-secret', OPIK_SECRET_NAMES.mysql, { 'mysql-root-password': this.mysqlRootPassword.value }),
      secret('backend-secret', OPIK_SECRET_NAMES.backend, {
        STATE_DB_PASS: this.mysqlUserPassword.value,
        ANALYTICS_DB_PASS: this.clickhousePassword.value,
        ANALYTICS_DB_MIGRATIONS_PASS: this.clickhousePassword.value,
        REDIS_URL: redisUrl,
      }),
      secret('python-backend-secret', OPIK_SECRET_NAMES.pythonBackend, { REDIS_URL: redisUrl }),
    ];
  }
}
