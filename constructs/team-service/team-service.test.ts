/**
 * services-<env>: every property a service must have, asserted on the synthesized JSON of the
 * committed dev and prod files (001's Flask backend, 003's FastAPI simulator), plus variants no
 * committed file has. The snapshot test is the backstop; these say which properties matter.
 */
import { parse as parseYaml } from 'yaml';
import { buildStacks, cloneConfig, loadCommittedConfig, resourcesOf, synthStack, type StackJson } from '../../__tests__/helpers';
import { scanForSecrets } from '../../__tests__/secret-scan';
import type { PlatformConfig } from '../../config/schema';

const remote = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;
const FLASK = 'openml-backend';
const FASTAPI = 'aiops-metrics-simulator';

function synthServices(environment: string, change?: (config: PlatformConfig) => void): StackJson {
  const config = cloneConfig(loadCommittedConfig(environment));
  change?.(config);
  const stacks = buildStacks(config);
  if (!stacks.services) throw new Error(`no services stack for ${environment}`);
  return synthStack(stacks.services);
}

/** The one resource of `type` whose Terraform name starts with the service's construct id. */
function of(json: StackJson, type: string, service: string, part = ''): Record<string, any> {
  const entries = Object.entries<Record<string, any>>(json.resource?.[type] ?? {}).filter(([name]) => name.startsWith(`${service}_${part}`));
  if (entries.length !== 1) throw new Error(`${entries.length} ${type} for ${service}_${part}`);
  return entries[0][1];
}
const all = (json: StackJson, type: string, service: string) =>
  Object.entries<Record<string, any>>(json.resource?.[type] ?? {}).filter(([name]) => name.startsWith(`${service}_`)).map(([, r]) => r);
const podSpec = (json: StackJson, service: string) => of(json, 'kubernetes_deployment_v1', service).spec.template.spec;
const container = (json: StackJson, service: string) => podSpec(json, service).container[0];
const policy = (json: StackJson, service: string, name: string): Record<string, any> =>
  all(json, 'kubernetes_network_policy_v1', service).find((p) => p.metadata.name === name) as Record<string, any>;

const dev = synthServices('dev');
const prod = synthServices('prod');

describe('which environments get a services stack', () => {
  test('dev and prod, which list services; not staging, which lists none', () => {
    expect(buildStacks(loadCommittedConfig('staging')).services).toBeUndefined();
    expect(Object.keys(buildStacks(loadCommittedConfig('staging')))).not.toContain('services');
    expect(buildStacks(loadCommittedConfig('dev')).services?.node.id).toBe('services-dev');
  });
  test('an empty list builds no stack', () => {
    const config = cloneConfig(loadCommittedConfig('dev'));
    config.services = [];
    expect(buildStacks(config).services).toBeUndefined();
  });
  test('depends on the application stack (its ClusterIssuers) only when an ingress asks for TLS', () => {
    const ids = (environment: string) => buildStacks(loadCommittedConfig(environment)).services!.dependencies.map((s) => s.node.id).sort();
    expect(ids('prod')).toEqual(['application-prod', 'cluster-and-registry-prod', 'network-prod']);
    expect(ids('dev')).toEqual(['cluster-and-registry-dev', 'network-dev']);
  });
});

