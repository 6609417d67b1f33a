/**
 * monitoring-<env>: managed Prometheus for the cluster, Managed Grafana on it, alert rules that
 * e-mail the team, and diagnostic settings that send the gateway's, Key Vault's and registry's
 * logs to the cluster's Log Analytics workspace. Each part follows its switch in `monitoring:`;
 * the stack exists when any part is on. It holds no data anyone would miss: destroying it stops
 * collection and alerting, and the metrics already stored go with the workspace.
 */
import { Construct } from 'constructs';
import { monitoringParts } from '../config/monitoring-parts';
import { Alerts } from '../constructs/alerts/alerts';
import { CERT_MANAGER_NAMESPACE } from '../constructs/cert-manager/cert-manager';
import { DiagnosticSettings } from '../constructs/diagnostic-settings/diagnostic-settings';
import { ClusterConnection } from '../constructs/kubernetes-access/cluster-connection';
import { ManagedGrafana } from '../constructs/managed-grafana/managed-grafana';
import { ManagedPrometheus } from '../constructs/managed-prometheus/managed-prometheus';
import { PrometheusScrapeSettings } from '../constructs/managed-prometheus/scrape-settings';
import { DATABASE_WORKLOADS } from '../constructs/opik/chart-contract';
import type { ClusterAndRegistryStack } from './cluster-and-registry-stack';
import type { NetworkStack } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

export const MONITORING_OUTPUTS = ['monitor_workspace_id', 'grafana_endpoint', 'action_group_id'] as const;
export type MonitoringOutput = (typeof MONITORING_OUTPUTS)[number];

export interface MonitoringStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterAndRegistryStack;
}

export class MonitoringStack extends PlatformStack<MonitoringOutput> {
  constructor(scope: Construct, props: MonitoringStackProps) {
    super(scope, 'monitoring', props);
    const { config, names } = this;
    const monitoring = config.monitoring;
    const parts = monitoringParts(monitoring);
    const network = this.readOutputsOf(props.network);
    const cluster = this.readOutputsOf(props.cluster);
    const resourceGroupName = network.getString('resource_group_name');
    const common = { resourceGroupName, location: config.location };
    const clusterId = cluster.getString('cluster_id');
    const clusterName = cluster.getString('cluster_name');

    const prometheus = parts.prometheus
      ? new ManagedPrometheus(this, 'managed-prometheus', {
          ...common,
          workspaceName: names.monitorWorkspace,
          endpointName: names.dataCollectionEndpoint,
          ruleName: names.prometheusDataCollectionRule,
          associationName: names.prometheusDataCollectionRuleAssociation,
          ruleGroupName: names.prometheusRuleGroup,
          clusterId,
          clusterName,
        })
      : undefined;

    if (parts.grafana && prometheus) {
      const grafana = new ManagedGrafana(this, 'managed-grafana', {
        ...common,
        name: names.grafana,
        monitorWorkspaceId: prometheus.workspace.id,
        adminGroupObjectIds: monitoring.grafana.adminGroupObjectIds,
        viewerGroupObjectIds: monitoring.grafana.viewerGroupObjectIds,
        publicNetworkAccess: monitoring.grafana.publicNetworkAccess,
        zoneRedundant: monitoring.grafana.zoneRedundant,
      });
      this.output('grafana_endpoint', { value: grafana.grafana.endpoint, description: 'Grafana URL (Entra sign-in)' });
    }

    // Certificates exist only with autoSsl; their metrics need cert-manager's pods scraped.
    const certificates = config.application.autoSsl;
    if (parts.alerts && monitoring.alerts.email) {
      const thresholds = monitoring.alerts.thresholds;
      const alerts = new Alerts(this, 'alerts', {
        ...common,
        actionGroupName: names.actionGroup,
        actionGroupShortName: names.actionGroupShortName,
        email: monitoring.alerts.email,
        cluster:
          parts.clusterAlerts && prometheus
            ? {
                ruleGroupName: names.prometheusRuleGroup('cluster-alerts'),
                clusterId,
                clusterName,
                monitorWorkspaceId: prometheus.workspace.id,
                thresholds,
                opikNamespace: config.application.namespace,
                databaseWorkloads: Object.values(DATABASE_WORKLOADS),
                certificates,
              }
            : undefined,
        gateway: parts.gatewayAlerts
          ? { applicationGatewayId: network.getString('application_gateway_id'), alertName: names.metricAlert, fiveXxCount: thresholds.gateway5xxCount }
          : undefined,
      });
      this.output('action_group_id', { value: alerts.actionGroup.id, description: 'Action group that e-mails the alerts; other rules may reuse it' });
      if (parts.clusterAlerts && prometheus && certificates) {
        new ClusterConnection(this, 'cluster-connection', { clusterName, resourceGroupName });
        new PrometheusScrapeSettings(this, 'scrape-settings', { annotatedPodNamespaces: [CERT_MANAGER_NAMESPACE] });
      }
    }

    if (parts.diagnostics) {
      new DiagnosticSettings(this, 'diagnostic-settings', {
        name: names.diagnosticSetting,
        logAnalyticsWorkspaceId: cluster.getString('log_analytics_workspace_id'),
        targets: {
          applicationGateway: network.getString('application_gateway_id'),
          keyVault: cluster.getString('key_vault_id'),
          containerRegistry: cluster.getString('container_registry_id'),
          kubernetesCluster: cluster.getString('cluster_id'),
        },
      });
    }

    if (prometheus) this.output('monitor_workspace_id', { value: prometheus.workspace.id, description: 'Azure Monitor workspace holding the Prometheus metrics' });
  }
}
