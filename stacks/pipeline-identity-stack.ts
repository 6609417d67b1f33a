/**
 * pipeline-identity-<env>: the two identities GitHub Actions signs in as for one environment
 * (deploy and plan, constructs/pipeline-identity) and their roles. Built by the bootstrap app only
 * for an environment file with `delivery` set; its state lives beside the state storage's, at
 * bootstrap/pipeline-identity-<env>.tfstate. README: "Reviewing and shipping a change".
 *
 * One stack per environment, not part of state-storage-<account>: its grants name the
 * environment's resource groups, which must exist (with roleScope `resource-groups`), so one
 * environment's missing group cannot stop the state storage or another environment.
 */
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import type { PlatformConfig } from '../config/schema';
import { resourceNames, stateAuditWorkspaceName } from '../constructs/core/naming';
import { StateReadAlert } from '../constructs/alerts/state-read-alert';
import { grantRole, type RoleGrant } from '../constructs/core/role-assignment';
import { StateBackend, type AzureStateStorage, type StateBackendKind } from '../constructs/core/state-backend';
import { platformTags, TaggingAspect } from '../constructs/core/tagging';
import { GithubFederatedIdentity } from '../constructs/pipeline-identity/github-federated-identity';
import { ASSIGNABLE_BUILT_IN_ROLES } from '../constructs/core/built-in-roles';
import { DATA_DISK_ACTIONS } from '../constructs/kubernetes-cluster/data-disk-access';
import {
  githubSubjects,
  LOCK_ACTIONS,
  onlyTheseRoleAssignments,
  pipelineCustomRoleId,
  PLAN_READ_PERMISSIONS,
  pipelineScopes,
  stateBlobsOf,
  stateContainerId,
} from '../constructs/pipeline-identity/pipeline-access';
import { stateBackendFor } from './environment';

export interface PipelineIdentityStackProps {
  /** An environment file with `delivery` set. */
  readonly config: PlatformConfig;
  /** The state storage the environment's stacks use; the identities live in its resource group. */
  readonly storage: AzureStateStorage;
  readonly location: string;
  readonly backend: StateBackend;
}

type Grants = Record<string, Omit<RoleGrant, 'principalId'>>;

export class PipelineIdentityStack extends TerraformStack {
  readonly deploy: GithubFederatedIdentity;
  readonly plan: GithubFederatedIdentity;

