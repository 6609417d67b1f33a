/**
 * One action group that e-mails the team, the alert rules on the cluster's Prometheus metrics
 * (a Prometheus rule group evaluated against the Azure Monitor workspace, scoped to the cluster),
 * and Azure metric alerts on the Application Gateway.
 */
import { Construct } from 'constructs';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorAlertPrometheusRuleGroup } from '@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { clusterAlertRules, type ClusterAlertInput } from './cluster-alert-rules';

export interface ClusterAlertsProps extends ClusterAlertInput {
  readonly ruleGroupName: string;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly monitorWorkspaceId: string;
}

export interface GatewayAlertsProps {
  readonly applicationGatewayId: string;
  /** Names a metric alert from what it watches (`agw-5xx`, `agw-unhealthy-backends`). */
  readonly alertName: (kind: string) => string;
  /** 5xx responses within 5 minutes that fire the alert. */
  readonly fiveXxCount: number;
}

export interface AlertsProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly actionGroupName: string;
  /** The sender name in the e-mails (12 characters at most). */
  readonly actionGroupShortName: string;
  readonly email: string;
  /** @default - no alerts on cluster metrics */
  readonly cluster?: ClusterAlertsProps;
  /** @default - no alerts on the gateway */
  readonly gateway?: GatewayAlertsProps;
}

export class Alerts extends Construct {
  readonly actionGroup: MonitorActionGroup;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.actionGroup = new MonitorActionGroup(this, 'Resource', {
      name: props.actionGroupName,
      resourceGroupName: props.resourceGroupName,
      // Action groups are global; Azure stores them in `global` whatever region the rest uses.
      location: 'global',
      shortName: props.actionGroupShortName,
      emailReceiver: [{ name: 'team', emailAddress: props.email, useCommonAlertSchema: true }],
    });
    if (props.cluster) this.clusterAlerts(props, props.cluster);
    if (props.gateway) this.gatewayAlerts(props, props.gateway);
  }

  private clusterAlerts(props: AlertsProps, cluster: ClusterAlertsProps): void {
    new MonitorAlertPrometheusRuleGroup(this, 'cluster', {
      name: cluster.ruleGroupName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      description: 'Alerts on the AKS cluster, its volumes and the Opik databases',
      clusterName: cluster.clusterName,
      ruleGroupEnabled: true,
      interval: 'PT1M',
      scopes: [cluster.monitorWorkspaceId, cluster.clusterId],
      rule: clusterAlertRules(cluster).map((r) => ({
        alert: r.alert,
        expression: r.expression,
        for: r.for,
        severity: r.severity,
        enabled: true,
        annotations: { summary: r.summary },
        action: [{ actionGroupId: this.actionGroup.id }],
        alertResolution: { autoResolved: true, timeToResolve: 'PT10M' },
      })),
    });
  }

  private gatewayAlerts(props: AlertsProps, gateway: GatewayAlertsProps): void {
    const common = {
      resourceGroupName: props.resourceGroupName,
      scopes: [gateway.applicationGatewayId],
      frequency: 'PT1M',
      windowSize: 'PT5M',
      action: [{ actionGroupId: this.actionGroup.id }],
    };
    const namespace = 'Microsoft.Network/applicationGateways';
    new MonitorMetricAlert(this, 'gateway-5xx', {
      ...common,
      name: gateway.alertName('agw-5xx'),
      description: `More than ${gateway.fiveXxCount} 5xx responses from the Application Gateway in 5 minutes`,
      severity: 1,
      criteria: [
        {
          metricNamespace: namespace,
          metricName: 'ResponseStatus',
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold: gateway.fiveXxCount,
          dimension: [{ name: 'HttpStatusGroup', operator: 'Include', values: ['5xx'] }],
        },
      ],
    });
    new MonitorMetricAlert(this, 'gateway-unhealthy-backends', {
      ...common,
      name: gateway.alertName('agw-unhealthy-backends'),
      description: 'The Application Gateway found unhealthy backend hosts (average over 5 minutes above 0)',
      severity: 1,
      criteria: [
        {
          metricNamespace: namespace,
          metricName: 'UnhealthyHostCount',
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: 0,
        },
      ],
    });
  }
}
