/**
 * An alert on every read of one environment's Terraform state by anyone but the identities that
 * are meant to read it (the pipeline's deploy and plan identities). The state holds the generated
 * passwords; a person reading production's state is either break-glass or a leak, and both should
 * be seen within minutes. Reads are the state account's StorageRead logs (StorageBlobLogs), which
 * the state-storage stack sends to its audit workspace.
 */
import { Construct } from 'constructs';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';

export interface StateReadAlertProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** The state account's audit workspace (it holds StorageBlobLogs). */
  readonly auditWorkspaceId: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  /** The environment whose `<env>/` blobs are watched. */
  readonly environment: string;
  /** Object IDs allowed to read without an alert. */
  readonly allowedReaderObjectIds: readonly string[];
  /** Who is told; absent: the alert fires in the portal only. */
  readonly email?: string;
  readonly actionGroupName: string;
  readonly actionGroupShortName: string;
}

/** The query the alert runs; exported for tests. Object IDs are references, quoted as KQL strings. */
export function stateReadQuery(props: Pick<StateReadAlertProps, 'storageAccountName' | 'containerName' | 'environment' | 'allowedReaderObjectIds'>): string {
  const allowed = props.allowedReaderObjectIds.map((id) => `"${id}"`).join(', ');
  return [
    'StorageBlobLogs',
    `| where AccountName == "${props.storageAccountName}" and OperationName == "GetBlob"`,
    `| where ObjectKey startswith "/${props.storageAccountName}/${props.containerName}/${props.environment}/"`,
    `| where RequesterObjectId !in (${allowed})`,
    '| project TimeGenerated, RequesterObjectId, RequesterUpn, CallerIpAddress, ObjectKey',
  ].join('\n');
}

export class StateReadAlert extends Construct {
  readonly alert: MonitorScheduledQueryRulesAlertV2;

  constructor(scope: Construct, id: string, props: StateReadAlertProps) {
    super(scope, id);
    const actionGroup = props.email
      ? new MonitorActionGroup(this, 'action-group', {
          name: props.actionGroupName,
          resourceGroupName: props.resourceGroupName,
          location: 'global',
          shortName: props.actionGroupShortName,
          emailReceiver: [{ name: 'team', emailAddress: props.email, useCommonAlertSchema: true }],
        })
      : undefined;
    this.alert = new MonitorScheduledQueryRulesAlertV2(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      description: `A read of the ${props.environment}/ Terraform state (it holds generated passwords) by an identity other than the pipeline's`,
      scopes: [props.auditWorkspaceId],
      severity: 1,
      evaluationFrequency: 'PT5M',
      windowDuration: 'PT5M',
      criteria: [{ query: stateReadQuery(props), timeAggregationMethod: 'Count', operator: 'GreaterThan', threshold: 0 }],
      ...(actionGroup ? { action: { actionGroups: [actionGroup.id] } } : {}),
      autoMitigationEnabled: false,
    });
  }
}
