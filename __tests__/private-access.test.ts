/**
 * Issue 17 in the synthesized JSON: private endpoints with public access off (prod), the state
 * account's network access and its audit trail, the alert on reads of the state, the pod security
 * policy and Defender, and Opik's namespace closed by default. The connectivity those policies
 * allow is proven by netpol-analyzer in __tests__/validate/opik-connectivity.test.ts.
 */
import { Testing } from 'cdktf';
import { StateBackend } from '../constructs/core/state-backend';
import { stateReadQuery } from '../constructs/alerts/state-read-alert';
import { POD_SECURITY_BASELINE_INITIATIVE } from '../constructs/kubernetes-cluster/pod-security-policy';
import { stateBackendFor } from '../stacks/environment';
import { buildPipelineIdentityStacks } from '../stacks/pipeline-identity-stack';
import { buildStateStorageStacks, StateStorageStack } from '../stacks/state-storage-stack';
import { withExampleDelivery } from '../scripts/example-delivery';
import { buildStacks, cloneConfig, loadCommittedConfig, resourcesOf, synthStack } from './helpers';

const remote = (stack: string, output: string) => `\${data.terraform_remote_state.remote-state-${stack}.outputs.${output}}`;
const prod = buildStacks(loadCommittedConfig('prod'));
const dev = buildStacks(loadCommittedConfig('dev'));
const prodNetwork = synthStack(prod.network);
const prodCluster = synthStack(prod.cluster);
const devCluster = synthStack(dev.cluster);

function stateStack(environment: string) {
  const config = loadCommittedConfig(environment);
  const storage = stateBackendFor(config, 'azurerm').props.azure;
  return synthStack(
    new StateStorageStack(Testing.app(), {
      storage,
      location: config.location,
      workload: config.workload,
      networkAccess: config.state.networkAccess,
      environments: [environment],
      backend: new StateBackend({ kind: 'local', environment: 'bootstrap', azure: storage }),
    }),
  );
}

describe('prod: Key Vault and the registry only through private endpoints', () => {
  test('public network access is off on both', () => {
    expect(resourcesOf(prodCluster, 'azurerm_key_vault')[0].public_network_access_enabled).toBe(false);
    expect(resourcesOf(prodCluster, 'azurerm_container_registry')[0].public_network_access_enabled).toBe(false);
  });

  test('one endpoint each, in the endpoints subnet, registered in its privatelink zone', () => {
    const endpoints = resourcesOf(prodCluster, 'azurerm_private_endpoint').map((e) => ({
      name: e.name,
      subnet: e.subnet_id,
      subresources: e.private_service_connection.subresource_names,
      zones: e.private_dns_zone_group.private_dns_zone_ids,
    }));
    expect(endpoints.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'pe-opik-prod-weu-cr', subnet: remote('network', 'private_endpoint_subnet_id'), subresources: ['registry'], zones: [remote('network', 'container_registry_private_dns_zone_id')] },
      { name: 'pe-opik-prod-weu-kv', subnet: remote('network', 'private_endpoint_subnet_id'), subresources: ['vault'], zones: [remote('network', 'key_vault_private_dns_zone_id')] },
    ]);
  });

  test('the network stack makes the subnet (with an NSG), the two zones, and links them to the VNet and the runners\' VNet', () => {
    const subnet = resourcesOf(prodNetwork, 'azurerm_subnet').find((s) => s.name === 'snet-opik-prod-weu-pe')!;
    expect(subnet.address_prefixes).toEqual(['10.30.17.0/24']);
    expect(resourcesOf(prodNetwork, 'azurerm_subnet_network_security_group_association')).toHaveLength(3);
    expect(resourcesOf(prodNetwork, 'azurerm_private_dns_zone').map((z) => z.name).sort()).toEqual(['privatelink.azurecr.io', 'privatelink.vaultcore.azure.net']);
    const links = resourcesOf(prodNetwork, 'azurerm_private_dns_zone_virtual_network_link');
    expect(links).toHaveLength(4);
    expect(new Set(links.map((l) => l.virtual_network_id))).toEqual(new Set([expect.stringMatching(/azurerm_virtual_network/), loadCommittedConfig('prod').privateEndpoints.linkedVnetIds[0]]));
    expect(links.every((l) => l.registration_enabled === false)).toBe(true);
  });

  test('dev, a development environment, keeps public access behind its firewalls and makes no endpoint', () => {
    expect(resourcesOf(devCluster, 'azurerm_key_vault')[0].public_network_access_enabled).toBe(true);
    expect(resourcesOf(devCluster, 'azurerm_private_endpoint')).toEqual([]);
    expect(resourcesOf(synthStack(dev.network), 'azurerm_private_dns_zone')).toEqual([]);
  });
});

