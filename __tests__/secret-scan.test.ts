/**
 * No credential leaves Terraform's sensitive places: every stack of every committed environment,
 * the bootstrap stack, and the external-dns variants no committed file enables are scanned
 * generically (secret-scan.ts), so a new output, ConfigMap or helm value is covered without a test
 * of its own. The scanner itself is tested on hand-made JSON below.
 */
import { Testing } from 'cdktf';
import { StateBackend } from '../constructs/core/state-backend';
import { stateBackendFor } from '../stacks/environment';
import { StateStorageStack } from '../stacks/state-storage-stack';
import { buildStacks, cloneConfig, ENVIRONMENT_NAMES, loadCommittedConfig, synthStack, type StackJson } from './helpers';
import { scanForSecrets } from './secret-scan';

/** The bootstrap app's stacks, one per state storage account, as bootstrap.ts builds them. */
function bootstrapStacks(): [string, StackJson][] {
  const configs = ENVIRONMENT_NAMES.map(loadCommittedConfig);
  const accounts = new Map(configs.map((config) => [stateBackendFor(config, 'azurerm').props.azure.storageAccountName, config]));
  return [...accounts.values()].map((config) => {
    const storage = stateBackendFor(config, 'azurerm').props.azure;
    const stack = new StateStorageStack(Testing.app(), {
      storage,
      location: config.state.location ?? config.location,
      workload: config.workload,
      networkAccess: config.state.networkAccess,
      environments: configs.filter((c) => stateBackendFor(c, 'azurerm').props.azure.storageAccountName === storage.storageAccountName).map((c) => c.environment),
      backend: new StateBackend({ kind: 'azurerm', environment: 'bootstrap', azure: storage }),
    });
    return [stack.node.id, synthStack(stack)];
  });
}

/** prod's application stack with external-dns, which no committed file enables. */
function withDns(dns: NonNullable<ReturnType<typeof loadCommittedConfig>['application']['dns']>): StackJson {
  const config = cloneConfig(loadCommittedConfig('prod'));
  config.application.dns = dns;
  return synthStack(buildStacks(config).application);
}

