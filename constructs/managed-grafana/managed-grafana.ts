/**
 * Azure Managed Grafana on the Prometheus workspace. Sign-in is Entra ID only; who may do what is
 * Azure RBAC on the Grafana resource (Grafana Admin / Grafana Viewer for Entra groups). Grafana
 * reads the workspace with its system identity, which needs Monitoring Data Reader there
 * (learn.microsoft.com/azure/managed-grafana/how-to-connect-azure-monitor-workspace).
 */
import { Construct } from 'constructs';
import { DashboardGrafana } from '@cdktf/provider-azurerm/lib/dashboard-grafana';
import { grantRole } from '../core/role-assignment';

/**
 * Grafana major version at creation. azurerm 4.55 (pinned) accepts only 10 and 11; Azure has
 * since moved on to 12 and 13 and upgrades 11 in place (hashicorp/terraform-provider-azurerm#31653,
 * #32777). A newer provider is needed to create 12 directly (README: "Monitoring and alerts").
 */
export const GRAFANA_MAJOR_VERSION = '11';

export interface ManagedGrafanaProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly name: string;
  /** The Azure Monitor workspace Grafana gets as its Prometheus data source. */
  readonly monitorWorkspaceId: string;
  /** Entra groups with Grafana Admin. */
  readonly adminGroupObjectIds: readonly string[];
  /** Entra groups with Grafana Viewer. @default - none */
  readonly viewerGroupObjectIds?: readonly string[];
  /** Whether the endpoint is reachable from the internet (still behind Entra sign-in). @default true */
  readonly publicNetworkAccess?: boolean;
  /** @default false */
  readonly zoneRedundant?: boolean;
}

export class ManagedGrafana extends Construct {
  readonly grafana: DashboardGrafana;

  constructor(scope: Construct, id: string, props: ManagedGrafanaProps) {
    super(scope, id);
    if (props.adminGroupObjectIds.length === 0) throw new Error('ManagedGrafana: adminGroupObjectIds must name at least one group');

    this.grafana = new DashboardGrafana(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      grafanaMajorVersion: GRAFANA_MAJOR_VERSION,
      sku: 'Standard',
      identity: { type: 'SystemAssigned' },
      // Entra sign-in only: no API keys that outlive the person who made them.
      apiKeyEnabled: false,
      publicNetworkAccessEnabled: props.publicNetworkAccess ?? true,
      zoneRedundancyEnabled: props.zoneRedundant ?? false,
      azureMonitorWorkspaceIntegrations: [{ resourceId: props.monitorWorkspaceId }],
      // Azure upgrades a retiring major version in place; the pinned provider could then only try
      // to set it back, which Azure refuses. The version is chosen at creation only.
      lifecycle: { ignoreChanges: ['grafana_major_version'] },
    });

    grantRole(this, 'workspace-reader', {
      principalId: this.grafana.identity.principalId,
      role: 'Monitoring Data Reader',
      scope: props.monitorWorkspaceId,
      reason: 'Grafana queries the Prometheus metrics in the Azure Monitor workspace',
    });
    const groups = [
      ...props.adminGroupObjectIds.map((g) => ['admin', g, 'Grafana Admin'] as const),
      ...(props.viewerGroupObjectIds ?? []).map((g) => ['viewer', g, 'Grafana Viewer'] as const),
    ];
    for (const [kind, group, role] of groups) {
      grantRole(this, `${kind}-${group}`, {
        principalId: group,
        role,
        scope: this.grafana.id,
        reason: `Entra group ${kind === 'admin' ? 'managing' : 'reading'} the monitoring dashboards`,
        managedIdentity: false,
      });
    }
  }
}