describe('the state accounts', () => {
  test("prod's own account: public access off, a blob endpoint in the runners' subnet", () => {
    const json = stateStack('prod');
    const [account] = resourcesOf(json, 'azurerm_storage_account');
    const access = loadCommittedConfig('prod').state.networkAccess;
    expect(account.name).toBe('stopikprodtfstateweu');
    expect(account.public_network_access_enabled).toBe(false);
    expect(account.network_rules).toEqual(expect.objectContaining({ default_action: 'Deny', ip_rules: [] }));
    const [endpoint] = resourcesOf(json, 'azurerm_private_endpoint');
    expect(endpoint.private_service_connection.subresource_names).toEqual(['blob']);
    expect(access.type === 'private-endpoint' && [endpoint.subnet_id, endpoint.private_dns_zone_group.private_dns_zone_ids]).toEqual([access.type === 'private-endpoint' && access.subnetId, [access.type === 'private-endpoint' && access.privateDnsZoneId]]);
  });

  test('the account dev and staging share: deny by default, their runners\' range only (a /32 as an address)', () => {
    const [account] = resourcesOf(stateStack('dev'), 'azurerm_storage_account');
    expect(account.public_network_access_enabled).toBe(true);
    expect(account.network_rules).toEqual(expect.objectContaining({ default_action: 'Deny', ip_rules: ['203.0.113.10'] }));
  });

  test('every state blob read, write and delete goes to an audit workspace beside the account', () => {
    const json = stateStack('prod');
    const [setting] = resourcesOf(json, 'azurerm_monitor_diagnostic_setting');
    expect(setting.target_resource_id).toMatch(/^\$\{azurerm_storage_account\.[^}]+\.id\}\/blobServices\/default$/);
    expect(setting.enabled_log.map((l: any) => l.category)).toEqual(['StorageRead', 'StorageWrite', 'StorageDelete']);
    expect(setting.log_analytics_workspace_id).toMatch(/azurerm_log_analytics_workspace/);
    expect(resourcesOf(json, 'azurerm_log_analytics_workspace')[0]).toEqual(expect.objectContaining({ name: 'log-stopikprodtfstateweu-audit', local_authentication_enabled: false }));
  });

  test('environments sharing an account must agree on its network access', () => {
    const dev = cloneConfig(loadCommittedConfig('dev'));
    const staging = cloneConfig(loadCommittedConfig('staging'));
    staging.state.networkAccess = { type: 'allow-list', ipRanges: ['198.51.100.0/24'] };
    expect(() => buildStateStorageStacks(Testing.app(), [dev, staging], 'local')).toThrow(/state\.networkAccess of staging .* differs from dev's .*share the state account stopiktfstateweu/);
  });
});