const SYNTHESIZED: [string, StackJson][] = [
  ...ENVIRONMENT_NAMES.flatMap((environment) =>
    Object.values(buildStacks(loadCommittedConfig(environment))).map((stack): [string, StackJson] => [stack.node.id, synthStack(stack)]),
  ),
  ...bootstrapStacks(),
  ['application-prod with external-dns on Azure DNS', withDns({ provider: 'azure', zoneId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com' })],
  ['application-prod with external-dns on Cloudflare', withDns({ provider: 'cloudflare', zoneName: 'example.com', apiTokenSecretName: 'cloudflare-api-token' })],
];

test('scans every stack of every environment and the bootstrap stack', () => {
  const ids = SYNTHESIZED.map(([id]) => id);
  for (const environment of ENVIRONMENT_NAMES) {
    for (const stack of ['network', 'data-disks', 'cluster-and-registry', 'application']) expect(ids).toContain(`${stack}-${environment}`);
  }
  // One per state account: dev and staging share one, prod has its own.
  expect(ids.filter((id) => id.startsWith('state-storage-')).sort()).toEqual(['state-storage-stopikprodtfstateweu', 'state-storage-stopiktfstateweu']);
  // The services stack exists only where the file lists services (dev and prod do).
  const withServices = ENVIRONMENT_NAMES.filter((environment) => loadCommittedConfig(environment).services.length > 0);
  expect(withServices).toEqual(expect.arrayContaining(['dev', 'prod']));
  for (const environment of withServices) expect(ids).toContain(`services-${environment}`);
});

describe.each(SYNTHESIZED)('%s', (_id, json) => {
  const scan = scanForSecrets(json);
  test('no output references a credential, sensitive or not', () => expect(scan.outputs).toEqual([]));
  test('no Kubernetes object but a secret, and no non-sensitive helm setting, references a credential', () => expect(scan.workloads).toEqual([]));
  test('holds no literal that looks like a secret', () => expect(scan.literals).toEqual([]));
});

describe('the scanner', () => {
  /** A stack JSON with an admin-kubeconfig output and a ConfigMap that carries a password. */
  const leaky: StackJson = {
    output: {
      kubeconfig: { value: '${azurerm_kubernetes_cluster.aks.kube_admin_config_raw}', sensitive: true },
      cluster_name: { value: '${azurerm_kubernetes_cluster.aks.name}' },
    },
    resource: {
      kubernetes_config_map_v1: {
        settings: { metadata: { name: 'settings' }, data: { DB_URL: 'mysql://opik:${random_password.db.result}@mysql:3306/opik', DB_HOST: 'mysql' } },
      },
    },
  };

  test('reports an admin-kubeconfig output, with its address and attribute path', () => {
    expect(scanForSecrets(leaky).outputs).toEqual([
      'output.kubeconfig: value: references azurerm_kubernetes_cluster.aks.kube_admin_config_raw (a kubeconfig (cluster credentials))',
    ]);
  });

  test('reports a ConfigMap that references a password, with its address and attribute path', () => {
    expect(scanForSecrets(leaky).workloads).toEqual(['kubernetes_config_map_v1.settings: data.DB_URL: references random_password.db.result (a generated password)']);
  });

  test('reports a password in a Deployment env entry, a container arg and a helm value', () => {
    const json: StackJson = {
      resource: {
        kubernetes_deployment_v1: {
          app: { spec: { template: { spec: { container: [{ args: ['--key=${tls_private_key.ca.private_key_pem}'], env: [{ name: 'LOGS_KEY', value: '${data.azurerm_log_analytics_workspace.logs.primary_shared_key}' }] }] } } } },
        },
        helm_release: { app: { values: ['auth:\n  password: ${azurerm_key_vault_secret.db.value}\n'] } },
      },
    };
    expect(scanForSecrets(json).workloads).toEqual([
      'kubernetes_deployment_v1.app: spec.template.spec.container[0].args[0]: references tls_private_key.ca.private_key_pem (a private key)',
      'kubernetes_deployment_v1.app: spec.template.spec.container[0].env[0].value: references data.azurerm_log_analytics_workspace.logs.primary_shared_key (a key, password or connection string)',
      'helm_release.app: values[0]: references azurerm_key_vault_secret.db.value (a Key Vault secret value)',
    ]);
  });

  test('allows credentials in Kubernetes secrets, helm set_sensitive and Key Vault, and the API server address in an output', () => {
    const json: StackJson = {
      output: { api_server: { value: '${data.azurerm_kubernetes_cluster.aks.kube_config[0].host}' } },
      resource: {
        kubernetes_secret_v1: { db: { data: { password: '${random_password.db.result}' } } },
        helm_release: { app: { set_sensitive: [{ name: 'auth.password', value: '${random_password.db.result}' }] } },
        azurerm_key_vault_secret: { db: { name: 'db-password', value: '${random_password.db.result}' } },
      },
    };
    expect(scanForSecrets(json)).toEqual({ outputs: [], workloads: [], literals: [] });
  });

  test('reports secrets written as literals without printing them', () => {
    const json: StackJson = {
      resource: {
        kubernetes_secret_v1: { tls: { data: { 'tls.key': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' } } },
        helm_release: { app: { values: ['config: |\n  client_secret = "hunter22"\n'], set_sensitive: [{ name: 'redis.auth.password', value: 'hunter22' }] } },
      },
    };
    const literals = scanForSecrets(json).literals;
    expect(literals).toEqual([
      'kubernetes_secret_v1.tls: data.tls.key: a PEM block (literal redacted, 27 characters)',
      'helm_release.app: values[0]: "client_secret" is set to a literal redacted, 10 characters',
      'helm_release.app: set_sensitive[0].value: "redis.auth.password" is given a literal redacted, 8 characters',
    ]);
    expect(literals.join('\n')).not.toContain('hunter22');
  });
});
