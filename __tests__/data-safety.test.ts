/** The data disks outlive everything else, and nothing in a plan can delete or swap one. */
import { DATA_COMPONENTS } from '../constructs/core/naming';
import { buildStacks, cloneConfig, ENVIRONMENT_NAMES, loadCommittedConfig, resourcesOf, synthStack } from './helpers';

describe.each(ENVIRONMENT_NAMES)('data disks of %s', (environment) => {
  const config = loadCommittedConfig(environment);
  const stacks = buildStacks(config);
  const json = synthStack(stacks.dataDisks);
  const disks = resourcesOf(json, 'azurerm_managed_disk');

  test('there is exactly one disk per data component', () => {
    expect(disks.map((d) => d.name).sort()).toEqual(DATA_COMPONENTS.map((c) => `disk-opik-${environment}-weu-${c}`).sort());
  });

  test('every disk has prevent_destroy', () => {
    for (const disk of disks) expect(disk.lifecycle).toEqual(expect.objectContaining({ prevent_destroy: true }));
  });

  test('every disk lives in the main resource group, not the node resource group', () => {
    for (const disk of disks) {
      expect(disk.resource_group_name).toBe('${data.terraform_remote_state.remote-state-network.outputs.resource_group_name}');
    }
    expect(JSON.stringify(json)).not.toContain(stacks.cluster.names.nodeResourceGroup);
  });

  test('every disk has a CanNotDelete lock', () => {
    const locks = resourcesOf(json, 'azurerm_management_lock');
    expect(locks).toHaveLength(DATA_COMPONENTS.length);
    for (const lock of locks) expect(lock.lock_level).toBe('CanNotDelete');
  });

  test('disks cannot be exported through a SAS URL', () => {
    for (const disk of disks) {
      expect(disk.network_access_policy).toBe('DenyAll');
      expect(disk.public_network_access_enabled).toBe(false);
    }
  });

  test('disk names carry no timestamp or random suffix', () => {
    for (const disk of disks) expect(disk.name).toMatch(/^disk-opik-[a-z]+-weu-[a-z]+$/);
  });

  test('disks sit in the configured zone, which the user node pool spans', () => {
    for (const disk of disks) {
      expect(disk.zone).toBe(config.dataDisks.zone);
      expect(config.cluster.userNodePool.zones).toContain(disk.zone);
    }
  });

  test('the cluster stack neither creates nor destroys disks', () => {
    const cluster = synthStack(stacks.cluster);
    expect(resourcesOf(cluster, 'azurerm_managed_disk')).toHaveLength(0);
  });

  test('the main resource group has prevent_destroy', () => {
    const [group] = resourcesOf(synthStack(stacks.network), 'azurerm_resource_group');
    expect(group.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the provider refuses to delete a resource group that still holds resources', () => {
    for (const stack of Object.values(stacks)) {
      const [provider] = synthStack(stack).provider.azurerm;
      expect(provider.features[0].resource_group[0].prevent_deletion_if_contains_resources).toBe(true);
    }
  });
});

describe('adopting the disks of a script-based install', () => {
  const id = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/opik-rg/providers/Microsoft.Compute/disks/${name}`;
  const config = cloneConfig(loadCommittedConfig('prod'));
  config.dataDisks.existingDiskIds = { mysql: id('opik-mysql-data-1756776933'), clickhouse: id('opik-clickhouse-data-1756776966') };
  config.dataDisks.disks.mysql.zone = null;
  config.cluster.userNodePool.zones = [];
  const json = synthStack(buildStacks(config).dataDisks);
  const byName = Object.fromEntries(resourcesOf(json, 'azurerm_managed_disk').map((d) => [d.name, d]));

  test("the cluster may attach disks in the adopted disks' resource group too, through the same disk-only role", () => {
    const cluster = synthStack(buildStacks(config).cluster);
    const [role] = resourcesOf(cluster, 'azurerm_role_definition');
    const scopes = ['${data.terraform_remote_state.remote-state-network.outputs.resource_group_id}', '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/opik-rg'];
    expect(role.assignable_scopes).toEqual(scopes);
    expect(resourcesOf(cluster, 'azurerm_role_assignment').filter((r) => String(r.role_definition_id).startsWith('${azurerm_role_definition.')).map((r) => r.scope)).toEqual(scopes);
  });

  test('an adopted disk is imported by its ID and keeps its name and resource group', () => {
    const imports = json.import as { id: string; to: string }[];
    expect(imports.map((i) => i.id).sort()).toEqual([id('opik-clickhouse-data-1756776966'), id('opik-mysql-data-1756776933')]);
    expect(byName['opik-mysql-data-1756776933'].resource_group_name).toBe('opik-rg');
    expect(byName['opik-clickhouse-data-1756776966'].resource_group_name).toBe('opik-rg');
  });

  test('each import targets the disk resource of its own component', () => {
    const imports = json.import as { id: string; to: string }[];
    expect(imports.find((i) => i.id.endsWith('opik-mysql-data-1756776933'))!.to).toMatch(/^azurerm_managed_disk\.disk-mysql_/);
    expect(imports.find((i) => i.id.endsWith('opik-clickhouse-data-1756776966'))!.to).toMatch(/^azurerm_managed_disk\.disk-clickhouse_/);
  });

  test('an adopted disk keeps prevent_destroy and ignores how it was created', () => {
    expect(byName['opik-mysql-data-1756776933'].lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['create_option'] });
  });

  test('a regional adopted disk gets no zone', () => {
    expect(byName['opik-mysql-data-1756776933'].zone).toBeUndefined();
  });

  test('components not adopted are created new', () => {
    expect(byName['disk-opik-prod-weu-minio']).toBeDefined();
  });
});

describe('backups', () => {
  test('prod backs up every data disk daily', () => {
    const json = synthStack(buildStacks(loadCommittedConfig('prod')).dataDisks);
    const instances = resourcesOf(json, 'azurerm_data_protection_backup_instance_disk');
    expect(instances).toHaveLength(DATA_COMPONENTS.length);
    const [policy] = resourcesOf(json, 'azurerm_data_protection_backup_policy_disk');
    expect(policy.backup_repeating_time_intervals[0]).toMatch(/\/P1D$/);
    const roles = resourcesOf(json, 'azurerm_role_assignment').map((r) => r.role_definition_name);
    expect(roles.filter((r) => r === 'Disk Backup Reader')).toHaveLength(DATA_COMPONENTS.length);
    expect(roles).toContain('Disk Snapshot Contributor');
  });

  test('dev has no backup vault', () => {
    const json = synthStack(buildStacks(loadCommittedConfig('dev')).dataDisks);
    expect(resourcesOf(json, 'azurerm_data_protection_backup_vault')).toHaveLength(0);
  });
});
