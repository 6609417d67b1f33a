/**
 * The GitHub Actions identities (bootstrap app, pipeline-identity-<env>): only configured
 * environments get them, each trusts only its own workflows, the plan identity cannot write, and
 * neither can hand out Owner or read another environment's state.
 */
import { Testing } from 'cdktf';
import { ConfigError, validateEnvironment } from '../config/load';
import type { PlatformConfig } from '../config/schema';
import { PRIVILEGED_ROLE_IDS, pipelineScopes } from '../constructs/pipeline-identity/pipeline-access';
import { pipelineIdentityResourceGroup } from '../stacks/deployer';
import { stateBackendFor } from '../stacks/environment';
import { buildPipelineIdentityStacks, type PipelineIdentityStack } from '../stacks/pipeline-identity-stack';
import { buildStacks, cloneConfig, ENVIRONMENT_NAMES, loadCommittedConfig, resourcesOf, synthStack, type StackJson } from './helpers';

const GITHUB = { owner: 'acme', repository: 'opik-infra' };

function withDelivery(environment: string, change: (config: PlatformConfig) => void = () => {}): PlatformConfig {
  const config = cloneConfig(loadCommittedConfig(environment));
  config.delivery = { github: GITHUB, roleScope: 'resource-groups' };
  change(config);
  return config;
}

function synthesize(config: PlatformConfig, kind: 'local' | 'azurerm' = 'azurerm'): { stack: PipelineIdentityStack; json: StackJson } {
  const [stack] = buildPipelineIdentityStacks(Testing.app(), [config], kind);
  return { stack, json: synthStack(stack) };
}

/** Role assignments of one identity ('deploy' or 'plan'), by the construct path in their address. */
function grantsOf(json: StackJson, identity: 'deploy' | 'plan'): Record<string, any>[] {
  return Object.entries<Record<string, any>>(json.resource.azurerm_role_assignment)
    .filter(([address]) => address.startsWith(`${identity}_`))
    .map(([, grant]) => grant);
}

const prod = synthesize(withDelivery('prod')).json;

describe('delivery in the environment file', () => {
  test('is optional: no committed environment has it, so the bootstrap app adds no stack', () => {
    const configs = ENVIRONMENT_NAMES.map(loadCommittedConfig);
    expect(configs.map((c) => c.delivery)).toEqual([undefined, undefined, undefined]);
    expect(buildPipelineIdentityStacks(Testing.app(), configs, 'local')).toEqual([]);
  });

  test('defaults roleScope to resource-groups', () => {
    const document = { ...JSON.parse(JSON.stringify(loadCommittedConfig('dev'))), delivery: { github: GITHUB } };
    expect(validateEnvironment(document, 'config/environments/dev.yaml').delivery).toEqual({ github: GITHUB, roleScope: 'resource-groups' });
  });

  test.each([
    ['delivery.github.owner', { owner: 'acme/x', repository: 'r' }, /GitHub user or organisation/],
    ['delivery.github.repository', { owner: 'acme', repository: 'a b' }, /GitHub repository name/],
    ['delivery.github.repository', { owner: 'acme' }, /expected string/i],
  ])('fails if %s is not GitHub\'s (%j)', (path, github, rule) => {
    const document = { ...JSON.parse(JSON.stringify(loadCommittedConfig('dev'))), delivery: { github } };
    let problems: string[] = [];
    try {
      validateEnvironment(document, 'config/environments/dev.yaml');
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.message.split('\n');
    }
    const match = problems.find((p) => p.startsWith(`config/environments/dev.yaml: ${path}: `));
    expect(match).toMatch(rule);
  });
});

