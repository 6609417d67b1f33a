/** The bootstrap stack: state storage that only Entra ID can reach, and that never loses a state file. */
import { Testing } from 'cdktf';
import { StateBackend, type StateBackendKind } from '../constructs/core/state-backend';
import { stateBackendFor } from '../stacks/environment';
import { StateStorageStack } from '../stacks/state-storage-stack';
import { buildStacks, ENVIRONMENT_NAMES, loadCommittedConfig, resourcesOf, synthStack } from './helpers';

function bootstrapJson(kind: StateBackendKind, environment = 'prod') {
  const config = loadCommittedConfig(environment);
  const storage = stateBackendFor(config, 'azurerm').props.azure;
  const stack = new StateStorageStack(Testing.app(), {
    storage,
    location: config.location,
    workload: config.workload,
    networkAccess: config.state.networkAccess,
    environments: [environment],
    backend: new StateBackend({ kind, environment: 'bootstrap', azure: storage }),
  });
  return { stack, json: synthStack(stack) };
}

const { stack, json } = bootstrapJson('local');
const [account] = resourcesOf(json, 'azurerm_storage_account');

test('matches its snapshot', () => {
  expect(Testing.synth(stack)).toMatchSnapshot();
});

test('the account accepts only Entra ID over TLS 1.2, with no public blobs', () => {
  expect(account).toEqual(
    expect.objectContaining({
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      shared_access_key_enabled: false,
      allow_nested_items_to_be_public: false,
      default_to_oauth_authentication: true,
      local_user_enabled: false,
    }),
  );
});

test('deleted or overwritten state stays recoverable', () => {
  expect(account.blob_properties.versioning_enabled).toBe(true);
  expect(account.blob_properties.delete_retention_policy.days).toBeGreaterThanOrEqual(7);
  expect(account.blob_properties.container_delete_retention_policy.days).toBeGreaterThanOrEqual(7);
});

test('account, container and resource group have prevent_destroy', () => {
  for (const type of ['azurerm_resource_group', 'azurerm_storage_account', 'azurerm_storage_container']) {
    expect(resourcesOf(json, type)[0].lifecycle).toEqual({ prevent_destroy: true });
  }
  expect(resourcesOf(json, 'azurerm_storage_container')[0].container_access_type).toBe('private');
});

test('the identity that deploys gets Storage Blob Data Contributor, looked up as whatever it is', () => {
  const [grant] = resourcesOf(json, 'azurerm_role_assignment');
  expect(grant.role_definition_name).toBe('Storage Blob Data Contributor');
  expect(grant.principal_id).toMatch(/data\.azurerm_client_config\./);
  expect(grant.principal_type).toBeUndefined();
});

test('the provider talks to blob storage with Entra ID', () => {
  expect(json.provider.azurerm[0].storage_use_azuread).toBe(true);
});

test('its own state starts local and migrates to bootstrap/<stack>.tfstate in the same container', () => {
  expect(json.terraform.backend.local.path).toBe('../../../.terraform-state/bootstrap/state-storage-stopikprodtfstateweu.tfstate');
  const migrated = bootstrapJson('azurerm').json.terraform.backend.azurerm;
  expect(migrated).toEqual(expect.objectContaining({ key: 'bootstrap/state-storage-stopikprodtfstateweu.tfstate', container_name: 'tfstate' }));
});

test.each(ENVIRONMENT_NAMES)('it creates exactly the storage the %s stacks keep their state in', (environment) => {
  const { network } = buildStacks(loadCommittedConfig(environment));
  const backend = synthStack(network).terraform.backend.azurerm;
  const bootstrap = bootstrapJson('local', environment).json;
  expect(backend.storage_account_name).toBe(resourcesOf(bootstrap, 'azurerm_storage_account')[0].name);
  expect(backend.resource_group_name).toBe(resourcesOf(bootstrap, 'azurerm_resource_group')[0].name);
  expect(backend.container_name).toBe(resourcesOf(bootstrap, 'azurerm_storage_container')[0].name);
});
