/**
 * Diagnostic settings that send a resource's logs and platform metrics to a Log Analytics
 * workspace. Categories are written out per resource type rather than read from Azure (the
 * azurerm_monitor_diagnostic_categories data source would call Azure at plan time).
 */
import { Construct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';

/**
 * The log categories each resource type sends, by name, as Azure lists them per type
 * (learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index). Named rather than
 * `allLogs`: a category Azure adds later then costs nothing until someone adds it here.
 */
export const DIAGNOSTIC_LOGS = {
  /** Every request, the gateway's throughput, and what the WAF matched or blocked. */
  applicationGateway: ['ApplicationGatewayAccessLog', 'ApplicationGatewayPerformanceLog', 'ApplicationGatewayFirewallLog'],
  /** Every secret read and write, and Azure Policy evaluations of the vault. */
  keyVault: ['AuditEvent', 'AzurePolicyEvaluationDetails'],
  /** Pushes, pulls and deletes, and every login to the registry. */
  containerRegistry: ['ContainerRegistryRepositoryEvents', 'ContainerRegistryLoginEvents'],
  /**
   * Who changed what in the API server (`kube-audit-admin`: every request but get and list, which
   * keeps the volume a fraction of `kube-audit`'s) and every Entra ID sign-in to it (`guard`).
   */
  kubernetesCluster: ['kube-audit-admin', 'guard'],
} as const satisfies Record<string, readonly string[]>;
export type DiagnosticTarget = keyof typeof DIAGNOSTIC_LOGS;

export interface DiagnosticSettingsProps {
  /** The setting's name; Azure keeps names unique per resource. */
  readonly name: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Resource IDs by kind. */
  readonly targets: Readonly<Partial<Record<DiagnosticTarget, string>>>;
}

export class DiagnosticSettings extends Construct {
  readonly settings: Readonly<Partial<Record<DiagnosticTarget, MonitorDiagnosticSetting>>>;

  constructor(scope: Construct, id: string, props: DiagnosticSettingsProps) {
    super(scope, id);
    const settings: Partial<Record<DiagnosticTarget, MonitorDiagnosticSetting>> = {};
    for (const target of Object.keys(DIAGNOSTIC_LOGS).sort() as DiagnosticTarget[]) {
      const resourceId = props.targets[target];
      if (resourceId === undefined) continue;
      settings[target] = new MonitorDiagnosticSetting(this, target, {
        name: props.name,
        targetResourceId: resourceId,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
        enabledLog: DIAGNOSTIC_LOGS[target].map((category) => ({ category })),
        enabledMetric: [{ category: 'AllMetrics' }],
      });
    }
    this.settings = settings;
  }
}
