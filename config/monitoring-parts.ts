/**
 * Which parts of `monitoring:` are on, with the two switches that follow from other fields:
 * Grafana is on when it has a group to let in, alerts when they have an address to e-mail.
 * Stacks and rules both read this, so "on" means the same everywhere.
 */
import type { MonitoringConfig } from './schema';

export interface MonitoringParts {
  readonly prometheus: boolean;
  readonly grafana: boolean;
  readonly alerts: boolean;
  /** Alerts on Prometheus metrics (need the Prometheus workspace). */
  readonly clusterAlerts: boolean;
  /** Metric alerts on the Application Gateway. */
  readonly gatewayAlerts: boolean;
  readonly diagnostics: boolean;
}

export function monitoringParts(monitoring: MonitoringConfig): MonitoringParts {
  const grafanaGroups = monitoring.grafana.adminGroupObjectIds.length + monitoring.grafana.viewerGroupObjectIds.length;
  const alerts = monitoring.alerts.enabled ?? monitoring.alerts.email !== undefined;
  return {
    prometheus: monitoring.prometheus.enabled,
    grafana: monitoring.grafana.enabled ?? grafanaGroups > 0,
    alerts,
    clusterAlerts: alerts && monitoring.alerts.cluster,
    gatewayAlerts: alerts && monitoring.alerts.gateway,
    diagnostics: monitoring.diagnostics.enabled,
  };
}

/** Whether the environment gets a monitoring-<env> stack at all. */
export function anyMonitoring(parts: MonitoringParts): boolean {
  return parts.prometheus || parts.grafana || parts.alerts || parts.diagnostics;
}