describe.each([
  ['dev', dev],
  ['prod', prod],
])('%s', (environment, json) => {
  const flaskNamespace = `openml-${environment}`;

  test.each([FLASK, FASTAPI])('%s runs in its own namespace with Pod Security restricted enforced', (service) => {
    const namespace = of(json, 'kubernetes_namespace_v1', service);
    expect(namespace.metadata.name).toBe(service === FLASK ? flaskNamespace : FASTAPI);
    expect(namespace.metadata.labels).toEqual(expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' }));
  });

  test.each([FLASK, FASTAPI])('%s: non-root, no escalation, no capabilities, RuntimeDefault seccomp, read-only root, writable /tmp', (service) => {
    const pod = podSpec(json, service);
    expect(pod.security_context).toEqual({ run_as_non_root: true, run_as_user: '10001', run_as_group: '10001', fs_group: '10001', seccomp_profile: { type: 'RuntimeDefault' } });
    expect(container(json, service).security_context).toEqual({
      run_as_non_root: true,
      run_as_user: '10001',
      run_as_group: '10001',
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.volume).toContainEqual({ name: 'tmp', empty_dir: { size_limit: '256Mi' } });
    expect(container(json, service).volume_mount).toContainEqual({ name: 'tmp', mount_path: '/tmp' });
  });

  test.each([FLASK, FASTAPI])('%s: image from the environment\'s registry, pinned by digest', (service) => {
    expect(container(json, service).image).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.remote-state-cluster-and-registry\\.outputs\\.acr_login_server\\}/[a-z-]+:[\\w.]+@sha256:[0-9a-f]{64}$`));
  });

  test('requests, limits and probes as the file sets them', () => {
    const flask = container(json, FLASK);
    expect(flask.resources).toEqual(
      environment === 'prod' ? { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } } : { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
    );
    expect(container(json, FASTAPI).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } });
    expect(container(json, FASTAPI).liveness_probe).toEqual({ http_get: { path: '/health', port: '8000' }, initial_delay_seconds: 30, period_seconds: 10, timeout_seconds: 3, failure_threshold: 3 });
    expect(container(json, FASTAPI).readiness_probe).toEqual({ http_get: { path: '/health', port: '8000' }, initial_delay_seconds: 5, period_seconds: 5, timeout_seconds: 3, failure_threshold: 3 });
    expect(flask.liveness_probe.http_get).toEqual({ path: '/health', port: '5000' });
  });

  test('settings reach the container as a ConfigMap through envFrom, never a secret among them', () => {
    const configMap = of(json, 'kubernetes_config_map_v1', FLASK);
    expect(configMap.data).toEqual(expect.objectContaining({ ENVIRONMENT: environment === 'prod' ? 'production' : 'development', GUNICORN_WORKERS: environment === 'prod' ? '4' : '1' }));
    expect(Object.keys(configMap.data).filter((k) => /SECRET|PASS|KEY|DATABASE_URI$/.test(k) && environment === 'prod')).toEqual([]);
    expect(container(json, FLASK).env_from).toEqual([{ config_map_ref: { name: `\${kubernetes_config_map_v1.${Object.keys(json.resource.kubernetes_config_map_v1).find((n) => n.startsWith(FLASK))}.metadata[0].name}` } }]);
  });

  test('Key Vault secrets are a read-only CSI volume of the SecretProviderClass, mounted as files', () => {
    expect(podSpec(json, FLASK).volume).toContainEqual({ name: 'secrets', csi: { driver: 'secrets-store.csi.k8s.io', read_only: true, volume_attributes: { secretProviderClass: FLASK } } });
    expect(container(json, FLASK).volume_mount).toContainEqual({ name: 'secrets', mount_path: '/mnt/secrets', read_only: true });
  });

  test('the SecretProviderClass values hold names only: vault, tenant, identity, secret names', () => {
    const release = of(json, 'helm_release', FLASK, 'secret-provider-class');
    expect(release.chart).toMatch(/^assets\//);
    expect(release.set_sensitive).toBeUndefined();
    const values = parseYaml(release.values[0]);
    expect(Object.keys(values).sort()).toEqual(['clientId', 'keyVaultName', 'name', 'objects', 'tenantId']);
    expect(values.keyVaultName).toBe(`kv-opik-${environment}-weu`);
    expect(values.clientId).toMatch(/^\$\{azurerm_user_assigned_identity\.openml-backend_identity_[0-9A-F]+\.client_id\}$/);
    const secrets = environment === 'prod' ? ['APP_SECRET_KEY', 'DATABASE_URI', 'JWT_SECRET_KEY', 'SMTP_PASS'] : ['APP_SECRET_KEY', 'JWT_SECRET_KEY'];
    expect(values.objects.map((o: any) => o.fileName).sort()).toEqual(['APPLICATIONINSIGHTS_CONNECTION_STRING', ...secrets].sort());
    for (const object of values.objects) expect(Object.keys(object).sort()).toEqual(['fileName', 'secretName']);
  });

  test('no secret value anywhere in the stack: no output, workload or literal holds one', () => {
    const scan = scanForSecrets(json);
    expect([...scan.outputs, ...scan.workloads, ...scan.literals]).toEqual([]);
    // The connection string is referenced once per service: as the value of its Key Vault secret.
    const references = JSON.stringify(json).match(/azurerm_application_insights\.[\w-]+\.connection_string/g) ?? [];
    expect(references).toHaveLength(resourcesOf(json, 'azurerm_key_vault_secret').length);
    for (const secret of resourcesOf(json, 'azurerm_key_vault_secret')) expect(secret.value).toMatch(/\.connection_string\}$/);
  });

  test('each service secret is readable by that service\'s identity only, scoped to the one secret', () => {
    const grants = all(json, 'azurerm_role_assignment', FLASK);
    const names = environment === 'prod' ? ['openml-prod-app-secret-key', 'openml-prod-database-uri', 'openml-prod-jwt-secret-key', 'openml-prod-smtp-pass'] : ['openml-dev-app-secret-key', 'openml-dev-jwt-secret-key'];
    const secretGrants = grants.filter((g) => g.role_definition_name === 'Key Vault Secrets User');
    expect(secretGrants.map((g) => g.scope).sort()).toEqual(
      [
        ...names.map((n) => `${remote('cluster-and-registry', 'key_vault_id')}/secrets/${n}`),
        `\${azurerm_key_vault_secret.${Object.keys(json.resource.azurerm_key_vault_secret).find((n) => n.startsWith(FLASK))}.resource_versionless_id}`,
      ].sort(),
    );
    for (const grant of secretGrants) expect(grant.principal_id).toMatch(/^\$\{azurerm_user_assigned_identity\.openml-backend_identity_[0-9A-F]+\.principal_id\}$/);
  });

  test('workload identity: federated on the cluster\'s issuer for exactly the service account', () => {
    const federation = of(json, 'azurerm_federated_identity_credential', FLASK);
    expect(federation.subject).toBe(`system:serviceaccount:${flaskNamespace}:${FLASK}`);
    expect(federation.issuer).toBe(remote('cluster-and-registry', 'oidc_issuer_url'));
    expect(federation.audience).toEqual(['api://AzureADTokenExchange']);
    const account = of(json, 'kubernetes_service_account_v1', FLASK);
    expect(account.metadata.name).toBe(FLASK);
    expect(account.metadata.annotations['azure.workload.identity/client-id']).toMatch(/\.client_id\}$/);
    expect(account.automount_service_account_token).toBe(false);
    expect(podSpec(json, FLASK).service_account_name).toMatch(/kubernetes_service_account_v1\.openml-backend_identity_service-account_/);
  });

  test('Application Insights is workspace-based and its connection string goes to Key Vault only', () => {
    const insights = of(json, 'azurerm_application_insights', FLASK);
    expect(insights.workspace_id).toBe(remote('cluster-and-registry', 'log_analytics_workspace_id'));
    expect(insights.name).toBe(`appi-opik-${environment}-weu-svc-${FLASK}`);
    const secret = of(json, 'azurerm_key_vault_secret', FLASK);
    expect(secret.key_vault_id).toBe(remote('cluster-and-registry', 'key_vault_id'));
    expect(secret.value).toMatch(/^\$\{azurerm_application_insights\.openml-backend_application-insights_[0-9A-F]+\.connection_string\}$/);
  });

  test.each([FLASK, FASTAPI])('%s has a PodDisruptionBudget that lets one pod go at a time', (service) => {
    const budget = of(json, 'kubernetes_pod_disruption_budget_v1', service);
    expect(budget.spec).toEqual({ max_unavailable: '1', selector: { match_labels: { 'app.kubernetes.io/instance': service, 'app.kubernetes.io/name': service } } });
  });

  test.each([FLASK, FASTAPI])('%s: a default-deny policy for every pod of its namespace, ingress and egress', (service) => {
    const deny = policy(json, service, 'default-deny');
    expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
  });

  test.each([FLASK, FASTAPI])('%s: DNS to kube-system\'s CoreDNS is always allowed', (service) => {
    expect(policy(json, service, 'allow-dns').spec.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } }, pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } } }],
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
    ]);
  });

  test('FastAPI runs two replicas, as 003 does', () => {
    expect(of(json, 'kubernetes_deployment_v1', FASTAPI).spec.replicas).toBe('2');
    expect(all(json, 'kubernetes_horizontal_pod_autoscaler_v2', FASTAPI)).toEqual([]);
  });
});

describe('003 in dev: a public LoadBalancer, which the file opts into', () => {
  test('the LoadBalancer service admits its port from anywhere, and nothing else', () => {
    expect(policy(dev, FASTAPI, 'allow-service').spec.ingress).toEqual([{ from: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '8000', protocol: 'TCP' }] }]);
  });

  test('the LoadBalancer service has a static Standard public IP of its own in the main resource group, zoned like the cluster', () => {
    const ip = of(dev, 'azurerm_public_ip', FASTAPI);
    expect(ip).toEqual(
      expect.objectContaining({
        name: `pip-opik-dev-weu-svc-${FASTAPI}`,
        resource_group_name: remote('network', 'resource_group_name'),
        allocation_method: 'Static',
        sku: 'Standard',
        zones: ['1'],
      }),
    );
    expect(ip.lifecycle).toEqual({ ignore_changes: ['tags["k8s-azure-service"]', 'tags["k8s-azure-cluster-name"]'] });
    const grants = all(dev, 'azurerm_role_assignment', FASTAPI).filter((g) => g.principal_id === remote('cluster-and-registry', 'cluster_identity_principal_id'));
    expect(grants.map((g) => [g.role_definition_name, g.scope])).toEqual([
      ['Network Contributor', expect.stringMatching(/^\$\{azurerm_public_ip\.aiops-metrics-simulator_exposure_public-ip_[0-9A-F]+\.id\}$/)],
      ['Reader', remote('network', 'resource_group_id')],
    ]);
    const service = of(dev, 'kubernetes_service_v1', FASTAPI);
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.port).toEqual([{ name: 'http', port: 80, target_port: '8000', protocol: 'TCP' }]);
    expect(service.metadata.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-resource-group': remote('network', 'resource_group_name'),
      'service.beta.kubernetes.io/azure-pip-name': expect.stringMatching(/^\$\{azurerm_public_ip\..*\.name\}$/),
    });
    expect(service.wait_for_load_balancer).toBe(false);
    expect(dev.output[`public_ip_${FASTAPI}`].value).toMatch(/^\$\{azurerm_public_ip\..*\.ip_address\}$/);
  });

  test("the AKS subnet's NSG admits the internet to that IP on the service port, and only there", () => {
    const rule = of(dev, 'azurerm_network_security_rule', FASTAPI);
    expect(rule).toEqual(
      expect.objectContaining({
        network_security_group_name: 'nsg-opik-dev-weu-aks',
        resource_group_name: remote('network', 'resource_group_name'),
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        source_address_prefix: 'Internet',
        destination_address_prefix: expect.stringMatching(/^\$\{azurerm_public_ip\.aiops-metrics-simulator_exposure_public-ip_[0-9A-F]+\.ip_address\}$/),
        destination_port_range: '80',
        priority: 200,
      }),
    );
    expect(resourcesOf(dev, 'azurerm_network_security_rule')).toHaveLength(1);
  });
});

describe('003 in prod: through the Application Gateway, with TLS and WAF', () => {
  test('an ingress on its host with a certificate; no public IP, no NSG rule, nothing from the internet', () => {
    expect(of(prod, 'kubernetes_service_v1', FASTAPI).spec.type).toBe('ClusterIP');
    expect(of(prod, 'kubernetes_ingress_v1', FASTAPI).spec.tls).toEqual([{ hosts: ['metrics-simulator.example.com'], secret_name: `${FASTAPI}-tls` }]);
    expect(resourcesOf(prod, 'azurerm_public_ip')).toEqual([]);
    expect(resourcesOf(prod, 'azurerm_network_security_rule')).toEqual([]);
    expect(JSON.stringify(policy(prod, FASTAPI, 'allow-service').spec.ingress)).not.toContain('0.0.0.0/0');
  });
});

describe('001 in dev: one replica, internal only', () => {
  test('a fixed count of one and no autoscaler', () => {
    expect(of(dev, 'kubernetes_deployment_v1', FLASK).spec.replicas).toBe('1');
    expect(all(dev, 'kubernetes_horizontal_pod_autoscaler_v2', FLASK)).toEqual([]);
  });
  test('a ClusterIP service and no ingress; nothing may reach its port', () => {
    expect(of(dev, 'kubernetes_service_v1', FLASK).spec.type).toBe('ClusterIP');
    expect(all(dev, 'kubernetes_ingress_v1', FLASK)).toEqual([]);
    expect(policy(dev, FLASK, 'allow-service').spec.ingress).toEqual([]);
  });
});

describe('001 in prod: autoscaled 3-10, HTTPS through the Application Gateway', () => {
  test('an HPA from 3 to 10 on CPU 70% and memory 80%, and no fixed count on the Deployment', () => {
    const hpa = of(prod, 'kubernetes_horizontal_pod_autoscaler_v2', FLASK);
    expect(hpa.spec.min_replicas).toBe(3);
    expect(hpa.spec.max_replicas).toBe(10);
    expect(hpa.spec.scale_target_ref).toEqual({ api_version: 'apps/v1', kind: 'Deployment', name: expect.stringMatching(/kubernetes_deployment_v1\.openml-backend_deployment_.*\.metadata\[0\]\.name/) });
    expect(hpa.spec.metric).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', average_utilization: 80 } } },
    ]);
    expect(of(prod, 'kubernetes_deployment_v1', FLASK).spec.replicas).toBeUndefined();
  });

  test('an Ingress of AGIC\'s class with a Let\'s Encrypt certificate for its host', () => {
    const ingress = of(prod, 'kubernetes_ingress_v1', FLASK);
    expect(ingress.spec.ingress_class_name).toBe('azure-application-gateway');
    expect(ingress.metadata.annotations).toEqual(
      expect.objectContaining({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', 'appgw.ingress.kubernetes.io/health-probe-path': '/health' }),
    );
    expect(ingress.spec.tls).toEqual([{ hosts: ['openml-api.example.com'], secret_name: `${FLASK}-tls` }]);
    expect(ingress.spec.rule).toEqual([
      { host: 'openml-api.example.com', http: { path: [{ path: '/', path_type: 'Prefix', backend: { service: { name: FLASK, port: { number: 80 } } } }] } },
    ]);
    expect(of(prod, 'kubernetes_service_v1', FLASK).spec.type).toBe('ClusterIP');
    expect(prod.output[`dns_record_${FLASK}`].value).toBe(`openml-api.example.com A ${remote('network', 'public_ip_address')} (create it in your DNS zone)`);
  });

  test('only the Application Gateway subnet reaches the pods, and the ACME solver, on their ports', () => {
    expect(policy(prod, FLASK, 'allow-service').spec.ingress).toEqual([{ from: [{ ip_block: { cidr: '10.30.16.0/24' } }], ports: [{ port: '5000', protocol: 'TCP' }] }]);
    expect(policy(prod, FLASK, 'allow-acme-http01-solver').spec).toEqual({
      pod_selector: { match_labels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policy_types: ['Ingress'],
      ingress: [{ from: [{ ip_block: { cidr: '10.30.16.0/24' } }], ports: [{ port: '8089', protocol: 'TCP' }] }],
    });
  });

  test('egress: the listed MySQL subnet, and HTTPS to the internet for Application Insights only', () => {
    expect(policy(prod, FLASK, 'allow-service').spec.egress).toEqual([
      { to: [{ ip_block: { cidr: '10.30.20.0/24' } }], ports: [{ port: '3306', protocol: 'TCP' }] },
      { to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: '443', protocol: 'TCP' }] },
    ]);
  });
});

describe('variants no committed file has', () => {
  test('listed ingress peers are allowed to the port: a namespace, and labelled pods in it', () => {
    const json = synthServices('dev', (c) => {
      c.services[0].networkPolicy.ingressFrom = [{ namespace: 'opik' }, { namespace: 'tools', podLabels: { app: 'client' } }];
    });
    expect(policy(json, FLASK, 'allow-service').spec.ingress).toEqual([
      { from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'opik' } } }], ports: [{ port: '5000', protocol: 'TCP' }] },
      { from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'tools' } }, pod_selector: { match_labels: { app: 'client' } } }], ports: [{ port: '5000', protocol: 'TCP' }] },
    ]);
  });

  test('without Application Insights: no component, no connection string, no internet egress', () => {
    const json = synthServices('dev', (c) => {
      c.services[1].applicationInsights = false;
    });
    expect(all(json, 'azurerm_application_insights', FASTAPI)).toEqual([]);
    expect(all(json, 'azurerm_key_vault_secret', FASTAPI)).toEqual([]);
    expect(policy(json, FASTAPI, 'allow-service').spec.egress).toEqual([]);
    // Nothing left to mount: no SecretProviderClass and no CSI volume.
    expect(all(json, 'helm_release', FASTAPI)).toEqual([]);
    expect(podSpec(json, FASTAPI).volume.map((v: any) => v.name)).toEqual(['tmp']);
  });

  test('a changed setting changes the pod template, so the pods restart and read it', () => {
    const annotation = (json: StackJson) => of(json, 'kubernetes_deployment_v1', FLASK).spec.template.metadata.annotations['checksum/settings'];
    const changed = synthServices('dev', (c) => {
      c.services[0].settings.LOG_LEVEL = 'INFO';
    });
    expect(annotation(changed)).not.toBe(annotation(dev));
  });

  test('an ingress without TLS asks for no certificate and needs no solver allowance', () => {
    const json = synthServices('prod', (c) => {
      const exposure = c.services[0].exposure;
      if (exposure.type === 'ingress') exposure.tls = false;
    });
    const ingress = of(json, 'kubernetes_ingress_v1', FLASK);
    expect(ingress.spec.tls).toBeUndefined();
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
    expect(policy(json, FLASK, 'allow-acme-http01-solver')).toBeUndefined();
  });
});
