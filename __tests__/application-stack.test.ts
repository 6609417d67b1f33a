/** application-<env>: volumes bound to the right disks, data-safe chart values, sign-in in front of everything, no secret in any output. */
import { parse as parseYaml } from 'yaml';
import { crossFieldProblems } from '../config/rules';
import { CERT_MANAGER_CHART } from '../constructs/cert-manager/cert-manager';
import { DATA_COMPONENTS } from '../constructs/core/naming';
import { DATA_STORAGE_CLASS } from '../constructs/opik/chart-contract';
import { buildStacks, cloneConfig, ENVIRONMENT_NAMES, loadCommittedConfig, resourcesOf, synthStack, type StackJson } from './helpers';

const remote = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;

function synthApp(environment: string, change?: (config: ReturnType<typeof loadCommittedConfig>) => void): StackJson {
  const config = cloneConfig(loadCommittedConfig(environment));
  change?.(config);
  return synthStack(buildStacks(config).application);
}

const releaseOf = (json: StackJson, chart: string) => {
  const release = resourcesOf(json, 'helm_release').find((r) => r.chart === chart);
  if (!release) throw new Error(`no helm_release of chart ${chart}`);
  return release;
};
const opikValues = (json: StackJson) => parseYaml(releaseOf(json, 'opik').values[0]);
const get = (values: any, path: string) => path.split('.').reduce((node, key) => node?.[key], values);
const pvOf = (json: StackJson, component: string) =>
  resourcesOf(json, 'kubernetes_persistent_volume_v1').find((pv) => pv.metadata.labels['opik.platform/data-component'] === component)!;
const oauth2ProxyConfig = (json: StackJson): string => parseYaml(releaseOf(json, 'oauth2-proxy').values[0]).config.configFile;

