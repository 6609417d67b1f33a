/**
 * Azure Monitor managed Prometheus for one AKS cluster, as Azure documents it for Terraform
 * (learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable, "Terraform"):
 * an Azure Monitor workspace, a data collection endpoint and rule that send the cluster's
 * Microsoft-PrometheusMetrics stream to the workspace, the rule's and the endpoint's associations
 * with the cluster, and the recording rule groups the Grafana dashboards read. The metrics add-on
 * itself is the cluster's `monitor_metrics` block (constructs/kubernetes-cluster), switched by the
 * same config.
 */
import { Construct } from 'constructs';
import { MonitorAlertPrometheusRuleGroup } from '@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group';
import { MonitorDataCollectionEndpoint } from '@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorWorkspace } from '@cdktf/provider-azurerm/lib/monitor-workspace';
import { KUBERNETES_RECORDING_RULES, NODE_RECORDING_RULES, type RecordingRule } from './recording-rules';

export interface ManagedPrometheusProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly workspaceName: string;
  readonly endpointName: string;
  readonly ruleName: string;
  readonly associationName: string;
  /** Names a rule group from what it holds (`node-recording`, `kubernetes-recording`). */
  readonly ruleGroupName: (kind: string) => string;
  /** The AKS cluster whose metrics are collected. */
  readonly clusterId: string;
  /** The cluster's name: recording rules evaluate only that cluster's series. */
  readonly clusterName: string;
}

const STREAM = 'Microsoft-PrometheusMetrics';
const DESTINATION = 'monitor-workspace';

export class ManagedPrometheus extends Construct {
  readonly workspace: MonitorWorkspace;

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.workspace = new MonitorWorkspace(this, 'Resource', { ...common, name: props.workspaceName });
    const endpoint = new MonitorDataCollectionEndpoint(this, 'endpoint', { ...common, name: props.endpointName, kind: 'Linux' });
    const rule = new MonitorDataCollectionRule(this, 'collection-rule', {
      ...common,
      name: props.ruleName,
      kind: 'Linux',
      description: 'Sends the AKS metrics add-on\'s Prometheus metrics to the Azure Monitor workspace',
      dataCollectionEndpointId: endpoint.id,
      destinations: { monitorAccount: [{ monitorAccountId: this.workspace.id, name: DESTINATION }] },
      dataFlow: [{ streams: [STREAM], destinations: [DESTINATION] }],
      dataSources: { prometheusForwarder: [{ name: 'PrometheusDataSource', streams: [STREAM] }] },
    });
    new MonitorDataCollectionRuleAssociation(this, 'cluster-association', {
      name: props.associationName,
      targetResourceId: props.clusterId,
      dataCollectionRuleId: rule.id,
      description: 'Deleting this association stops Prometheus metrics collection for the cluster',
    });
    // The endpoint's own association (Azure names it configurationAccessEndpoint): where the
    // add-on fetches its configuration, as in Azure's Terraform template; needed once the
    // endpoint is reached through private link.
    new MonitorDataCollectionRuleAssociation(this, 'endpoint-association', {
      targetResourceId: props.clusterId,
      dataCollectionEndpointId: endpoint.id,
      description: 'Where the cluster\'s metrics add-on reads its collection configuration',
    });

    this.recordingRules('node-recording', NODE_RECORDING_RULES, props, common);
    this.recordingRules('kubernetes-recording', KUBERNETES_RECORDING_RULES, props, common);
  }

  private recordingRules(
    kind: string,
    rules: readonly RecordingRule[],
    props: ManagedPrometheusProps,
    common: { resourceGroupName: string; location: string },
  ): MonitorAlertPrometheusRuleGroup {
    return new MonitorAlertPrometheusRuleGroup(this, kind, {
      ...common,
      name: props.ruleGroupName(kind),
      description: `Recording rules (${kind}) the Grafana dashboards query`,
      clusterName: props.clusterName,
      ruleGroupEnabled: true,
      interval: 'PT1M',
      scopes: [this.workspace.id, props.clusterId],
      rule: rules.map((r) => ({ record: r.record, expression: r.expression, enabled: true })),
    });
  }
}