describe('pipeline-identity-<env>', () => {
  test('two identities in the state storage resource group, named by the naming module', () => {
    const identities = resourcesOf(prod, 'azurerm_user_assigned_identity');
    expect(identities.map((i) => i.name).sort()).toEqual(['id-opik-prod-weu-deploy', 'id-opik-prod-weu-plan']);
    expect(identities.every((i) => i.resource_group_name === 'rg-opik-tfstate-weu')).toBe(true);
  });

  test('its own state sits beside the state storage stack\'s: bootstrap/pipeline-identity-<env>.tfstate', () => {
    expect(prod.terraform.backend.azurerm).toEqual(expect.objectContaining({ key: 'bootstrap/pipeline-identity-prod.tfstate', storage_account_name: 'stopiktfstateweu' }));
  });

  test('each identity trusts GitHub environments only: the deploy identity <env>, the plan identity plan-<env> and drift-<env>', () => {
    const credentials = Object.entries<Record<string, any>>(prod.resource.azurerm_federated_identity_credential);
    const subjectsOf = (identity: string) => credentials.filter(([address]) => address.startsWith(`${identity}_`)).map(([, c]) => c.subject).sort();
    expect(subjectsOf('deploy')).toEqual(['repo:acme/opik-infra:environment:prod']);
    expect(subjectsOf('plan')).toEqual(['repo:acme/opik-infra:environment:drift-prod', 'repo:acme/opik-infra:environment:plan-prod']);
    // No subject that any branch's workflow code gets without an environment, and no wildcard.
    for (const [, credential] of credentials) expect(credential.subject).toMatch(/^repo:acme\/opik-infra:environment:((plan|drift)-)?prod$/);
    for (const [, credential] of credentials) {
      expect(credential.issuer).toBe('https://token.actions.githubusercontent.com');
      expect(credential.audience).toEqual(['api://AzureADTokenExchange']);
    }
    // Azure refuses concurrent writes of credentials on one identity.
    const planCredentials = credentials.filter(([address]) => address.startsWith('plan_'));
    expect(planCredentials.filter(([, c]) => c.depends_on !== undefined)).toHaveLength(planCredentials.length - 1);
  });

  test('no client secret exists anywhere', () => {
    expect(Object.keys(prod.resource)).not.toEqual(expect.arrayContaining(['azuread_application_password', 'azuread_service_principal_password']));
  });

  test('the deploy identity: Contributor and conditioned UAA on the environment\'s resource groups only', () => {
    const grants = grantsOf(prod, 'deploy');
    const scopesOf = (role: string) => grants.filter((g) => g.role_definition_name === role).map((g) => g.scope);
    const groups = ['rg-opik-prod-weu', 'rg-opik-prod-weu-snapshots'].map((g) => `/subscriptions/\${data.azurerm_client_config.client-config.subscription_id}/resourceGroups/${g}`);
    expect(scopesOf('Contributor')).toEqual(groups);
    expect(scopesOf('User Access Administrator')).toEqual(groups);
    expect(scopesOf('Azure Kubernetes Service RBAC Cluster Admin')).toEqual([groups[0]]);
    expect(scopesOf('Key Vault Secrets Officer')).toEqual([groups[0]]);
    expect(grants.map((g) => g.role_definition_name)).not.toContain('Owner');
    for (const grant of grants.filter((g) => g.role_definition_name === 'User Access Administrator')) {
      expect(grant.condition_version).toBe('2.0');
      for (const id of Object.values(PRIVILEGED_ROLE_IDS)) expect(grant.condition).toContain(id);
      expect(grant.condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/write'}");
      expect(grant.condition).toContain("ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}");
    }
  });

  test('the plan identity cannot write: Reader, its read-only custom role, and state blob reads', () => {
    const grants = grantsOf(prod, 'plan');
    expect(grants.map((g) => g.role_definition_name).filter(Boolean).sort()).toEqual(['Reader', 'Reader', 'Storage Blob Data Reader']);
    const [role] = resourcesOf(prod, 'azurerm_role_definition');
    expect(role.name).toBe('id-opik-prod-weu-plan reads');
    const permissions = role.permissions[0];
    for (const action of [...permissions.actions, ...permissions.data_actions]) {
      expect(action).toMatch(/\/read$|\/listClusterUserCredential\/action$|\/sharedKeys\/action$|\/getSecret\/action$|\/readMetadata\/action$/);
    }
    expect(grants.some((g) => g.role_definition_id === '${azurerm_role_definition.plan-reads.role_definition_resource_id}')).toBe(true);
  });

  test("each identity reaches only its own environment's state blobs, in the shared container", () => {
    const container = '/subscriptions/${data.azurerm_client_config.client-config.subscription_id}/resourceGroups/rg-opik-tfstate-weu/providers/Microsoft.Storage/storageAccounts/stopiktfstateweu/blobServices/default/containers/tfstate';
    const [deploy] = grantsOf(prod, 'deploy').filter((g) => g.role_definition_name === 'Storage Blob Data Contributor');
    const [plan] = grantsOf(prod, 'plan').filter((g) => g.role_definition_name === 'Storage Blob Data Reader');
    for (const grant of [deploy, plan]) {
      expect(grant.scope).toBe(container);
      expect(grant.condition).toContain("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'prod/'");
      expect(grant.condition).toContain("NOT SubOperationMatches{'Blob.List'}");
    }
    for (const action of ['write', 'add/action', 'delete']) expect(deploy.condition).toContain(`blobs/${action}'}`);
    expect(plan.condition).not.toContain('blobs/write');
  });

  test('roleScope subscription: the deploy identity may create resource groups', () => {
    const json = synthesize(withDelivery('dev', (c) => { c.subscriptionId = '00000000-0000-4000-8000-000000000001'; c.delivery!.roleScope = 'subscription'; })).json;
    const contributor = grantsOf(json, 'deploy').filter((g) => g.role_definition_name === 'Contributor');
    expect(contributor.map((g) => g.scope)).toEqual(['/subscriptions/00000000-0000-4000-8000-000000000001']);
  });

  test('adopted disks and an Azure DNS zone are in scope; the zone only for role assignments', () => {
    const zoneId = '/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com';
    const diskId = '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/opik-rg/providers/Microsoft.Compute/disks/opik-mysql-data-1';
    const config = withDelivery('prod', (c) => {
      c.subscriptionId = '00000000-0000-4000-8000-000000000001';
      c.dataDisks.existingDiskIds = { mysql: diskId, redis: diskId.replace('mysql', 'redis') };
      c.application.dns = { provider: 'azure', zoneId };
    });
    expect(pipelineScopes(config, config.subscriptionId!)).toEqual({
      manage: [
        '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-opik-prod-weu',
        '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-opik-prod-weu-snapshots',
        '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/opik-rg',
      ],
      assignOnly: [zoneId],
      cluster: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-opik-prod-weu',
    });
    const grants = grantsOf(synthesize(config).json, 'deploy');
    expect(grants.filter((g) => g.scope === zoneId).map((g) => g.role_definition_name)).toEqual(['User Access Administrator']);
  });
});

describe('the deployer the stacks grant things to', () => {
  const secretWriter = (json: StackJson) => resourcesOf(json, 'azurerm_role_assignment').find((g) => g.role_definition_name === 'Key Vault Secrets Officer')!.principal_id;
  const appOwners = (json: StackJson) => resourcesOf(json, 'azuread_application')[0].owners;

  test('without delivery: whoever runs Terraform (unchanged)', () => {
    const { cluster, application } = buildStacks(loadCommittedConfig('prod'));
    expect(secretWriter(synthStack(cluster))).toBe('${data.azurerm_client_config.client-config.object_id}');
    expect(appOwners(synthStack(application))).toEqual(['${data.azuread_client_config.entra-client-config.object_id}']);
  });

  test('with delivery: the deploy identity, so a plan by the plan identity and a re-plan by the deploy identity agree', () => {
    const { cluster, application } = buildStacks(withDelivery('prod'));
    for (const json of [synthStack(cluster), synthStack(application)]) {
      expect(json.data.azurerm_user_assigned_identity['deploy-identity']).toEqual({ name: 'id-opik-prod-weu-deploy', resource_group_name: 'rg-opik-tfstate-weu' });
    }
    expect(secretWriter(synthStack(cluster))).toBe('${data.azurerm_user_assigned_identity.deploy-identity.principal_id}');
    expect(appOwners(synthStack(application))).toEqual(['${data.azurerm_user_assigned_identity.deploy-identity.principal_id}']);
  });

  test('both identities may read the deploy identity, and it lives where stateBackendFor puts the state storage', () => {
    const deployAddress = Object.entries<Record<string, any>>(prod.resource.azurerm_user_assigned_identity).find(([, i]) => i.name.endsWith('-deploy'))![0];
    const readers = resourcesOf(prod, 'azurerm_role_assignment').filter((g) => g.scope === `\${azurerm_user_assigned_identity.${deployAddress}.id}`);
    expect(readers.map((g) => g.role_definition_name)).toEqual(['Reader', 'Reader']);
    for (const environment of ENVIRONMENT_NAMES) {
      const config = loadCommittedConfig(environment);
      expect(pipelineIdentityResourceGroup(config)).toBe(stateBackendFor(config, 'azurerm').props.azure.resourceGroupName);
    }
  });
});
