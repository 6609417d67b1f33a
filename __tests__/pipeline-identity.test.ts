/**
 * The GitHub Actions identities (bootstrap app, pipeline-identity-<env>): only configured
 * environments get them, each trusts only its own workflows, the plan identity cannot write, and
 * neither can hand out Owner or read another environment's state.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ConfigError, validateEnvironment } from '../config/load';
import type { PlatformConfig } from '../config/schema';
import { ASSIGNABLE_BUILT_IN_ROLES } from '../constructs/core/built-in-roles';
import { pipelineCustomRoleId, pipelineScopes } from '../constructs/pipeline-identity/pipeline-access';
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
    expect(identities.every((i) => i.resource_group_name === 'rg-opik-tfstate-prod-weu')).toBe(true);
  });

  test('its own state sits beside the state storage stack\'s: bootstrap/pipeline-identity-<env>.tfstate', () => {
    expect(prod.terraform.backend.azurerm).toEqual(expect.objectContaining({ key: 'bootstrap/pipeline-identity-prod.tfstate', storage_account_name: 'stopikprodtfstateweu' }));
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

  test('the deploy identity: Contributor, RBAC Administrator with an allow-list, and the lock role, on the environment\'s resource groups only', () => {
    const grants = grantsOf(prod, 'deploy');
    const scopesOf = (role: string) => grants.filter((g) => g.role_definition_name === role).map((g) => g.scope);
    const groups = ['rg-opik-prod-weu', 'rg-opik-prod-weu-snapshots'].map((g) => `/subscriptions/\${data.azurerm_client_config.client-config.subscription_id}/resourceGroups/${g}`);
    expect(scopesOf('Contributor')).toEqual(groups);
    expect(scopesOf('Role Based Access Control Administrator')).toEqual(groups);
    expect(scopesOf('Azure Kubernetes Service RBAC Cluster Admin')).toEqual([groups[0]]);
    expect(scopesOf('Key Vault Secrets Officer')).toEqual([groups[0]]);
    expect(grants.filter((g) => g.role_definition_id === '${azurerm_role_definition.locks.role_definition_resource_id}').map((g) => g.scope)).toEqual(groups);
  });

  test('no identity holds Owner or User Access Administrator, by name or by ID', () => {
    const all = resourcesOf(prod, 'azurerm_role_assignment');
    const names = all.map((g) => g.role_definition_name).filter(Boolean);
    expect(names).not.toContain('Owner');
    expect(names).not.toContain('User Access Administrator');
    // Owner, User Access Administrator: the GUIDs written out, not read from the source.
    for (const id of ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9']) expect(JSON.stringify(all)).not.toContain(id);
  });

  test('RBAC Administrator may assign exactly the roles the stacks assign: an allow-list of role GUIDs, for write and delete', () => {
    const admin = grantsOf(prod, 'deploy').filter((g) => g.role_definition_name === 'Role Based Access Control Administrator');
    expect(admin.length).toBeGreaterThan(0);
    const diskRole = pipelineCustomRoleId(withDelivery('prod'), 'data-disk-operator');
    const expected = [
      '22926164-76b3-42b3-bc55-97df8dab3e41', // Grafana Admin
      '3e5e47e6-65f7-47ef-90b5-e5dd4d455f24', // Disk Backup Reader
      '4633458b-17de-408a-b874-0445c86b69e6', // Key Vault Secrets User
      '4d97b98b-1d4f-4787-a291-c67834d212e7', // Network Contributor
      '60921a7e-fef1-4a43-9b16-a26c52ad4769', // Grafana Viewer
      '7efff54f-a5b4-42b5-a1c5-5411624893ce', // Disk Snapshot Contributor
      '7f951dda-4ed3-4680-a7ca-43fe172d538d', // AcrPull
      'acdd72a7-3385-48ef-bd42-f606fba81ae7', // Reader
      'b0d8363b-8ddd-447d-831f-62ca05bff136', // Monitoring Data Reader
      'b24988ac-6180-42a0-ab88-20f7382dd24c', // Contributor
      'b86a8fe4-44ce-4948-aee5-eccb2c155cd7', // Key Vault Secrets Officer
      'befefa01-2a29-4197-83a8-272ff33ce314', // DNS Zone Contributor
      diskRole,
    ].sort();
    for (const grant of admin) {
      expect(grant.condition_version).toBe('2.0');
      const lists = [...grant.condition.matchAll(/ForAnyOfAnyValues:GuidEquals \{([^}]*)\}/g)].map((m: RegExpMatchArray) => m[1].split(', ').sort());
      expect(lists).toEqual([expected, expected]);
      expect(grant.condition).toContain("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals");
      expect(grant.condition).toContain("@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals");
      expect(grant.condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})");
      expect(grant.condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})");
      for (const privileged of ['8e3af657-a8ff-443c-a75c-2fe8c4bcb635', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168']) expect(grant.condition).not.toContain(privileged);
    }
  });

  test('the allow-list covers every role any environment stack assigns (committed files, and with backups, Azure DNS and Grafana groups on)', () => {
    const allowed = new Set<string>(Object.keys(ASSIGNABLE_BUILT_IN_ROLES));
    const variants = ENVIRONMENT_NAMES.map(loadCommittedConfig);
    const full = cloneConfig(loadCommittedConfig('prod'));
    full.application.dns = { provider: 'azure', zoneId: '/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com' };
    full.dataDisks.backup.enabled = true;
    variants.push(full);
    const assigned = new Set<string>();
    for (const config of variants) {
      for (const stack of Object.values(buildStacks(config))) {
        for (const grant of resourcesOf(synthStack(stack), 'azurerm_role_assignment')) if (grant.role_definition_name) assigned.add(grant.role_definition_name);
      }
    }
    expect([...assigned].filter((name) => !allowed.has(name)).sort()).toEqual([]);
    for (const name of ['Grafana Admin', 'Disk Backup Reader', 'DNS Zone Contributor']) expect(assigned.has(name)).toBe(true);
  });

  test('the deploy identity writes no role definition: the custom roles are made here, by the administrator, under fixed IDs', () => {
    const roles = Object.entries<Record<string, any>>(prod.resource.azurerm_role_definition);
    expect(roles.map(([address]) => address).sort()).toEqual(['data-disk-operator', 'locks', 'plan-reads']);
    const byAddress = Object.fromEntries(roles);
    expect(byAddress['data-disk-operator'].role_definition_id).toBe(pipelineCustomRoleId(withDelivery('prod'), 'data-disk-operator'));
    expect(byAddress['data-disk-operator'].permissions[0].actions).toEqual(['Microsoft.Compute/disks/read', 'Microsoft.Compute/disks/write']);
    expect(byAddress.locks.permissions[0].actions).toEqual(['Microsoft.Authorization/locks/read', 'Microsoft.Authorization/locks/write', 'Microsoft.Authorization/locks/delete']);
    expect(pipelineCustomRoleId(withDelivery('prod'), 'locks')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pipelineCustomRoleId(withDelivery('prod'), 'locks')).not.toBe(pipelineCustomRoleId(withDelivery('staging'), 'locks'));
    // The cluster stack, with delivery, assigns the bootstrap's disk role and makes none of its own.
    const cluster = synthStack(buildStacks(withDelivery('prod')).cluster);
    expect(cluster.resource.azurerm_role_definition).toBeUndefined();
    const diskGrants = resourcesOf(cluster, 'azurerm_role_assignment').filter((g) => String(g.role_definition_id ?? '').includes('/roleDefinitions/'));
    expect(diskGrants.map((g) => g.role_definition_id)).toEqual([`/subscriptions/\${data.azurerm_client_config.client-config.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/${pipelineCustomRoleId(withDelivery('prod'), 'data-disk-operator')}`]);
  });

  test('the plan identity cannot write: Reader, its read-only custom role, and state blob reads', () => {
    const grants = grantsOf(prod, 'plan');
    expect(grants.map((g) => g.role_definition_name).filter(Boolean).sort()).toEqual(['Reader', 'Reader', 'Storage Blob Data Reader']);
    const role = prod.resource.azurerm_role_definition['plan-reads'];
    expect(role.name).toBe('id-opik-prod-weu-plan reads');
    const permissions = role.permissions[0];
    for (const action of [...permissions.actions, ...permissions.data_actions]) {
      expect(action).toMatch(/\/read$|\/listClusterUserCredential\/action$|\/sharedKeys\/action$|\/getSecret\/action$|\/readMetadata\/action$/);
    }
    expect(grants.some((g) => g.role_definition_id === '${azurerm_role_definition.plan-reads.role_definition_resource_id}')).toBe(true);
  });

  test("each identity reaches only its own environment's state blobs, in the shared container", () => {
    const container = '/subscriptions/${data.azurerm_client_config.client-config.subscription_id}/resourceGroups/rg-opik-tfstate-prod-weu/providers/Microsoft.Storage/storageAccounts/stopikprodtfstateweu/blobServices/default/containers/tfstate';
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
      diskGroups: ['/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-opik-prod-weu', '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/opik-rg'],
    });
    const grants = grantsOf(synthesize(config).json, 'deploy');
    expect(grants.filter((g) => g.scope === zoneId).map((g) => g.role_definition_name)).toEqual(['Role Based Access Control Administrator']);
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
      expect(json.data.azurerm_user_assigned_identity['deploy-identity']).toEqual({ name: 'id-opik-prod-weu-deploy', resource_group_name: 'rg-opik-tfstate-prod-weu' });
    }
    expect(secretWriter(synthStack(cluster))).toBe('${data.azurerm_user_assigned_identity.deploy-identity.principal_id}');
    expect(appOwners(synthStack(application))).toEqual(['${data.azurerm_user_assigned_identity.deploy-identity.principal_id}']);
  });

  test('with delivery the pipeline creates no app role assignment (that needs AppRoleAssignment.ReadWrite.All); without, Terraform assigns the group', () => {
    const assignments = (config: PlatformConfig) => resourcesOf(synthStack(buildStacks(config).application), 'azuread_app_role_assignment');
    expect(assignments(withDelivery('prod'))).toEqual([]);
    expect(assignments(loadCommittedConfig('prod'))).toHaveLength(1);
    // Assignment stays required, so until an administrator assigns the group nobody signs in.
    expect(resourcesOf(synthStack(buildStacks(withDelivery('prod')).application), 'azuread_service_principal')[0].app_role_assignment_required).toBe(true);
  });

  test('the documented Graph grants hold no permission that can grant itself more', () => {
    const docs = [path.join(__dirname, '..', 'README.md'), ...fs.readdirSync(path.join(__dirname, '..', 'docs')).map((f) => path.join(__dirname, '..', 'docs', f))];
    const grants = docs.flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').filter((line) => /^grant id-/.test(line.trim())).map((line) => `${path.basename(file)}: ${line.trim()}`));
    expect(grants.length).toBeGreaterThan(0);
    const escalating = ['AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'Directory.ReadWrite.All'];
    expect(grants.filter((g) => escalating.some((p) => g.includes(p)))).toEqual([]);
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