describe('an alert on reads of an environment\'s state by anyone but its pipeline identities', () => {
  const [stack] = buildPipelineIdentityStacks(Testing.app(), [withExampleDelivery(loadCommittedConfig('prod'))], 'local');
  const json = synthStack(stack);
  const [alert] = resourcesOf(json, 'azurerm_monitor_scheduled_query_rules_alert_v2');

  test('on the state account\'s audit workspace, every 5 minutes, severity 1, e-mailed', () => {
    expect(alert.scopes).toEqual([expect.stringMatching(/\/resourceGroups\/rg-opik-tfstate-prod-weu\/providers\/Microsoft\.OperationalInsights\/workspaces\/log-stopikprodtfstateweu-audit$/)]);
    expect([alert.evaluation_frequency, alert.window_duration, alert.severity]).toEqual(['PT5M', 'PT5M', 1]);
    expect(alert.criteria[0]).toEqual(expect.objectContaining({ operator: 'GreaterThan', threshold: 0, time_aggregation_method: 'Count' }));
    expect(alert.action.action_groups).toEqual([expect.stringMatching(/azurerm_monitor_action_group\.state-read-alert/)]);
  });

  test("the query: reads of prod/ blobs in this account, by neither the deploy nor the plan identity", () => {
    const query: string = alert.criteria[0].query;
    expect(query).toContain('| where AccountName == "stopikprodtfstateweu" and OperationName == "GetBlob"');
    expect(query).toContain('| where ObjectKey startswith "/stopikprodtfstateweu/tfstate/prod/"');
    expect(query).toMatch(/\| where RequesterObjectId !in \("\$\{azurerm_user_assigned_identity\.deploy_[^}]+\.principal_id\}", "\$\{azurerm_user_assigned_identity\.plan_[^}]+\.principal_id\}"\)/);
  });

  test('the query builder quotes every allowed reader', () => {
    expect(stateReadQuery({ storageAccountName: 'st', containerName: 'c', environment: 'e', allowedReaderObjectIds: ['a', 'b'] })).toContain('!in ("a", "b")');
  });
});

describe('guardrails on the cluster', () => {
  const assignment = (json: Record<string, any>) => resourcesOf(json, 'azurerm_resource_policy_assignment')[0];

  test('the pod security baseline initiative: deny in prod (GPU plugin namespace exempt), audit in dev', () => {
    expect(assignment(prodCluster).policy_definition_id).toBe(POD_SECURITY_BASELINE_INITIATIVE);
    expect(JSON.parse(assignment(prodCluster).parameters)).toEqual({
      effect: { value: 'deny' },
      excludedNamespaces: { value: ['kube-system', 'gatekeeper-system', 'azure-arc', 'nvidia-device-plugin'] },
    });
    expect(JSON.parse(assignment(devCluster).parameters).effect).toEqual({ value: 'audit' });
    expect(assignment(prodCluster).resource_id).toMatch(/azurerm_kubernetes_cluster\./);
  });

  test('Defender for Containers: absent unless the file turns it on, then it sends to the cluster workspace', () => {
    expect(resourcesOf(prodCluster, 'azurerm_kubernetes_cluster')[0].microsoft_defender).toBeUndefined();
    const config = cloneConfig(loadCommittedConfig('prod'));
    config.cluster.defender = true;
    const cluster = resourcesOf(synthStack(buildStacks(config).cluster), 'azurerm_kubernetes_cluster')[0];
    expect(cluster.microsoft_defender).toEqual({ log_analytics_workspace_id: expect.stringMatching(/azurerm_log_analytics_workspace/) });
  });

  test("the deploy identity may write policy assignments (Resource Policy Contributor), on the cluster's resource group only", () => {
    const [stack] = buildPipelineIdentityStacks(Testing.app(), [withExampleDelivery(loadCommittedConfig('prod'))], 'local');
    const grants = resourcesOf(synthStack(stack), 'azurerm_role_assignment').filter((g) => g.role_definition_name === 'Resource Policy Contributor');
    expect(grants.map((g) => g.scope)).toEqual([expect.stringMatching(/\/resourceGroups\/rg-opik-prod-weu$/)]);
  });
});

describe("Opik's namespace", () => {
  test('denies everything by default, both ways, and no policy allows the link-local range (IMDS)', () => {
    for (const stacks of [dev, prod]) {
      const policies = resourcesOf(synthStack(stacks.application), 'kubernetes_network_policy_v1');
      const deny = policies.find((p) => p.metadata.name === 'default-deny')!;
      expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
      for (const p of policies) {
        for (const rule of [...(p.spec.egress ?? []), ...(p.spec.ingress ?? [])]) {
          for (const peer of [...(rule.to ?? []), ...(rule.from ?? [])]) {
            if (!peer.ip_block) continue;
            expect(peer.ip_block.cidr === '0.0.0.0/0' ? peer.ip_block.except : ['169.254.0.0/16']).toContain('169.254.0.0/16');
          }
          // A rule without ports allows every port.
          expect(rule.ports?.length).toBeGreaterThan(0);
        }
      }
    }
  });
});