describe('persistent volumes (prod)', () => {
  const json = synthApp('prod');

  test.each(DATA_COMPONENTS)("the %s PV's volume handle is that component's disk ID from the data-disks stack", (component) => {
    expect(pvOf(json, component).spec[0].persistent_volume_source.csi).toEqual({
      driver: 'disk.csi.azure.com',
      fs_type: 'ext4',
      volume_handle: remote('data-disks', `${component}_disk_id`),
    });
  });

  // Literal claim names, as the pinned chart's workloads mount them (verified by check:chart).
  test.each([
    ['mysql', 'data-opik-mysql-0'],
    ['clickhouse', 'storage-vc-template-chi-opik-clickhouse-cluster-0-0-0'],
    ['minio', 'opik-minio'],
    ['redis', 'data-opik-redis-master-0'],
    ['zookeeper', 'data-opik-zookeeper-0'],
  ])("the %s PV is pre-bound to exactly the claim %s", (component, claim) => {
    expect(pvOf(json, component).spec[0].claim_ref).toEqual({
      name: claim,
      namespace: '${kubernetes_namespace_v1.namespace_177341A3.metadata[0].name}',
    });
  });

  test('every PV is Retain, has prevent_destroy, and uses the dedicated storage class', () => {
    const pvs = resourcesOf(json, 'kubernetes_persistent_volume_v1');
    expect(pvs).toHaveLength(DATA_COMPONENTS.length);
    for (const pv of pvs) {
      expect(pv.spec[0].persistent_volume_reclaim_policy).toBe('Retain');
      expect(pv.spec[0].storage_class_name).toBe(DATA_STORAGE_CLASS);
      expect(pv.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test.each(DATA_COMPONENTS)("the %s PV's capacity is the disk's size", (component) => {
    expect(pvOf(json, component).spec[0].capacity).toEqual({ storage: `${remote('data-disks', `${component}_disk_size_gb`)}Gi` });
  });

  test.each(DATA_COMPONENTS)('the zonal %s PV is pinned to its disk zone', (component) => {
    expect(pvOf(json, component).spec[0].node_affinity.required.node_selector_term).toEqual([
      { match_expressions: [{ key: 'topology.disk.csi.azure.com/zone', operator: 'In', values: [`westeurope-${remote('data-disks', `${component}_disk_zone`)}`] }] },
    ]);
  });

  test('a regional disk gets no zone affinity', () => {
    const regional = synthApp('prod', (c) => {
      c.dataDisks.disks.mysql.zone = null;
    });
    expect(pvOf(regional, 'mysql').spec[0].node_affinity).toBeUndefined();
    expect(pvOf(regional, 'clickhouse').spec[0].node_affinity).toBeDefined();
  });

  test('the storage class provisions nothing', () => {
    const [storageClass] = resourcesOf(json, 'kubernetes_storage_class_v1');
    expect(storageClass.storage_provisioner).toBe('kubernetes.io/no-provisioner');
    expect(storageClass.metadata.name).toBe(DATA_STORAGE_CLASS);
  });

  test('growing a disk is possible: the class allows expansion, and the claim and PV follow the configured size', () => {
    const [storageClass] = resourcesOf(json, 'kubernetes_storage_class_v1');
    expect(storageClass.allow_volume_expansion).toBe(true);
    const grown = synthApp('prod', (c) => { c.dataDisks.disks.mysql.sizeGb += 64; });
    const claim = resourcesOf(grown, 'kubernetes_persistent_volume_claim_v1').find((c) => c.metadata.name === 'data-opik-mysql-0')!;
    expect(claim.spec.resources.requests.storage).toBe(`${loadCommittedConfig('prod').dataDisks.disks.mysql.sizeGb + 64}Gi`);
    // The PV's capacity is the disk's size as the data-disks stack reports it, after it grew.
    expect(pvOf(grown, 'mysql').spec[0].capacity.storage).toBe(`${remote('data-disks', 'mysql_disk_size_gb')}Gi`);
  });

  test('we own every claim the chart lets us own (all but ClickHouse), pre-bound and undeletable', () => {
    const claims = resourcesOf(json, 'kubernetes_persistent_volume_claim_v1');
    const config = loadCommittedConfig('prod');
    const owned = { mysql: 'data-opik-mysql-0', minio: 'opik-minio', redis: 'data-opik-redis-master-0', zookeeper: 'data-opik-zookeeper-0' } as const;
    expect(claims.map((c) => c.metadata.name).sort()).toEqual(Object.values(owned).sort());
    for (const [component, name] of Object.entries(owned) as [keyof typeof owned, string][]) {
      const claim = claims.find((c) => c.metadata.name === name)!;
      expect(claim.spec.volume_name).toBe(`opik-${component}-data`);
      expect(claim.spec.storage_class_name).toBe(DATA_STORAGE_CLASS);
      expect(claim.spec.resources.requests.storage).toBe(`${config.dataDisks.disks[component].sizeGb}Gi`);
      expect(claim.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test('the namespace cannot be destroyed by Terraform', () => {
    const [namespace] = resourcesOf(json, 'kubernetes_namespace_v1').filter((n) => n.metadata.name === 'opik');
    expect(namespace.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe('Opik release values (prod)', () => {
  const json = synthApp('prod');
  const values = opikValues(json);
  const config = loadCommittedConfig('prod');

  // Literals on purpose: these are the chart's keys and claim names as verified by rendering Opik
  // 2.1.23 (npm run check:chart), not read back from the contract module they check.
  test('each data component is pointed at the claim we pre-bind to its disk', () => {
    expect(get(values, 'mysql.primary.persistence')).toEqual({ enabled: true, existingClaim: 'data-opik-mysql-0' });
    expect(get(values, 'minio.persistence')).toEqual({ enabled: true, existingClaim: 'opik-minio' });
    expect(get(values, 'redis.persistence')).toEqual({ enabled: true, existingClaim: 'data-opik-redis-master-0' });
    expect(get(values, 'zookeeper.persistence')).toEqual({ enabled: true, existingClaim: 'data-opik-zookeeper-0' });
  });

  test("ClickHouse's operator-made claim requests the dedicated class and the disk's size", () => {
    expect(get(values, 'clickhouse.storageClassName')).toBe('opik-data-disk');
    expect(get(values, 'clickhouse.storage')).toBe(`${config.dataDisks.disks.clickhouse.sizeGb}Gi`);
  });

  test('every data store reads its password from a Secret, by name', () => {
    expect(get(values, 'mysql.auth')).toEqual({ existingSecret: 'opik-mysql-credentials', database: 'opik', username: 'opik' });
    expect(get(values, 'mysql.initdbScripts')).toBeNull();
    expect(get(values, 'clickhouse.adminUser')).toEqual({ useSecret: { enabled: true }, secretname: 'clickhouse-credentials', password_key: 'password' });
    expect(get(values, 'redis.auth')).toEqual({ existingSecret: 'opik-redis-credentials', existingSecretPasswordKey: 'redis-password' });
    expect(get(values, 'minio.auth')).toEqual({
      existingSecret: 'opik-minio-credentials',
      existingSecretUserKey: 'root-user',
      existingSecretPasswordKey: 'root-password',
      rootUser: 'opik-minio-root',
      rootPassword: '',
    });
  });

  test('both backends (and so the migrations init container) take env from the ConfigMap, then the Secret', () => {
    expect(get(values, 'component.backend.envFrom')).toEqual([{ configMapRef: { name: 'opik-backend' } }, { secretRef: { name: 'opik-backend-credentials' } }]);
    expect(get(values, 'component.python-backend.envFrom')).toEqual([
      { configMapRef: { name: 'opik-python-backend' } },
      { secretRef: { name: 'opik-python-backend-credentials' } },
    ]);
    expect(get(values, 'component.backend.secretRefs')).toBeUndefined();
    expect(get(values, 'component.backend.env')).toEqual({ STATE_DB_PASS: null, ANALYTICS_DB_PASS: null, ANALYTICS_DB_MIGRATIONS_PASS: null, REDIS_URL: null });
  });

  test('the release gets no password at all: no set, no set_sensitive', () => {
    const release = releaseOf(json, 'opik');
    expect(release.set).toBeUndefined();
    expect(release.set_sensitive).toBeUndefined();
  });

  test('the Secrets the chart reads exist, each key holding the right generated password', () => {
    const password = (id: string) => expect.stringMatching(new RegExp(`^\\$\\{random_password\\.opik-credentials_${id}_[0-9A-F]{8}\\.result\\}$`));
    const secrets = Object.fromEntries(
      resourcesOf(json, 'kubernetes_secret_v1').filter((s) => s.metadata.name.startsWith('opik-')).map((s) => [s.metadata.name, s.data]),
    );
    expect(secrets).toEqual({
      'opik-mysql-credentials': { 'mysql-root-password': password('mysql-root'), 'mysql-password': password('mysql-user') },
      'opik-clickhouse-credentials': { password: password('clickhouse') },
      'opik-redis-credentials': { 'redis-password': password('redis') },
      'opik-minio-credentials': { 'root-user': 'opik-minio-root', 'root-password': password('minio-root') },
      'opik-backend-credentials': {
        STATE_DB_PASS: password('mysql-user'),
        ANALYTICS_DB_PASS: password('clickhouse'),
        ANALYTICS_DB_MIGRATIONS_PASS: password('clickhouse'),
        REDIS_URL: expect.stringMatching(/^redis:\/\/:\$\{random_password\.opik-credentials_redis_[0-9A-F]{8}\.result\}@opik-redis-master:6379\/$/),
        AWS_SECRET_ACCESS_KEY: password('minio-root'),
      },
      'opik-python-backend-credentials': { REDIS_URL: expect.stringMatching(/^redis:\/\/:\$\{random_password\.opik-credentials_redis_/) },
      'opik-clickhouse-operator-credentials': { username: 'clickhouse_operator', password: password('clickhouse-operator') },
    });
  });

  test("the ClickHouse operator logs in with a generated password, not its chart's published default", () => {
    expect(get(values, 'altinity-clickhouse-operator.secret.create')).toBe(false);
    expect(get(values, 'altinity-clickhouse-operator.configs.files')).toEqual({
      'config.yaml': { clickhouse: { access: { secret: { name: 'opik-clickhouse-operator-credentials' } } } },
    });
    expect(JSON.stringify(json)).not.toContain('clickhouse_operator_password');
  });

  test('every chart feature that can delete, reset or rewrite data is off', () => {
    expect(get(values, 'chartMigration.enabled')).toBe(false);
    expect(get(values, 'demoDataJob.enabled')).toBe(false);
    expect(get(values, 'clickhouse.backup.restore.createJob')).toBe(false);
    expect(get(values, 'clickhouse.backup.enabled')).toBe(false);
    expect(get(values, 'clickhouse.tieredStorage.enabled')).toBe(false);
    expect(get(values, 'clickhouse.freeformSql.enabled')).toBe(false);
    expect(get(values, 'clickhouse.replicasCount')).toBe(1);
  });

  test('the release is pinned to the configured version and never rolled back atomically', () => {
    const release = releaseOf(json, 'opik');
    expect(release.version).toBe(config.application.opikVersion);
    expect(release.repository).toBe('https://comet-ml.github.io/opik/');
    expect(release.atomic).toBe(false);
    expect(release.cleanup_on_fail).toBe(false);
  });

  test("the chart's own ingresses are off", () => {
    for (const component of ['backend', 'python-backend', 'frontend']) expect(get(values, `component.${component}.ingress.enabled`)).toBe(false);
  });

  test('every image comes from the registry cache, each tag pinned', () => {
    const acr = remote('cluster-and-registry', 'acr_login_server');
    expect(values.registry).toBe(`${acr}/ghcr/comet-ml/opik`);
    expect(get(values, 'component.python-backend.env.PYTHON_CODE_EXECUTOR_IMAGE_REGISTRY')).toBe(`${acr}/ghcr/comet-ml/opik`);
    expect(get(values, 'mysql.image')).toEqual({ registry: `${acr}/dockerhub`, repository: 'library/mysql', tag: '8.4.2' });
    expect(get(values, 'redis.image')).toEqual({ registry: `${acr}/dockerhub`, repository: 'redis/redis-stack-server', tag: '7.2.0-v10' });
    expect(get(values, 'zookeeper.image.tag')).toBe('3.9.4@sha256:f0f1d5e4a2763041ce1f7fc25e2b5347a2a0dfb0eaf0f46a49fe2e01945f9f09');
    expect(get(values, 'minio.image.registry')).toBe(`${acr}/dockerhub`);
    expect(get(values, 'clickhouse.image')).toBe(`${acr}/dockerhub/altinity/clickhouse-server:25.8.16.10002.altinitystable`);
    expect(get(values, 'altinity-clickhouse-operator.operator.image')).toEqual({ repository: `${acr}/dockerhub/altinity/clickhouse-operator`, tag: '0.27.1' });
    // Not the chart's mutable bitnami/kubectl:latest.
    expect(get(values, 'altinity-clickhouse-operator.crdHook.image')).toEqual({ repository: `${acr}/dockerhub/alpine/kubectl`, tag: '1.35.0' });
    expect(get(values, 'component.backend.waitForClickhouse.image')).toEqual({ registry: `${acr}/dockerhub`, repository: 'curlimages/curl', tag: '8.12.1' });
    expect(get(values, 'component.python-backend.waitForRedis.image')).toEqual({ registry: `${acr}/dockerhub`, repository: 'library/busybox', tag: '1.36' });
  });

  test('with imageSource upstream, every image comes from its own registry', () => {
    const upstream = opikValues(synthApp('prod', (c) => { c.application.imageSource = 'upstream'; }));
    expect(upstream.registry).toBe('ghcr.io/comet-ml/opik');
    expect(get(upstream, 'mysql.image.registry')).toBe('docker.io');
    expect(get(upstream, 'clickhouse.image')).toBe('docker.io/altinity/clickhouse-server:25.8.16.10002.altinitystable');
  });

  test('configured resources and replicas reach the chart', () => {
    const sized = opikValues(synthApp('prod', (c) => {
      c.application.resources.clickhouse = { cpu: '2', memory: '16Gi', memoryLimit: '20Gi' };
      c.application.replicas.backend = 3;
    }));
    expect(get(sized, 'clickhouse.resources')).toEqual({ requests: { cpu: '2', memory: '16Gi' }, limits: { memory: '20Gi' } });
    expect(get(sized, 'component.backend.replicaCount')).toBe(3);
  });

  test('values are rendered with sorted keys at every level', () => {
    const unsorted: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      const keys = Object.keys(node);
      if (keys.join('\n') !== [...keys].sort().join('\n')) unsorted.push(path || '(root)');
      for (const key of keys) visit((node as Record<string, unknown>)[key], `${path}.${key}`);
    };
    visit(values, '');
    expect(unsorted).toEqual([]);
  });
});

describe('routing and sign-in', () => {
  const prod = synthApp('prod');
  const dev = synthApp('dev');

  test('one Ingress of the AGIC class sends every path to oauth2-proxy', () => {
    const [ingress] = resourcesOf(prod, 'kubernetes_ingress_v1');
    expect(ingress.spec.ingress_class_name).toBe('azure-application-gateway');
    expect(ingress.spec.rule).toEqual([
      { host: 'opik.example.com', http: { path: [{ path: '/', path_type: 'Prefix', backend: { service: { name: 'oauth2-proxy', port: { number: 80 } } } }] } },
    ]);
  });

  test('App Gateway probes oauth2-proxy on /ping, which needs no sign-in', () => {
    const [ingress] = resourcesOf(prod, 'kubernetes_ingress_v1');
    expect(ingress.metadata.annotations['appgw.ingress.kubernetes.io/health-probe-path']).toBe('/ping');
  });

  test('oauth2-proxy forwards each path to the right Opik service and port', () => {
    const upstreams = /upstreams = \[(.*)\]/.exec(oauth2ProxyConfig(prod))![1];
    expect(JSON.parse(`[${upstreams}]`)).toEqual([
      'http://opik-python-backend:8000/v1/private/evaluators/',
      'http://opik-backend:8080/health-check',
      'http://opik-backend:8080/v1/',
      'http://opik-frontend:5173/',
    ]);
  });

  test('oauth2-proxy admits only the access group', () => {
    const config = loadCommittedConfig('prod');
    expect(oauth2ProxyConfig(prod)).toContain(`allowed_groups = ["${config.application.accessGroupObjectId}"]`);
    expect(oauth2ProxyConfig(prod)).toContain('provider = "entra-id"');
  });

  test('Entra ID itself admits only the access group', () => {
    const config = loadCommittedConfig('prod');
    const [principal] = resourcesOf(prod, 'azuread_service_principal');
    const [assignment] = resourcesOf(prod, 'azuread_app_role_assignment');
    expect(principal.app_role_assignment_required).toBe(true);
    expect(assignment.principal_object_id).toBe(config.application.accessGroupObjectId);
  });

  test('no token or user header is passed upstream, and sessions live in Redis (no 431)', () => {
    const text = oauth2ProxyConfig(prod);
    for (const flag of ['pass_access_token', 'pass_authorization_header', 'set_authorization_header', 'set_xauthrequest', 'pass_user_headers']) {
      expect(text).toContain(`${flag} = false`);
    }
    expect(text).toContain('session_store_type = "redis"');
  });

  test('bearer tokens are refused unless allowBearerTokens is set', () => {
    expect(oauth2ProxyConfig(prod)).toContain('skip_jwt_bearer_tokens = false');
    const withTokens = synthApp('prod', (c) => { c.application.allowBearerTokens = true; });
    expect(oauth2ProxyConfig(withTokens)).toContain('skip_jwt_bearer_tokens = true');
  });

  test('the redirect URI is the domain over HTTPS with a domain', () => {
    const [application] = resourcesOf(prod, 'azuread_application');
    expect(application.web.redirect_uris).toEqual(['https://opik.example.com/oauth2/callback']);
  });

  test("the redirect URI is the gateway's Azure host name over HTTPS without a domain", () => {
    const [application] = resourcesOf(dev, 'azuread_application');
    expect(application.web.redirect_uris).toEqual([`https://${remote('network', 'public_ip_fqdn')}/oauth2/callback`]);
  });
});

describe('TLS', () => {
  const prod = synthApp('prod');
  const dev = synthApp('dev');

  test('with a domain, cert-manager is installed pinned with its CRDs', () => {
    const release = releaseOf(prod, 'cert-manager');
    expect(release.version).toBe(CERT_MANAGER_CHART.version);
    expect(parseYaml(release.values[0]).crds).toEqual({ enabled: true, keep: true });
  });

  test('with a domain, the ClusterIssuers are a separate release that waits for cert-manager', () => {
    const issuers = resourcesOf(prod, 'helm_release').find((r) => r.name === 'letsencrypt-issuers')!;
    expect(issuers.depends_on).toEqual(['helm_release.cert-manager_D0E9C1E9']);
    const values = parseYaml(issuers.values[0]);
    expect(values.ingressClassName).toBe('azure-application-gateway');
    expect(values.issuers.map((i: { name: string }) => i.name)).toEqual(['letsencrypt-prod', 'letsencrypt-staging']);
  });

  test('with a domain, the Ingress gets a certificate from the production issuer', () => {
    const [ingress] = resourcesOf(prod, 'kubernetes_ingress_v1');
    expect(ingress.spec.tls).toEqual([{ hosts: ['opik.example.com'], secret_name: 'opik-tls' }]);
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
    expect(oauth2ProxyConfig(prod)).toContain('cookie_secure = true');
  });

  test("without a domain, the certificate is issued for the gateway's Azure host name", () => {
    const fqdn = remote('network', 'public_ip_fqdn');
    expect(resourcesOf(dev, 'helm_release').map((r) => r.name).sort()).toEqual(['cert-manager', 'letsencrypt-issuers', 'oauth2-proxy', 'opik']);
    const [ingress] = resourcesOf(dev, 'kubernetes_ingress_v1');
    expect(ingress.spec.rule[0].host).toBe(fqdn);
    expect(ingress.spec.tls).toEqual([{ hosts: [fqdn], secret_name: 'opik-tls' }]);
    expect(dev.output.url.value).toBe(`https://${fqdn}`);
  });

  test('without an e-mail, the ACME account has none', () => {
    const issuers = resourcesOf(dev, 'helm_release').find((r) => r.name === 'letsencrypt-issuers')!;
    expect(parseYaml(issuers.values[0]).email).toBe('');
  });

  test('with autoSsl off there is no cert-manager even with a domain', () => {
    const json = synthApp('prod', (c) => { c.application.autoSsl = false; });
    expect(resourcesOf(json, 'helm_release').some((r) => r.chart === 'cert-manager')).toBe(false);
    expect(json.output.url.value).toBe('http://opik.example.com');
  });
});

describe('cluster access', () => {
  const json = synthApp('prod');

  test('both providers authenticate with kubelogin and carry no credential', () => {
    const exec = { api_version: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'] };
    const [kubernetes] = json.provider.kubernetes;
    const [helm] = json.provider.helm;
    expect(kubernetes.exec).toEqual([exec]);
    expect(helm.kubernetes.exec).toEqual(exec);
    for (const config of [kubernetes, helm.kubernetes]) {
      for (const key of ['token', 'client_key', 'client_certificate', 'password', 'config_path', 'config_paths']) expect(config[key]).toBeUndefined();
    }
    expect(JSON.stringify(json)).not.toContain('kube_admin_config');
  });

  test('the stack depends on the network, data-disks and cluster stacks', () => {
    const stacks = buildStacks(loadCommittedConfig('prod'));
    expect(stacks.application.dependencies.map((s) => s.node.id).sort()).toEqual(['cluster-and-registry-prod', 'data-disks-prod', 'network-prod']);
  });
});

describe('DNS', () => {
  const zoneId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.com';

  test('without DNS automation, an output says which A record to create', () => {
    const json = synthApp('staging');
    expect(json.output.dns_record.value).toBe(`opik-staging.example.com A ${remote('network', 'public_ip_address')} (create it in your DNS zone)`);
    expect(resourcesOf(json, 'helm_release').some((r) => r.chart === 'external-dns')).toBe(false);
  });

  test('Azure DNS: external-dns runs with a federated identity that may write only that zone', () => {
    const json = synthApp('prod', (c) => { c.application.dns = { provider: 'azure', zoneId }; });
    const [credential] = resourcesOf(json, 'azurerm_federated_identity_credential');
    expect(credential.subject).toBe('system:serviceaccount:external-dns:external-dns');
    expect(credential.issuer).toBe(remote('cluster-and-registry', 'oidc_issuer_url'));
    const [grant] = resourcesOf(json, 'azurerm_role_assignment');
    expect([grant.role_definition_name, grant.scope]).toEqual(['DNS Zone Contributor', zoneId]);
    expect(parseYaml(releaseOf(json, 'external-dns').values[0]).policy).toBe('upsert-only');
  });

  test('Cloudflare: the token comes from a secret the operator creates', () => {
    const json = synthApp('prod', (c) => { c.application.dns = { provider: 'cloudflare', zoneName: 'example.com', apiTokenSecretName: 'cloudflare-api-token' }; });
    const values = parseYaml(releaseOf(json, 'external-dns').values[0]);
    expect(values.env).toEqual([{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: 'cloudflare-api-token', key: 'api-token' } } }]);
  });

  test('fails if DNS automation is configured without a domain', () => {
    const config = cloneConfig(loadCommittedConfig('dev'));
    config.application.dns = { provider: 'azure', zoneId };
    expect(crossFieldProblems(config).map((p) => p.path)).toContain('application.dns');
  });

  test('fails if the DNS zone does not hold the domain', () => {
    const config = cloneConfig(loadCommittedConfig('prod'));
    config.application.dns = { provider: 'cloudflare', zoneName: 'other.org', apiTokenSecretName: 'cloudflare-api-token' };
    expect(crossFieldProblems(config).map((p) => p.path)).toContain('application.dns.zoneName');
  });
});

describe.each(ENVIRONMENT_NAMES)('no secret value in the synthesized JSON (%s)', (environment) => {
  const stacks = buildStacks(loadCommittedConfig(environment));
  const app = synthStack(stacks.application);
  const all = [stacks.network, stacks.dataDisks, stacks.cluster, stacks.application].map((s) => JSON.stringify(synthStack(s)));
  const isReference = (value: unknown) => typeof value === 'string' && /\$\{(random_password|azuread_application_password)\.[^}]+\.(result|value)\}/.test(value);

  test("no stack contains the chart's published default passwords", () => {
    for (const text of all) {
      expect(text).not.toContain('wFSuJX9nDBdCa25sKZG7bh');
      expect(text).not.toContain('LESlrXUtnFEMI');
      expect(text).not.toMatch(/IDENTIFIED BY 'opik'/);
    }
  });

  test('no Helm release is handed a password: values, set and set_sensitive hold none', () => {
    for (const release of resourcesOf(app, 'helm_release')) {
      expect(release.values.join('')).not.toMatch(/random_password|application_password/);
      expect(release.set).toBeUndefined();
      expect(release.set_sensitive).toBeUndefined();
    }
  });

  test('every Key Vault secret value is a reference', () => {
    for (const secret of resourcesOf(app, 'azurerm_key_vault_secret')) expect(isReference(secret.value)).toBe(true);
  });

  test("every Kubernetes secret value except the client ID, MinIO's user name and external-dns config is built from references", () => {
    for (const secret of resourcesOf(app, 'kubernetes_secret_v1')) {
      for (const [key, value] of Object.entries(secret.data as Record<string, string>)) {
        // Names, not secrets: the Entra client ID, external-dns's config file, MinIO's and the ClickHouse operator's user names.
        if (key === 'client-id' || key === 'azure.json' || key === 'root-user' || key === 'username') continue;
        expect(value).toMatch(/\$\{(random_password|azuread_application_password)\./);
      }
    }
  });

  test('no output carries a secret', () => {
    for (const output of Object.values(app.output as Record<string, { value: string; sensitive?: boolean }>)) {
      expect(String(output.value)).not.toMatch(/random_password|application_password/);
    }
  });

  test('passwords kept on a data disk cannot be regenerated by Terraform', () => {
    const kept = resourcesOf(app, 'random_password').filter((p) => p.lifecycle?.prevent_destroy);
    // MySQL root and user, ClickHouse, Redis, MinIO, and the ClickHouse operator's account.
    expect(kept).toHaveLength(6);
  });
});
