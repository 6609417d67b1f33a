/** The mirror adaptation behind `npm run validate`: what it changes, and what it must not hide. */
import { adaptToMirror, classifyErrors, describeAdaptations, inPinnedSchema, withoutDrift } from '../scripts/offline-terraform';

const stack = {
  terraform: { required_providers: { azurerm: { source: 'azurerm', version: '4.55.0' }, azuread: { source: 'azuread', version: '3.7.0' }, random: { source: 'random', version: '3.7.2' } } },
  provider: { azurerm: [{ features: [{}] }], azuread: [{}] },
  resource: {
    azuread_application: { app: { display_name: 'x' } },
    azurerm_key_vault_secret: { s: { name: 'n', value: '${random_password.p.result}', depends_on: ['azuread_application.app'] } },
    helm_release: { r: { values: ['client: ${azuread_application.app.client_id}'] } },
  },
};

describe('adaptToMirror', () => {
  const mirror = { azurerm: ['4.55.0'], random: ['3.8.0', '3.9.0'] };
  const { json, adaptations } = adaptToMirror(stack, mirror);

  test('keeps a pinned version the mirror has', () => {
    expect(json.terraform.required_providers.azurerm.version).toBe('4.55.0');
  });

  test('uses the newest mirror version when the pinned one is missing, and says so', () => {
    expect(json.terraform.required_providers.random.version).toBe('3.9.0');
    expect(adaptations).toContainEqual({ provider: 'random', pinned: '3.7.2', used: '3.9.0' });
  });

  test('takes out a provider the mirror lacks, with its resources and every reference to them', () => {
    expect(json.terraform.required_providers.azuread).toBeUndefined();
    expect(json.provider.azuread).toBeUndefined();
    expect(json.resource.azuread_application).toBeUndefined();
    expect(json.resource.helm_release.r.values[0]).toBe('client: removed-azuread-reference');
    expect(json.resource.azurerm_key_vault_secret.s.depends_on).toEqual([]);
    expect(describeAdaptations(adaptations)).toContain('azuread 3.7.0 not in mirror');
  });

  test('leaves other references alone', () => {
    expect(json.resource.azurerm_key_vault_secret.s.value).toBe('${random_password.p.result}');
  });
});

describe('classifyErrors', () => {
  const extraneous = (type: string, attribute: string) => ({
    severity: 'error',
    summary: 'Extraneous JSON object property',
    detail: `No argument or block type is named "${attribute}".`,
    snippet: { context: `resource.${type}.name_1234` },
  });

  test('an attribute the pinned binding writes is drift, not an error', () => {
    expect(inPinnedSchema('resource', 'azurerm_subnet', 'service_endpoints')).toBe(true);
    const { errors, drift } = classifyErrors([extraneous('azurerm_subnet', 'service_endpoints')]);
    expect(errors).toEqual([]);
    expect(drift).toEqual([{ block: 'resource', type: 'azurerm_subnet', name: 'name_1234', kind: 'extra', field: 'service_endpoints' }]);
  });

  test('fails if an attribute is unknown to the pinned binding too', () => {
    const { errors, drift } = classifyErrors([extraneous('azurerm_subnet', 'made_up_field')]);
    expect(errors).toHaveLength(1);
    expect(drift).toEqual([]);
  });

  test('any other error stays an error', () => {
    const { errors } = classifyErrors([{ severity: 'error', summary: 'Invalid value', detail: 'expected sku to be one of ...', snippet: { context: 'resource.azurerm_public_ip.ip' } }]);
    expect(errors).toHaveLength(1);
  });

  test('a value only the pinned version accepts is drift, and validation goes on with the newer equivalent', () => {
    const rejected = { severity: 'error', summary: 'expected grafana_major_version to be one of ["12" "13"], got 11', snippet: { context: 'resource.azurerm_dashboard_grafana.g_1' } };
    const { errors, drift } = classifyErrors([rejected]);
    expect(errors).toEqual([]);
    expect(drift).toEqual([{ block: 'resource', type: 'azurerm_dashboard_grafana', name: 'g_1', kind: 'value', field: 'grafana_major_version' }]);
    const json = { resource: { azurerm_dashboard_grafana: { g_1: { grafana_major_version: '11', name: 'g' } } } };
    expect(withoutDrift(json, drift).resource.azurerm_dashboard_grafana.g_1).toEqual({ grafana_major_version: '12', name: 'g' });
  });

  test('fails if the rejected value is one the pinned version rejects too', () => {
    const rejected = { severity: 'error', summary: 'expected grafana_major_version to be one of ["12" "13"], got 9', snippet: { context: 'resource.azurerm_dashboard_grafana.g_1' } };
    expect(classifyErrors([rejected]).errors).toHaveLength(1);
  });

  test('taking drift out removes only that attribute of that resource', () => {
    const json = { resource: { azurerm_subnet: { a: { name: 'a', service_endpoints: ['x'] }, b: { name: 'b', service_endpoints: ['y'] } } } };
    const out = withoutDrift(json, [{ block: 'resource', type: 'azurerm_subnet', name: 'a', kind: 'extra', field: 'service_endpoints' }]);
    expect(out.resource.azurerm_subnet).toEqual({ a: { name: 'a' }, b: { name: 'b', service_endpoints: ['y'] } });
  });

  test("an argument only the newer version requires is drift, and a renamed one takes the pinned argument's value", () => {
    const missing = (type: string, argument: string) => ({
      severity: 'error',
      summary: 'Missing required argument',
      detail: `The argument "${argument}" is required, but no definition was found.`,
      snippet: { context: `resource.${type}.f` },
    });
    const { errors, drift } = classifyErrors([missing('azurerm_federated_identity_credential', 'user_assigned_identity_id')]);
    expect(errors).toEqual([]);
    expect(drift).toEqual([{ block: 'resource', type: 'azurerm_federated_identity_credential', name: 'f', kind: 'required', field: 'user_assigned_identity_id' }]);
    const out = withoutDrift({ resource: { azurerm_federated_identity_credential: { f: { parent_id: '${azurerm_user_assigned_identity.i.id}' } } } }, drift);
    expect(out.resource.azurerm_federated_identity_credential.f.user_assigned_identity_id).toBe('${azurerm_user_assigned_identity.i.id}');
  });

  test('fails if a missing argument is one the pinned binding has: that is our mistake', () => {
    const { errors } = classifyErrors([
      { severity: 'error', summary: 'Missing required argument', detail: 'The argument "parent_id" is required, but no definition was found.', snippet: { context: 'resource.azurerm_federated_identity_credential.f' } },
    ]);
    expect(errors).toHaveLength(1);
  });
});
