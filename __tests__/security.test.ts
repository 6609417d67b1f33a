/** Security settings that must not regress silently. */
import { AGIC_MANAGED_ATTRIBUTES } from '../constructs/application-gateway/application-gateway';
import { buildStacks, cloneConfig, ENVIRONMENT_NAMES, loadCommittedConfig, resourcesOf, synthStack } from './helpers';

describe.each(ENVIRONMENT_NAMES)('%s', (environment) => {
  const config = loadCommittedConfig(environment);
  const stacks = buildStacks(config);
  const network = synthStack(stacks.network);
  const cluster = synthStack(stacks.cluster);
  const [aks] = resourcesOf(cluster, 'azurerm_kubernetes_cluster');
  const [gateway] = resourcesOf(network, 'azurerm_application_gateway');

  describe('AKS', () => {
    test('uses Entra ID with Azure RBAC and no local accounts', () => {
      expect(aks.azure_active_directory_role_based_access_control).toEqual(
        expect.objectContaining({ azure_rbac_enabled: true, admin_group_object_ids: config.cluster.adminGroupObjectIds }),
      );
      expect(aks.role_based_access_control_enabled).toBe(true);
      expect(aks.local_account_disabled).toBe(true);
    });

    test('uses Azure CNI with a network policy and the configured service CIDR', () => {
      expect(aks.network_profile).toEqual(
        expect.objectContaining({ network_plugin: 'azure', network_policy: 'azure', service_cidr: config.network.serviceCidr }),
      );
    });

    test('has OIDC, workload identity, Azure Policy and Key Vault secret rotation', () => {
      expect(aks.oidc_issuer_enabled).toBe(true);
      expect(aks.workload_identity_enabled).toBe(true);
      expect(aks.azure_policy_enabled).toBe(true);
      expect(aks.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true, secret_rotation_interval: '2m' });
    });

    test('sends Container Insights to Log Analytics with managed identity', () => {
      expect(aks.oms_agent.msi_auth_for_monitoring_enabled).toBe(true);
      expect(aks.oms_agent.log_analytics_workspace_id).toMatch(/^\$\{azurerm_log_analytics_workspace\./);
    });

    test('has upgrade channels and maintenance windows', () => {
      expect(aks.automatic_upgrade_channel).toBe('patch');
      expect(aks.node_os_upgrade_channel).toBe('NodeImage');
      expect(aks.maintenance_window_auto_upgrade.frequency).toBe('Weekly');
      expect(aks.maintenance_window_node_os.frequency).toBe('Weekly');
    });

    test('keeps the system pool for critical add-ons and autoscales every pool', () => {
      expect(aks.default_node_pool).toEqual(expect.objectContaining({ only_critical_addons_enabled: true, auto_scaling_enabled: true }));
      for (const pool of resourcesOf(cluster, 'azurerm_kubernetes_cluster_node_pool')) {
        expect(pool.auto_scaling_enabled).toBe(true);
        expect(pool.lifecycle.ignore_changes).toEqual(['node_count']);
      }
    });

    test('points the AGIC add-on at the gateway of the network stack', () => {
      expect(aks.ingress_application_gateway).toEqual({
        gateway_id: '${data.terraform_remote_state.remote-state-network.outputs.application_gateway_id}',
      });
    });
  });

  test('AGIC gets exactly Contributor on the gateway, Reader on its group and Network Contributor on its subnet', () => {
    const agic = resourcesOf(cluster, 'azurerm_role_assignment').filter((r) => String(r.principal_id).includes('ingress_application_gateway_identity'));
    const grants = agic.map((r) => `${r.role_definition_name} @ ${r.scope}`).sort();
    expect(grants).toEqual([
      'Contributor @ ${data.terraform_remote_state.remote-state-network.outputs.application_gateway_id}',
      'Network Contributor @ ${data.terraform_remote_state.remote-state-network.outputs.app_gateway_subnet_id}',
      'Reader @ ${data.terraform_remote_state.remote-state-network.outputs.resource_group_id}',
    ]);
  });

  test('the control plane can read, attach and grow disks in the disks\' resource group, and nothing else', () => {
    const [role] = resourcesOf(cluster, 'azurerm_role_definition');
    expect(role.permissions).toEqual([{ actions: ['Microsoft.Compute/disks/read', 'Microsoft.Compute/disks/write'], not_actions: [] }]);
    const mainGroup = '${data.terraform_remote_state.remote-state-network.outputs.resource_group_id}';
    expect(role.assignable_scopes).toEqual([mainGroup]);
    const grants = resourcesOf(cluster, 'azurerm_role_assignment').filter((r) => String(r.role_definition_id).startsWith('${azurerm_role_definition.'));
    expect(grants.map((g) => g.scope)).toEqual([mainGroup]);
    expect(grants[0].principal_id).toMatch(/^\$\{azurerm_user_assigned_identity\./);
  });

  test('no grant is scoped to a disk: a delete lock would make it impossible to remove', () => {
    const scopes = resourcesOf(cluster, 'azurerm_role_assignment').map((r) => String(r.scope));
    expect(scopes.filter((s) => /disk/i.test(s))).toEqual([]);
  });

  test('the registry has no admin user and the kubelet identity pulls with AcrPull', () => {
    const [registry] = resourcesOf(cluster, 'azurerm_container_registry');
    expect(registry.admin_enabled).toBe(false);
    expect(registry.anonymous_pull_enabled).toBe(false);
    const pull = resourcesOf(cluster, 'azurerm_role_assignment').find((r) => r.role_definition_name === 'AcrPull');
    expect(pull?.principal_id).toMatch(/kubelet_identity\[0\]\.object_id/);
  });

  test('every image the application stack pulls from the registry has a cache rule', () => {
    const app = JSON.stringify(synthStack(stacks.application));
    const acr = '${data.terraform_remote_state.remote-state-cluster-and-registry.outputs.acr_login_server}';
    // Every registry path the application stack names: `<acr>/<prefix>/<repository>` in image
    // references, or `<acr>/<prefix>` as a chart's registry key beside its repository key.
    const pulled = new Set<string>();
    const escaped = acr.replace(/[$.{}[\]]/g, '\\$&');
    for (const m of app.matchAll(new RegExp(`${escaped}/([a-z0-9._/-]+?)(?=[:@"\\\\ ]|$)`, 'g'))) pulled.add(m[1]);
    const targets = resourcesOf(cluster, 'azurerm_container_registry_cache_rule').map((r) => r.target_repo);
    const covered = (path: string) => targets.some((t) => t === path || t.startsWith(`${path}/`) || path.startsWith(`${t}`));
    expect([...pulled].filter((p) => !covered(p))).toEqual([]);
    expect(pulled.size).toBeGreaterThan(5);
  });

  test('Docker Hub is cached with a login from Key Vault; the public registries without one', () => {
    const rules = resourcesOf(cluster, 'azurerm_container_registry_cache_rule');
    const [credentialSet] = resourcesOf(cluster, 'azurerm_container_registry_credential_set');
    expect(credentialSet.login_server).toBe('docker.io');
    expect(credentialSet.authentication_credentials).toEqual({
      username_secret_id: '${azurerm_key_vault.key-vault_8913E797.vault_uri}secrets/dockerhub-username',
      password_secret_id: '${azurerm_key_vault.key-vault_8913E797.vault_uri}secrets/dockerhub-access-token',
    });
    for (const rule of rules) {
      if (rule.source_repo.startsWith('docker.io/')) expect(rule.credential_set_id).toMatch(/^\$\{azurerm_container_registry_credential_set\./);
      else expect(rule.credential_set_id).toBeUndefined();
    }
    expect(rules.map((r) => r.source_repo.split('/')[0]).sort()).toEqual(expect.arrayContaining(['docker.io', 'ghcr.io', 'quay.io', 'registry.k8s.io']));
  });

  test('the Key Vault uses RBAC, purge protection and a deny-by-default firewall', () => {
    const [vault] = resourcesOf(cluster, 'azurerm_key_vault');
    expect(vault.rbac_authorization_enabled).toBe(true);
    expect(vault.purge_protection_enabled).toBe(true);
    expect(vault.network_acls.default_action).toBe('Deny');
  });

  test('only the deploying identity may write Key Vault secrets, on this vault only', () => {
    const writers = resourcesOf(cluster, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Key Vault Secrets Officer');
    expect(writers).toHaveLength(1);
    expect(writers[0].principal_id).toBe('${data.azurerm_client_config.client-config.object_id}');
    expect(writers[0].scope).toMatch(/^\$\{azurerm_key_vault\.[^.]+\.id\}$/);
  });

  describe('Application Gateway', () => {
    test('is v2 with autoscaling, zones and a modern TLS policy', () => {
      expect(gateway.sku).toEqual({ name: config.applicationGateway.sku, tier: config.applicationGateway.sku });
      expect(gateway.autoscale_configuration).toEqual({ min_capacity: config.applicationGateway.minCapacity, max_capacity: config.applicationGateway.maxCapacity });
      expect(gateway.zones).toEqual(config.applicationGateway.zones);
      expect(gateway.ssl_policy).toEqual({ policy_type: 'Predefined', policy_name: 'AppGwSslPolicy20220101S' });
    });

    test('ignores every attribute AGIC rewrites', () => {
      expect(gateway.lifecycle.ignore_changes).toEqual([
        'backend_address_pool',
        'backend_http_settings',
        'frontend_port',
        'http_listener',
        'probe',
        'redirect_configuration',
        'request_routing_rule',
        'rewrite_rule_set',
        'ssl_certificate',
        'trusted_root_certificate',
        'url_path_map',
        'tags',
      ]);
      expect(gateway.lifecycle.ignore_changes).toEqual([...AGIC_MANAGED_ATTRIBUTES]);
    });

    test('with WAF_v2, a WAF policy in prevention mode is attached', () => {
      const [policy] = resourcesOf(network, 'azurerm_web_application_firewall_policy');
      expect(policy.policy_settings.mode).toBe('Prevention');
      expect(policy.policy_settings.enabled).toBe(true);
      expect(gateway.firewall_policy_id).toMatch(/^\$\{azurerm_web_application_firewall_policy\./);
    });
  });

  test('the gateway subnet NSG admits GatewayManager, the load balancer, and HTTP(S) only', () => {
    const nsgs = resourcesOf(network, 'azurerm_network_security_group');
    const gatewayNsg = nsgs.find((n) => n.name.endsWith('-agw'))!;
    const rules = gatewayNsg.security_rule.map((r: any) => `${r.name}:${r.source_address_prefix}:${r.destination_port_range ?? r.destination_port_ranges}`);
    expect(rules).toEqual(['AllowGatewayManager:GatewayManager:65200-65535', 'AllowAzureLoadBalancer:AzureLoadBalancer:*', 'AllowHttpHttpsFromInternet:Internet:80,443']);
  });

  test('every taggable resource carries the common tags', () => {
    for (const stack of Object.values(stacks)) {
      const json = synthStack(stack);
      for (const resources of Object.values<Record<string, any>>(json.resource ?? {})) {
        for (const resource of Object.values<any>(resources)) {
          if (!('tags' in resource)) continue; // pinned by the 'tags' test below
          expect(resource.tags).toEqual(expect.objectContaining({ environment, workload: 'opik', 'managed-by': 'cdktf' }));
        }
      }
    }
  });
});

test('Entra objects get no Azure tags (their tags are a list of strings, outside Azure Resource Manager)', () => {
  const json = synthStack(buildStacks(loadCommittedConfig('prod')).application);
  for (const type of ['azuread_application', 'azuread_service_principal']) {
    for (const resource of resourcesOf(json, type)) expect(resource.tags).toBeUndefined();
  }
});

describe('Standard_v2 gateway', () => {
  test('has no WAF policy', () => {
    const config = cloneConfig(loadCommittedConfig('dev'));
    config.applicationGateway.sku = 'Standard_v2';
    const network = synthStack(buildStacks(config).network);
    expect(resourcesOf(network, 'azurerm_web_application_firewall_policy')).toHaveLength(0);
    expect(resourcesOf(network, 'azurerm_application_gateway')[0].firewall_policy_id).toBeUndefined();
  });
});

describe('tags', () => {
  test('only resources whose Azure API has no tags go untagged', () => {
    const stacks = buildStacks(loadCommittedConfig('prod'));
    const untagged: string[] = [];
    for (const stack of Object.values(stacks)) {
      for (const [type, resources] of Object.entries<Record<string, any>>(synthStack(stack).resource ?? {})) {
        if (Object.values<any>(resources).some((r) => !('tags' in r))) untagged.push(type);
      }
    }
    // Resources whose Azure API has no tags.
    expect([...new Set(untagged)].filter((t) => t.startsWith('azurerm_')).sort()).toEqual([
      'azurerm_container_registry_cache_rule',
      'azurerm_container_registry_credential_set',
      'azurerm_data_protection_backup_instance_disk',
      'azurerm_data_protection_backup_policy_disk',
      'azurerm_federated_identity_credential',
      'azurerm_management_lock',
      'azurerm_monitor_data_collection_rule_association',
      'azurerm_monitor_diagnostic_setting',
      'azurerm_resource_policy_assignment',
      'azurerm_role_assignment',
      'azurerm_role_definition',
      'azurerm_subnet',
      'azurerm_subnet_network_security_group_association',
    ]);
  });
});
