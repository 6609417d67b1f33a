/**
 * What the GitHub Actions identities of one environment may do, and from which workflows: pure
 * functions of the environment file, so the tests read them without synthesizing anything.
 *
 * Two identities per environment (README: "Reviewing and shipping a change"):
 * - deploy: trusted only by jobs in the GitHub environment `<env>` (deploy.yml, behind its
 *   protection rules). Contributor, Role Based Access Control Administrator limited to the roles
 *   the stacks assign, and a custom role for delete locks where the stacks create resources, Kubernetes and Key Vault data access on the cluster's resource group, and
 *   read/write/lease of this environment's state blobs only.
 * - plan: trusted only by jobs in the GitHub environments `plan-<env>` (pull-request plans; for
 *   prod, behind required reviewers) and `drift-<env>` (the nightly drift check; main only). Reads only: Reader,
 *   a custom role with the few read actions Reader lacks (cluster credentials and objects,
 *   Key Vault secret values, the workspace key), and read of this environment's state blobs
 *   without a lease, so its plans run with -lock=false.
 */
import { createHash } from 'crypto';
import type { PlatformConfig } from '../../config/schema';
import { resourceNames } from '../core/naming';

/** GitHub's OIDC issuer (the audience Entra ID expects is constructs/managed-identity's). */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * ABAC condition on Role Based Access Control Administrator (Microsoft's "constrain roles"
 * pattern): role assignments may be created and deleted only for the role definitions given, by
 * GUID. RBAC Administrator cannot write role definitions, policies or locks, so, unlike User
 * Access Administrator with a deny-list, it cannot make a `*` role and hand that out.
 */
export function onlyTheseRoleAssignments(roleDefinitionIds: readonly string[]): string {
  const ids = [...roleDefinitionIds].sort().join(', ');
  return [
    '(',
    " ( !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}) )",
    ' OR',
    ` ( @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}} )`,
    ')',
    'AND',
    '(',
    " ( !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}) )",
    ' OR',
    ` ( @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}} )`,
    ')',
  ].join('\n');
}

/**
 * The custom roles an administrator creates once, in pipeline-identity-<env>, so that the deploy
 * identity never writes a role definition: fixed GUIDs, derived from the environment's names, so
 * the cluster stack can name the disk role without reading the bootstrap's state.
 */
