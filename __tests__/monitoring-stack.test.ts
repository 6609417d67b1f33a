/** monitoring-<env>: each part follows its switch; rules carry the thresholds; roles and diagnostics point at the right resources. */
import type { PlatformConfig } from '../config/schema';
import { buildStacks, cloneConfig, loadCommittedConfig, resourcesOf, synthStack, type StackJson } from './helpers';

const remote = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;


function configWith(environment: string, change?: (config: PlatformConfig) => void): PlatformConfig {
  const config = cloneConfig(loadCommittedConfig(environment));
  change?.(config);
  return config;
}

function synthMonitoring(environment: string, change?: (config: PlatformConfig) => void): StackJson {
  const stack = buildStacks(configWith(environment, change)).monitoring;
  if (!stack) throw new Error('no monitoring stack');
  return synthStack(stack);
}

const one = (json: StackJson, type: string) => {
  const list = resourcesOf(json, type);
  expect(list).toHaveLength(1);
  return list[0];
};
const ruleGroup = (json: StackJson, name: string) => resourcesOf(json, 'azurerm_monitor_alert_prometheus_rule_group').find((g) => g.name === name)!;
const alertRule = (json: StackJson, alert: string) => ruleGroup(json, 'prg-opik-prod-weu-cluster-alerts').rule.find((r: any) => r.alert === alert);

describe('the stack', () => {
  test('exists in every committed environment and depends on network and cluster-and-registry only', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const stack = buildStacks(loadCommittedConfig(env)).monitoring!;
      expect(stack.node.id).toBe(`monitoring-${env}`);
      expect(stack.dependencies.map((s) => s.node.id).sort()).toEqual([`cluster-and-registry-${env}`, `network-${env}`]);
    }
  });
  test('is left out when every part is off, and then is no key of the environment', () => {
    const stacks = buildStacks(
      configWith('prod', (c) => {
        c.monitoring.prometheus.enabled = false;
        c.monitoring.grafana.enabled = false;
        c.monitoring.alerts.enabled = false;
        c.monitoring.diagnostics.enabled = false;
      }),
    );
    expect('monitoring' in stacks).toBe(false);
    expect(Object.values(stacks).every((s) => s !== undefined)).toBe(true);
  });
});