  constructor(scope: Construct, props: PipelineIdentityStackProps) {
    const { config, storage } = props;
    const delivery = config.delivery;
    if (!delivery) throw new Error(`PipelineIdentityStack: ${config.environment} has no delivery section`);
    const environment = config.environment;
    const stackName = `pipeline-identity-${environment}`;
    super(scope, stackName);
    props.backend.attach(this, stackName);
    new AzurermProvider(this, 'azurerm', {
      ...(storage.subscriptionId ? { subscriptionId: storage.subscriptionId } : {}),
      features: [{}],
    });
    Aspects.of(this).add(new TaggingAspect(platformTags({ environment, workload: config.workload, extra: { ...config.tags, purpose: 'github-actions' } })));

    const client = new DataAzurermClientConfig(this, 'client-config');
    const names = resourceNames(config);
    const scopes = pipelineScopes(config, config.subscriptionId ?? client.subscriptionId);
    const container = stateContainerId(storage.subscriptionId ?? client.subscriptionId, storage);
    const subjects = githubSubjects(delivery.github, environment);
    const common = { resourceGroupName: storage.resourceGroupName, location: props.location };

    const deployGrants: Grants = {
      'state-blobs': {
        role: 'Storage Blob Data Contributor',
        scope: container,
        condition: stateBlobsOf(environment, ['read', 'write', 'add', 'delete']),
        reason: `Reads, writes and leases (locks) the ${environment}/ state blobs only`,
      },
      'kubernetes-admin': {
        role: 'Azure Kubernetes Service RBAC Cluster Admin',
        scope: scopes.cluster,
        reason: 'The application stack writes namespaces, volumes, Secrets and Helm releases in the cluster',
      },
      'key-vault-secrets': {
        role: 'Key Vault Secrets Officer',
        scope: scopes.cluster,
        reason: 'The application stack writes the generated passwords to the platform Key Vault',
      },
    };
    scopes.manage.forEach((scopeId, index) => {
      deployGrants[`contributor-${index}`] = { role: 'Contributor', scope: scopeId, reason: "Creates and changes the environment's resources (the cdktf stacks)" };
    });
    // The custom roles the stacks need, made here by the administrator who runs the bootstrap, so
    // the deploy identity never writes a role definition (that right is what made UAA escalate).
    new RoleDefinition(this, 'data-disk-operator', {
      roleDefinitionId: pipelineCustomRoleId(config, 'data-disk-operator'),
      name: `${names.kubernetesCluster} data disk operator (bootstrap)`,
      scope: scopes.cluster,
      description: 'Attach and grow Opik data disks (Azure Disk CSI driver); no delete. Assigned by the cluster stack to its control plane.',
      permissions: [{ actions: [...DATA_DISK_ACTIONS], notActions: [] }],
      // With subscription scope the main resource group may not exist yet at bootstrap.
      assignableScopes: [...(delivery.roleScope === 'subscription' ? scopes.manage : scopes.diskGroups)],
    });
    const lockRole = new RoleDefinition(this, 'locks', {
      roleDefinitionId: pipelineCustomRoleId(config, 'locks'),
      name: `${names.deployIdentity} locks`,
      scope: scopes.cluster,
      description: 'Create, read and remove the delete locks of the Opik stacks. Nothing else.',
      permissions: [{ actions: [...LOCK_ACTIONS], notActions: [] }],
      assignableScopes: [...scopes.manage],
    });
    const assignable = [...Object.values(ASSIGNABLE_BUILT_IN_ROLES), pipelineCustomRoleId(config, 'data-disk-operator')];
    [...scopes.manage, ...scopes.assignOnly].forEach((scopeId, index) => {
      deployGrants[`role-assignments-${index}`] = {
        role: 'Role Based Access Control Administrator',
        scope: scopeId,
        condition: onlyTheseRoleAssignments(assignable),
        reason: 'The role assignments the stacks create, of the roles they assign only (allow-list by role ID)',
      };
    });
    // Only where the cluster is: the one policy assignment the stacks make is on the cluster.
    deployGrants['policy-assignments'] = {
      role: 'Resource Policy Contributor',
      scope: scopes.cluster,
      reason: "The cluster stack assigns Azure Policy's pod security baseline initiative to the cluster (Contributor cannot write policy assignments)",
    };
    scopes.manage.forEach((scopeId, index) => {
      deployGrants[`locks-${index}`] = { roleDefinitionId: lockRole.roleDefinitionResourceId, scope: scopeId, reason: "The data disks' CanNotDelete locks" };
    });

    const planRole = new RoleDefinition(this, 'plan-reads', {
      name: `${names.planIdentity} reads`,
      scope: scopes.cluster,
      description: 'What a Terraform plan of the Opik stacks reads beyond Reader: cluster credentials and objects, Key Vault secret values, the workspace key. No writes.',
      permissions: [{ actions: [...PLAN_READ_PERMISSIONS.actions], notActions: [], dataActions: [...PLAN_READ_PERMISSIONS.dataActions], notDataActions: [] }],
      assignableScopes: [scopes.cluster],
    });
    const planGrants: Grants = {
      'state-blobs': {
        role: 'Storage Blob Data Reader',
        scope: container,
        condition: stateBlobsOf(environment, ['read']),
        reason: `Reads the ${environment}/ state blobs only; no lease, so plans run with -lock=false`,
      },
      'plan-reads': { roleDefinitionId: planRole.roleDefinitionResourceId, scope: scopes.cluster, reason: 'Refreshes the cluster objects, Key Vault secrets and workspace key a plan reads' },
    };
    [...scopes.manage, ...scopes.assignOnly].forEach((scopeId, index) => {
      planGrants[`reader-${index}`] = { role: 'Reader', scope: scopeId, reason: "Refreshes the environment's resources in a plan" };
    });

    this.deploy = new GithubFederatedIdentity(this, 'deploy', {
      ...common,
      name: names.deployIdentity,
      subjects: { [`github-environment-${environment}`]: subjects.environment },
      grants: deployGrants,
    });
    this.plan = new GithubFederatedIdentity(this, 'plan', {
      ...common,
      name: names.planIdentity,
      subjects: { [`github-environment-plan-${environment}`]: subjects.plan, [`github-environment-drift-${environment}`]: subjects.drift },
      grants: planGrants,
    });

    // The stacks look the deploy identity up by name (stacks/deployer.ts), in plans by either identity.
    for (const [reader, identity] of Object.entries({ deploy: this.deploy, plan: this.plan })) {
      grantRole(this, `${reader}-reads-deploy-identity`, {
        principalId: identity.identity.principalId,
        role: 'Reader',
        scope: this.deploy.identity.id,
        reason: 'The stacks read the deploy identity, the deployer they grant Key Vault secrets and app ownership to',
      });
    }

    // Who else reads this environment's state (the generated passwords) is seen within minutes.
    const subscriptionId = storage.subscriptionId ?? client.subscriptionId;
    new StateReadAlert(this, 'state-read-alert', {
      name: names.stateReadAlert,
      resourceGroupName: storage.resourceGroupName,
      location: props.location,
      auditWorkspaceId: `/subscriptions/${subscriptionId}/resourceGroups/${storage.resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${stateAuditWorkspaceName(storage.storageAccountName)}`,
      storageAccountName: storage.storageAccountName,
      containerName: storage.containerName,
      environment,
      allowedReaderObjectIds: [this.deploy.identity.principalId, this.plan.identity.principalId],
      email: config.monitoring.alerts.email,
      actionGroupName: names.stateReadActionGroup,
      actionGroupShortName: 'state-read',
    });

    const key = environment.toUpperCase();
    new TerraformOutput(this, 'deploy_client_id', { value: this.deploy.identity.clientId, description: `AZURE_CLIENT_ID of the GitHub environment ${environment}` });
    new TerraformOutput(this, 'plan_client_id', { value: this.plan.identity.clientId, description: `Repository variable AZURE_PLAN_CLIENT_ID_${key}` });
    new TerraformOutput(this, 'tenant_id', { value: client.tenantId, description: 'AZURE_TENANT_ID (repository and GitHub environment)' });
    new TerraformOutput(this, 'subscription_id', {
      value: config.subscriptionId ?? client.subscriptionId,
      description: `AZURE_SUBSCRIPTION_ID of the GitHub environment ${environment}, and repository variable AZURE_SUBSCRIPTION_ID_${key}`,
    });
  }
}

/** One pipeline-identity stack per environment file that has `delivery`; `kind` is where its own state lives. */
export function buildPipelineIdentityStacks(scope: Construct, configs: readonly PlatformConfig[], kind: StateBackendKind): PipelineIdentityStack[] {
  return configs
    .filter((config) => config.delivery !== undefined)
    .map((config) => {
      const storage = stateBackendFor(config, 'azurerm').props.azure;
      return new PipelineIdentityStack(scope, {
        config,
        storage,
        location: config.state.location ?? config.location,
        backend: new StateBackend({ kind, environment: 'bootstrap', azure: storage }),
      });
    });
}