export function pipelineCustomRoleId(config: PlatformConfig, purpose: 'data-disk-operator' | 'locks'): string {
  const names = resourceNames(config);
  const hex = createHash('sha256').update(`opik-on-aks/${names.resourceGroup}/${purpose}`).digest('hex');
  // RFC 4122 shape (version 5 nibble, variant bits): Azure takes any GUID; this keeps it well-formed.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What the deploy identity does with a delete lock: the data-disks stack's CanNotDelete locks. */
export const LOCK_ACTIONS = ['Microsoft.Authorization/locks/read', 'Microsoft.Authorization/locks/write', 'Microsoft.Authorization/locks/delete'] as const;

const BLOB_ACTIONS = {
  read: "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'}",
  write: "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}",
  add: "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'}",
  delete: "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}",
} as const;

/**
 * ABAC condition on a Storage Blob Data role: the blob actions given reach only blobs under
 * `<environment>/` (this environment's `<env>/<stack>.tfstate`). Several environments share one
 * container, and a state file holds every generated password: dev's pipeline must not read prod's.
 * Listing blobs stays allowed (Terraform lists the container at init).
 */
export function stateBlobsOf(environment: string, actions: readonly (keyof typeof BLOB_ACTIONS)[]): string {
  return [
    '(',
    ' (',
    actions.map((action) => `  !(${BLOB_ACTIONS[action]})`).join('\n  AND\n'),
    ' )',
    ' OR',
    ` ( @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '${environment}/' )`,
    ')',
  ].join('\n');
}

/**
 * What a plan reads that Reader does not cover: cluster user credentials (the kube_config the
 * stacks read to reach the API server) and the Log Analytics shared key (read back by the
 * provider); as data actions, every Kubernetes object including Secrets (the Kubernetes and Helm
 * providers refresh Secrets and Helm release records) and Key Vault secret values (refresh of the
 * generated passwords). Nothing here writes.
 */
export const PLAN_READ_PERMISSIONS = {
  actions: ['Microsoft.ContainerService/managedClusters/listClusterUserCredential/action', 'Microsoft.OperationalInsights/workspaces/sharedKeys/action'],
  dataActions: [
    'Microsoft.ContainerService/managedClusters/*/read',
    'Microsoft.KeyVault/vaults/secrets/getSecret/action',
    'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  ],
} as const;

/** The GitHub environment that pull-request plans of `<env>` enter: their own, so prod's can require approval. */
export const planEnvironmentOf = (environment: string) => `plan-${environment}`;
/** The GitHub environment of the nightly drift check of `<env>`: main only (branch policy), no reviewers. */
export const driftEnvironmentOf = (environment: string) => `drift-${environment}`;

/**
 * The OIDC subjects GitHub puts in its tokens, for the federated credentials. Each identity trusts
 * one GitHub environment and nothing else: a subject of `pull_request` or a branch would hand the
 * identity to any workflow code a branch brings, with no approval and no branch policy in between.
 */
export function githubSubjects(github: NonNullable<PlatformConfig['delivery']>['github'], environment: string) {
  const repository = `repo:${github.owner}/${github.repository}`;
  return {
    /** Jobs with `environment: <env>` (deploy.yml's apply jobs; main only, by branch policy). */
    environment: `${repository}:environment:${environment}`,
    /** Jobs with `environment: plan-<env>` (pull-request.yml's plans; plan-prod has required reviewers). */
    plan: `${repository}:environment:${planEnvironmentOf(environment)}`,
    /** Jobs with `environment: drift-<env>` (drift.yml; its branch policy admits main only). */
    drift: `${repository}:environment:${driftEnvironmentOf(environment)}`,
  };
}

export interface PipelineScopes {
  /** Where the stacks create and change resources: Contributor, RBAC Administrator (allow-list) and the lock role (deploy), Reader (plan). */
  readonly manage: readonly string[];
  /** Where the stacks only assign a role (the Azure DNS zone): RBAC Administrator (allow-list) (deploy), Reader (plan). */
  readonly assignOnly: readonly string[];
  /** Where the cluster and the Key Vault live: their data-plane roles. */
  readonly cluster: string;
  /** Where the data disks live (the main group and those of adopted disks): the disk role's scopes. */
  readonly diskGroups: readonly string[];
}

const RESOURCE_GROUP_OF = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)\//i;

/**
 * The scopes of one environment's grants. `subscriptionId` is the environment's subscription
 * (config.subscriptionId, else the bootstrap's own, usually a Terraform reference).
 */
export function pipelineScopes(config: PlatformConfig, subscriptionId: string): PipelineScopes {
  const names = resourceNames(config);
  const subscription = `/subscriptions/${subscriptionId}`;
  const mainGroup = `${subscription}/resourceGroups/${names.resourceGroup}`;
  // Adopted disks stay in the resource groups the script made: the data-disks stack locks them there.
  const adopted = Object.values(config.dataDisks.existingDiskIds).map((id) => RESOURCE_GROUP_OF.exec(id!)![1]);
  const groups = [mainGroup, ...(config.dataDisks.backup.enabled ? [`${subscription}/resourceGroups/${names.snapshotResourceGroup}`] : []), ...adopted];
  const manage = config.delivery?.roleScope === 'subscription' ? [subscription, ...adopted] : groups;
  const dns = config.application.dns;
  return {
    manage: unique(manage),
    assignOnly: dns?.provider === 'azure' ? [dns.zoneId] : [],
    cluster: config.delivery?.roleScope === 'subscription' ? subscription : mainGroup,
    diskGroups: unique([mainGroup, ...adopted]),
  };
}

/** Azure resource IDs are case-insensitive: keep the first spelling of each. */
function unique(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The state container's resource ID, the scope of the Storage Blob Data roles. */
export function stateContainerId(subscriptionId: string, storage: { resourceGroupName: string; storageAccountName: string; containerName: string }): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${storage.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${storage.storageAccountName}/blobServices/default/containers/${storage.containerName}`;
}