describe('managed Prometheus (prod)', () => {
  const json = synthMonitoring('prod');

  test('the collection rule sends the Prometheus stream to the workspace through the endpoint', () => {
    const rule = one(json, 'azurerm_monitor_data_collection_rule');
    const workspace = Object.keys(json.resource.azurerm_monitor_workspace)[0];
    const endpoint = Object.keys(json.resource.azurerm_monitor_data_collection_endpoint)[0];
    expect(rule.data_collection_endpoint_id).toBe(`\${azurerm_monitor_data_collection_endpoint.${endpoint}.id}`);
    expect(rule.destinations.monitor_account).toEqual([{ monitor_account_id: `\${azurerm_monitor_workspace.${workspace}.id}`, name: 'monitor-workspace' }]);
    expect(rule.data_flow).toEqual([{ destinations: ['monitor-workspace'], streams: ['Microsoft-PrometheusMetrics'] }]);
    expect(rule.data_sources.prometheus_forwarder).toEqual([{ name: 'PrometheusDataSource', streams: ['Microsoft-PrometheusMetrics'] }]);
  });
  test("the rule and the endpoint are associated with the cluster stack's cluster_id", () => {
    const associations = resourcesOf(json, 'azurerm_monitor_data_collection_rule_association');
    expect(associations.map((a) => a.target_resource_id)).toEqual([remote('cluster-and-registry', 'cluster_id'), remote('cluster-and-registry', 'cluster_id')]);
    expect(associations.filter((a) => a.data_collection_rule_id?.startsWith('${azurerm_monitor_data_collection_rule.'))).toHaveLength(1);
    expect(associations.filter((a) => a.data_collection_endpoint_id?.startsWith('${azurerm_monitor_data_collection_endpoint.'))).toHaveLength(1);
  });
  test('node and kubernetes recording rules are scoped to the workspace and the cluster', () => {
    for (const kind of ['node-recording', 'kubernetes-recording']) {
      const group = ruleGroup(json, `prg-opik-prod-weu-${kind}`);
      expect(group.scopes[1]).toBe(remote('cluster-and-registry', 'cluster_id'));
      expect(group.scopes[0]).toMatch(/^\$\{azurerm_monitor_workspace\./);
      expect(group.rule.length).toBeGreaterThan(5);
      expect(group.rule.every((r: any) => r.record && !r.alert)).toBe(true);
    }
  });
  test('the cluster runs the metrics add-on exactly when Prometheus is on', () => {
    const aks = (c: PlatformConfig) => one(synthStack(buildStacks(c).cluster), 'azurerm_kubernetes_cluster');
    expect(aks(configWith('prod')).monitor_metrics).toEqual({});
    expect(aks(configWith('prod', (c) => {
      c.monitoring.prometheus.enabled = false;
      c.monitoring.grafana.enabled = false;
      c.monitoring.alerts.cluster = false;
    })).monitor_metrics).toBeUndefined();
  });
  test('without Prometheus there is no workspace, collection rule or recording rule', () => {
    const off = synthMonitoring('prod', (c) => {
      c.monitoring.prometheus.enabled = false;
      c.monitoring.grafana.enabled = false;
      c.monitoring.alerts.cluster = false;
    });
    for (const type of ['azurerm_monitor_workspace', 'azurerm_monitor_data_collection_rule', 'azurerm_monitor_alert_prometheus_rule_group', 'azurerm_dashboard_grafana']) {
      expect(resourcesOf(off, type)).toEqual([]);
    }
  });
});

describe('managed Grafana (prod)', () => {
  const json = synthMonitoring('prod');
  const grafana = one(json, 'azurerm_dashboard_grafana');
  const grafanaId = `\${azurerm_dashboard_grafana.${Object.keys(json.resource.azurerm_dashboard_grafana)[0]}.id}`;
  const workspaceId = `\${azurerm_monitor_workspace.${Object.keys(json.resource.azurerm_monitor_workspace)[0]}.id}`;
  const roles = resourcesOf(json, 'azurerm_role_assignment');

  test('a pinned major version, a system identity, no API keys, wired to the workspace', () => {
    expect(grafana).toMatchObject({ grafana_major_version: '11', identity: { type: 'SystemAssigned' }, api_key_enabled: false, zone_redundancy_enabled: true });
    expect(grafana.azure_monitor_workspace_integrations).toEqual([{ resource_id: workspaceId }]);
    // Azure upgrades a retiring major in place; Terraform must not try to set it back.
    expect(grafana.lifecycle).toEqual({ ignore_changes: ['grafana_major_version'] });
  });
  test("Grafana's identity reads the workspace (Monitoring Data Reader), nothing wider", () => {
    const reader = roles.find((r) => r.role_definition_name === 'Monitoring Data Reader')!;
    expect(reader.scope).toBe(workspaceId);
    expect(reader.principal_id).toMatch(/azurerm_dashboard_grafana\..*\.identity\[0\]\.principal_id\}$/);
  });
  test('the admin and viewer groups get Grafana Admin and Grafana Viewer on the Grafana resource', () => {
    const byRole = (role: string) => roles.filter((r) => r.role_definition_name === role).map((r) => [r.principal_id, r.scope, r.principal_type]);
    expect(byRole('Grafana Admin')).toEqual([['6f1c2a4e-0000-4000-8000-000000000020', grafanaId, undefined]]);
    expect(byRole('Grafana Viewer')).toEqual([['6f1c2a4e-0000-4000-8000-000000000021', grafanaId, undefined]]);
  });
  test('is absent when no group is given (dev)', () => {
    expect(resourcesOf(synthMonitoring('dev'), 'azurerm_dashboard_grafana')).toEqual([]);
  });
  test('public network access follows the setting', () => {
    const closed = synthMonitoring('prod', (c) => (c.monitoring.grafana.publicNetworkAccess = false));
    expect(one(closed, 'azurerm_dashboard_grafana').public_network_access_enabled).toBe(false);
    expect(grafana.public_network_access_enabled).toBe(true);
  });
});

