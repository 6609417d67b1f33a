/** The Log Analytics workspace that Container Insights writes the cluster's logs and metrics to. */
import { Construct } from 'constructs';
import { LogAnalyticsWorkspace as AzureLogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';

export interface LogAnalyticsWorkspaceProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly name: string;
  /** @default 30 */
  readonly retentionDays?: number;
}

export class LogAnalyticsWorkspace extends Construct {
  readonly workspace: AzureLogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: LogAnalyticsWorkspaceProps) {
    super(scope, id);
    this.workspace = new AzureLogAnalyticsWorkspace(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: props.retentionDays ?? 30,
      // Only Entra-authenticated agents (AKS uses managed identity) may write.
      localAuthenticationEnabled: false,
    });
  }
}
