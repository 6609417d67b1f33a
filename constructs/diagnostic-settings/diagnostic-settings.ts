/**
 * Diagnostic settings that send a resource's logs and platform metrics to a Log Analytics
 * workspace. Log selections are written out per resource type rather than read from Azure
 * (the azurerm_monitor_diagnostic_categories data source would call Azure at plan time).
 */
import { Construct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';

/**
 * What each resource type sends. Category groups where the type supports them (`allLogs` covers
 * categories Azure adds later); per resource type, from Azure's "Supported categories for Azure
 * Monitor resource logs" (learn.microsoft.com/azure/azure-monitor/reference/logs-index).
 */
export const DIAGNOSTIC_LOGS = {
  /** Access, performance and WAF firewall logs. */
  applicationGateway: { categoryGroups: ['allLogs'] },
  /** AuditEvent (every secret read and write) and policy evaluations. */
  keyVault: { categoryGroups: ['allLogs'] },
  /** Repository events (push, pull, delete) and login events. */
  containerRegistry: { categoryGroups: ['allLogs'] },
} as const satisfies Record<string, { readonly categoryGroups: readonly string[] }>;
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
        enabledLog: DIAGNOSTIC_LOGS[target].categoryGroups.map((categoryGroup) => ({ categoryGroup })),
        enabledMetric: [{ category: 'AllMetrics' }],
      });
    }
    this.settings = settings;
  }
}