describe('alerts (prod)', () => {
  const json = synthMonitoring('prod');

  test('the action group e-mails the configured address', () => {
    const group = one(json, 'azurerm_monitor_action_group');
    expect(group.email_receiver).toEqual([{ email_address: 'platform-alerts@example.com', name: 'team', use_common_alert_schema: true }]);
    expect(group.short_name.length).toBeLessThanOrEqual(12);
  });
  test('every cluster alert is scoped to the workspace and the cluster and calls the action group', () => {
    const group = ruleGroup(json, 'prg-opik-prod-weu-cluster-alerts');
    expect(group.scopes[1]).toBe(remote('cluster-and-registry', 'cluster_id'));
    const actionGroup = `\${azurerm_monitor_action_group.${Object.keys(json.resource.azurerm_monitor_action_group)[0]}.id}`;
    for (const rule of group.rule) expect(rule.action).toEqual([{ action_group_id: actionGroup }]);
    expect(group.rule.map((r: any) => r.alert).sort()).toEqual([
      'CertificateExpiringSoon',
      'NodeNotReady',
      'OpikDatabaseNotReady',
      'OpikDatabasePodFailed',
      'PersistentVolumeFilling',
      'PodRestartLoop',
    ]);
  });
  test('the rule expressions carry the thresholds from the file', () => {
    const custom = synthMonitoring('prod', (c) => {
      c.monitoring.alerts.thresholds = { nodeNotReadyMinutes: 7, podRestarts: 4, volumeUsedPercent: 85, certificateExpiryDays: 10, gateway5xxCount: 25 };
    });
    const rule = (alert: string) => ruleGroup(custom, 'prg-opik-prod-weu-cluster-alerts').rule.find((r: any) => r.alert === alert);
    expect(rule('NodeNotReady').for).toBe('PT7M');
    expect(rule('PodRestartLoop').expression).toMatch(/\[30m\]\) >= 4$/);
    expect(rule('PersistentVolumeFilling').expression).toBe('100 * kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 85');
    expect(rule('CertificateExpiringSoon').expression).toBe('certmanager_certificate_expiration_timestamp_seconds - time() < 10 * 86400');
    const fiveXx = resourcesOf(custom, 'azurerm_monitor_metric_alert').find((a) => a.name.endsWith('agw-5xx'))!;
    expect(fiveXx.criteria[0]).toMatchObject({ metric_name: 'ResponseStatus', threshold: 25, dimension: [{ name: 'HttpStatusGroup', operator: 'Include', values: ['5xx'] }] });
  });
  test("the volume alert fires at 80% by default", () => {
    expect(alertRule(json, 'PersistentVolumeFilling').expression).toMatch(/ > 80$/);
  });
  test("the database alerts watch Opik's namespace and every database workload", () => {
    const failed = alertRule(json, 'OpikDatabasePodFailed').expression;
    expect(failed).toContain('namespace="opik"');
    expect(failed).toContain('pod=~"^(chi-opik-clickhouse-cluster-0-0|opik-minio|opik-mysql|opik-redis-master|opik-zookeeper)-.+"');
    const notReady = alertRule(json, 'OpikDatabaseNotReady').expression;
    expect(notReady).toContain('statefulset=~"^(chi-opik-clickhouse-cluster-0-0|opik-mysql|opik-redis-master|opik-zookeeper)$"');
    expect(notReady).toContain('deployment=~"^(opik-minio)$"');
    const moved = synthMonitoring('prod', (c) => (c.application.namespace = 'llm-obs'));
    expect(ruleGroup(moved, 'prg-opik-prod-weu-cluster-alerts').rule.find((r: any) => r.alert === 'OpikDatabasePodFailed').expression).toContain('namespace="llm-obs"');
  });
  test("gateway alerts watch the network stack's gateway", () => {
    const alerts = resourcesOf(json, 'azurerm_monitor_metric_alert');
    expect(alerts.map((a) => a.criteria[0].metric_name).sort()).toEqual(['ResponseStatus', 'UnhealthyHostCount']);
    for (const alert of alerts) expect(alert.scopes).toEqual([remote('network', 'application_gateway_id')]);
  });
  test("cert-manager's namespace is opened to annotation scraping, and only with certificates", () => {
    const map = one(json, 'kubernetes_config_map_v1');
    expect(map.metadata).toEqual({ name: 'ama-metrics-settings-configmap', namespace: 'kube-system' });
    expect(map.data['pod-annotation-based-scraping']).toBe('podannotationnamespaceregex = "^(cert-manager)$"');
    const plain = synthMonitoring('prod', (c) => (c.application.autoSsl = false));
    expect(resourcesOf(plain, 'kubernetes_config_map_v1')).toEqual([]);
    expect(ruleGroup(plain, 'prg-opik-prod-weu-cluster-alerts').rule.map((r: any) => r.alert)).not.toContain('CertificateExpiringSoon');
    expect(plain.provider.kubernetes).toBeUndefined();
  });
  test('without an e-mail there is no action group and no alert rule', () => {
    const off = synthMonitoring('prod', (c) => delete c.monitoring.alerts.email);
    expect(resourcesOf(off, 'azurerm_monitor_action_group')).toEqual([]);
    expect(resourcesOf(off, 'azurerm_monitor_metric_alert')).toEqual([]);
    expect(ruleGroup(off, 'prg-opik-prod-weu-cluster-alerts')).toBeUndefined();
  });
  test('dev has cluster alerts but no gateway alerts', () => {
    const dev = synthMonitoring('dev');
    expect(resourcesOf(dev, 'azurerm_monitor_metric_alert')).toEqual([]);
    expect(ruleGroup(dev, 'prg-opik-dev-weu-cluster-alerts')).toBeDefined();
  });
});

