/**
 * Application Insights for one service: a workspace-based component that keeps its data in the
 * cluster's Log Analytics workspace (one place for logs, retention and access). Its connection
 * string is copied into the platform's Key Vault, from where the service reads it like any of its
 * secrets (a file from the CSI driver); it never appears in a ConfigMap, an output or the
 * synthesized JSON. Local authentication stays on: the SDKs send telemetry with the connection
 * string alone, and Entra-only ingestion would need every service to obtain tokens itself.
 */
import { Construct } from 'constructs';
import { ApplicationInsights as AzureApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';

export interface ApplicationInsightsProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The Log Analytics workspace the telemetry is stored in (cluster stack output). */
  readonly workspaceId: string;
  readonly keyVaultId: string;
  /** Key Vault secret that receives the connection string. */
  readonly secretName: string;
  /** @default - the workspace's retention */
  readonly retentionDays?: number;
}

export class ApplicationInsights extends Construct {
  readonly component: AzureApplicationInsights;
  readonly connectionStringSecret: KeyVaultSecret;

  constructor(scope: Construct, id: string, props: ApplicationInsightsProps) {
    super(scope, id);
    this.component = new AzureApplicationInsights(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      applicationType: 'web',
      workspaceId: props.workspaceId,
      ...(props.retentionDays ? { retentionInDays: props.retentionDays } : {}),
    });
    this.connectionStringSecret = new KeyVaultSecret(this, 'connection-string', {
      name: props.secretName,
      keyVaultId: props.keyVaultId,
      value: this.component.connectionString,
      contentType: 'text/plain; Application Insights connection string, written by Terraform',
    });
  }
}