describe('diagnostic settings (prod)', () => {
  const json = synthMonitoring('prod');

  test("the gateway, Key Vault, registry and API server send their logs and metrics to the cluster's Log Analytics workspace", () => {
    const settings = resourcesOf(json, 'azurerm_monitor_diagnostic_setting');
    expect(settings.map((s) => s.target_resource_id).sort()).toEqual(
      [
        remote('cluster-and-registry', 'container_registry_id'),
        remote('cluster-and-registry', 'key_vault_id'),
        remote('cluster-and-registry', 'cluster_id'),
        remote('network', 'application_gateway_id'),
      ].sort(),
    );
    for (const setting of settings) {
      expect(setting.log_analytics_workspace_id).toBe(remote('cluster-and-registry', 'log_analytics_workspace_id'));
      expect(setting.enabled_metric).toEqual([{ category: 'AllMetrics' }]);
    }
    const logsOf = (output: string) => settings.find((s) => s.target_resource_id.endsWith(`.${output}}`))!.enabled_log.map((l: any) => l.category);
    expect(logsOf('key_vault_id')).toEqual(['AuditEvent', 'AzurePolicyEvaluationDetails']);
    expect(logsOf('container_registry_id')).toEqual(['ContainerRegistryRepositoryEvents', 'ContainerRegistryLoginEvents']);
    expect(logsOf('application_gateway_id')).toEqual(['ApplicationGatewayAccessLog', 'ApplicationGatewayPerformanceLog', 'ApplicationGatewayFirewallLog']);
    // The audit trail of the API server: who changed what, and who signed in with Entra ID.
    expect(logsOf('cluster_id')).toEqual(['kube-audit-admin', 'guard']);
  });
  test('no data source asks Azure for categories at plan time', () => {
    expect(json.data?.azurerm_monitor_diagnostic_categories).toBeUndefined();
  });
  test('are absent when switched off (dev)', () => {
    expect(resourcesOf(synthMonitoring('dev'), 'azurerm_monitor_diagnostic_setting')).toEqual([]);
  });
});

test('no output of the stack is sensitive or a secret, and none is a cdktf cross-stack output', () => {
  const json = synthMonitoring('prod');
  expect(Object.keys(json.output).sort()).toEqual(['action_group_id', 'grafana_endpoint', 'monitor_workspace_id']);
  for (const output of Object.values<any>(json.output)) expect(output.sensitive).toBe(false);
});
