/**
 * The ARM stand-in over real HTTPS, trusting only the CA it generated: what the azurerm provider
 * relies on, without Terraform.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { type ArmStandIn, CLIENT_ID, OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID, startArmStandIn } from './server';
import { setSecret, type VaultResponse, viaProxy as viaStandInProxy } from './vault-client';

let standIn: ArmStandIn;
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: []\n';
const sub = `/subscriptions/${SUBSCRIPTION_ID}`;
const rg = `${sub}/resourceGroups/rg-test`;
const disk = `${rg}/providers/Microsoft.Compute/disks/disk-mysql`;
const API = '?api-version=2023-04-02';

type Res = VaultResponse;

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const url = new URL(path, standIn.armUrl);
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = https.request(
      url,
      {
        method,
        ca: standIn.caPem,
        headers: { ...(payload ? { 'Content-Type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json' } : {}), ...headers },
      },
      (res) => {
        let raw = '';
        res.on('data', (c) => (raw += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : undefined, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A request to `https://{host}{path}` through the stand-in's CONNECT proxy, verified against its CA. */
const viaProxy = (method: string, host: string, path: string, headers: Record<string, string> = {}, body?: unknown) => viaStandInProxy(standIn, method, host, path, headers, body);

beforeAll(async () => {
  standIn = await startArmStandIn({ kubeconfig: KUBECONFIG, storageAccountKey: 'a2V5', blobEndpoint: (a) => `http://127.0.0.1:10999/${a}/` });
  await call('PUT', `${rg}?api-version=2023-07-01`, { location: 'westeurope' });
});

afterAll(() => standIn.stop());

test('serves the metadata document go-azure-sdk parses, and writes the CA file', async () => {
  const res = await call('GET', '/metadata/endpoints?api-version=2022-09-01');
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    name: expect.any(String),
    resourceManager: standIn.armUrl,
    microsoftGraphResourceId: expect.any(String),
    authentication: { loginEndpoint: standIn.armUrl.replace(/\/$/, ''), audiences: expect.arrayContaining([standIn.armUrl]) },
    suffixes: { keyVaultDns: 'vault.azure.net', storage: expect.any(String) },
  });
  expect(fs.readFileSync(standIn.caFile, 'utf8')).toBe(standIn.caPem);
  expect(standIn.tokenEnv()).toMatchObject({ ARM_METADATA_HOSTNAME: standIn.metadataHost, SSL_CERT_FILE: standIn.caFile, ARM_TENANT_ID: TENANT_ID });
});

test('issues an unsigned JWT with the fixed oid, tid and appid', async () => {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'x', scope: 'https://vault.azure.net/.default' });
  const res = await call('POST', `/${TENANT_ID}/oauth2/v2.0/token`, form.toString());
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
  // The SDK joins loginEndpoint and `/{tenant}/...`, which can give `//{tenant}`; the v1 path works too.
  expect((await call('POST', `/${TENANT_ID}/oauth2/token`, form.toString())).status).toBe(200);
  const parts = res.body.access_token.split('.');
  expect(parts).toHaveLength(3);
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  expect(claims).toMatchObject({ oid: OBJECT_ID, tid: TENANT_ID, appid: CLIENT_ID, aud: 'https://vault.azure.net' });
});

test('stores a PUT, echoes it with id, name, type and Succeeded, and deletes it', async () => {
  const id = `${rg}/providers/Microsoft.Network/publicIPAddresses/pip-test`;
  const put = await call('PUT', `${id}?api-version=2025-01-01`, { location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } });
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ id, name: 'pip-test', type: 'Microsoft.Network/publicIPAddresses', location: 'westeurope', properties: { provisioningState: 'Succeeded', publicIPAllocationMethod: 'Static', ipAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) } });
  // IDs are case-insensitive.
  const got = await call('GET', `${id.toLowerCase()}?api-version=2025-01-01`);
  expect(got.body).toEqual(put.body);
  const patched = await call('PATCH', `${id}?api-version=2025-01-01`, { tags: { a: 'b' } });
  expect(patched.body).toMatchObject({ tags: { a: 'b' }, properties: { publicIPAllocationMethod: 'Static' } });
  expect((await call('DELETE', `${id}?api-version=2025-01-01`)).status).toBe(200);
  const gone = await call('GET', `${id}?api-version=2025-01-01`);
  expect(gone.status).toBe(404);
  expect(gone.body.error.code).toBe('ResourceNotFound');
});

test('refuses a PUT into a missing resource group, like Azure', async () => {
  const res = await call('PUT', `${sub}/resourceGroups/nope/providers/Microsoft.Compute/disks/d${API}`, { location: 'westeurope' });
  expect(res.status).toBe(404);
  expect(res.body.error.code).toBe('ResourceGroupNotFound');
});

test('collections list stored children and are never 404; subscription lists by type and $filter', async () => {
  const vnet = `${rg}/providers/Microsoft.Network/virtualNetworks/vnet`;
  await call('PUT', `${vnet}?api-version=2025-01-01`, { location: 'westeurope', properties: {} });
  await call('PUT', `${vnet}/subnets/a?api-version=2025-01-01`, { properties: { addressPrefixes: ['10.0.0.0/24'] } });
  const subnets = await call('GET', `${vnet}/subnets?api-version=2025-01-01`);
  expect(subnets.body.value.map((s: any) => s.name)).toEqual(['a']);
  const replications = await call('GET', `${rg}/providers/Microsoft.ContainerRegistry/registries/cr/replications?api-version=2025-11-01`);
  expect(replications).toMatchObject({ status: 200, body: { value: [] } });

  const kv = `${rg}/providers/Microsoft.KeyVault/vaults/kv-test`;
  const vault = await call('PUT', `${kv}?api-version=2026-02-01`, { location: 'westeurope', properties: { tenantId: TENANT_ID } });
  expect(vault.body.properties.vaultUri).toBe('https://kv-test.vault.azure.net/');
  const byType = await call('GET', `${sub}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`);
  expect(byType.body.value.map((v: any) => v.id)).toEqual([kv]);
  const filtered = await call('GET', `${sub}/resources?$filter=${encodeURIComponent("resourceType eq 'Microsoft.KeyVault/vaults'")}&api-version=2022-09-01`);
  expect(filtered.body.value.map((v: any) => v.id)).toEqual([kv]);
  const inGroup = await call('GET', `${rg}/resources?api-version=2022-09-01`);
  expect(inGroup.body.value.map((v: any) => v.name)).toEqual(expect.arrayContaining(['vnet', 'kv-test']));
  expect(inGroup.body.value.map((v: any) => v.name)).not.toContain('a');
});

test('role definitions: one built-in role per name, with its real GUID; assignments carry scope', async () => {
  const list = await call('GET', `${sub}/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Network Contributor'")}&api-version=2022-05-01-preview`);
  expect(list.body.value).toHaveLength(1);
  expect(list.body.value[0].name).toBe('4d97b98b-1d4f-4787-a291-c67834d212e7');
  const byId = await call('GET', `${list.body.value[0].id}?api-version=2022-05-01-preview`);
  expect(byId.body.properties.roleName).toBe('Network Contributor');
  const assignment = `${rg}/providers/Microsoft.Authorization/roleAssignments/11111111-1111-4111-8111-111111111111`;
  const put = await call('PUT', `${assignment}?api-version=2022-04-01`, { properties: { roleDefinitionId: list.body.value[0].id, principalId: OBJECT_ID } });
  expect(put.body.properties).toMatchObject({ scope: rg, principalType: 'ServicePrincipal' });
});

test('a private DNS zone has the SOA record set Azure makes for it', async () => {
  const zone = `${rg}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
  await call('PUT', `${zone}?api-version=2024-06-01`, { location: 'global' });
  const soa = await call('GET', `${zone}/SOA/@?api-version=2024-06-01`);
  expect(soa.status).toBe(200);
  expect(soa.body.properties.soaRecord).toEqual(expect.objectContaining({ host: 'azureprivatedns.net', serialNumber: 1 }));
  expect((await call('GET', `${rg}/providers/Microsoft.Network/privateDnsZones/none.example/SOA/@?api-version=2024-06-01`)).status).toBe(404);
});

test('policy assignments: PUT answers 201 (the only code the SDK accepts for create), GET reads them back', async () => {
  // At the resource group here; the rehearsal puts one on its cluster.
  const assignment = `${rg}/providers/Microsoft.Authorization/policyAssignments/pa-pod-security`;
  const body = { properties: { policyDefinitionId: '/providers/Microsoft.Authorization/policySetDefinitions/a8640138-9b0a-4a28-b8cb-1666c838647d', parameters: { effect: { value: 'audit' } } } };
  expect((await call('PUT', `${assignment}?api-version=2025-01-01`, body)).status).toBe(201);
  const read = await call('GET', `${assignment}?api-version=2025-01-01`);
  expect(read.status).toBe(200);
  expect(read.body.properties.parameters).toEqual({ effect: { value: 'audit' } });
});

test('custom role definitions: PUT answers 201 (the only code the SDK accepts), GET reads them back with createdOn kept', async () => {
  const role = `${rg}/providers/Microsoft.Authorization/roleDefinitions/22222222-2222-4222-8222-222222222222`;
  expect((await call('GET', `${role}?api-version=2022-05-01-preview`)).status).toBe(404);
  const body = { properties: { roleName: 'disk operator', type: 'CustomRole', assignableScopes: [rg], permissions: [{ actions: ['Microsoft.Compute/disks/read'] }] } };
  const put = await call('PUT', `${role}?api-version=2022-05-01-preview`, body);
  expect(put.status).toBe(201);
  const read = await call('GET', `${role}?api-version=2022-05-01-preview`);
  expect(read.status).toBe(200);
  expect(read.body.properties).toMatchObject({ roleName: 'disk operator', createdOn: expect.any(String), updatedOn: expect.any(String) });
  const again = await call('PUT', `${role}?api-version=2022-05-01-preview`, body);
  expect(again.body.properties.createdOn).toBe(read.body.properties.createdOn);
});

test('identities and AKS get the server-side values the provider reads back', async () => {
  const identity = `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks`;
  const id = await call('PUT', `${identity}?api-version=2023-01-31`, { location: 'westeurope' });
  expect(id.body.properties).toMatchObject({ principalId: expect.any(String), clientId: expect.any(String), tenantId: TENANT_ID });
  // Stable across re-PUTs: a second plan must see the same principal.
  expect((await call('PUT', `${identity}?api-version=2023-01-31`, { location: 'westeurope' })).body.properties.principalId).toBe(id.body.properties.principalId);

  const aks = `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-test`;
  const cluster = await call('PUT', `${aks}?api-version=2025-10-01`, {
    location: 'westeurope',
    identity: { type: 'UserAssigned', userAssignedIdentities: { [identity]: {} } },
    properties: {
      kubernetesVersion: '1.33',
      dnsPrefix: 'aks',
      nodeResourceGroup: 'rg-test-nodes',
      oidcIssuerProfile: { enabled: true },
      agentPoolProfiles: [{ name: 'system', mode: 'System', minCount: 1 }],
      addonProfiles: { ingressApplicationGateway: { enabled: true, config: { applicationGatewayId: 'x' } }, omsagent: { enabled: true }, azureKeyvaultSecretsProvider: { enabled: true } },
    },
  });
  const p = cluster.body.properties;
  expect(p).toMatchObject({ currentKubernetesVersion: '1.33', fqdn: expect.any(String), oidcIssuerProfile: { issuerURL: expect.stringMatching(/^https:/) } });
  expect(p.identityProfile.kubeletidentity).toMatchObject({ clientId: expect.any(String), objectId: expect.any(String), resourceId: expect.any(String) });
  for (const addon of ['ingressApplicationGateway', 'omsagent', 'azureKeyvaultSecretsProvider']) expect(p.addonProfiles[addon].identity.objectId).toEqual(expect.any(String));
  expect(cluster.body.identity.userAssignedIdentities[identity].principalId).toBe(id.body.properties.principalId);
  expect((await call('GET', `${aks}/agentPools/system?api-version=2025-10-01`)).body.properties.powerState.code).toBe('Running');

  const creds = await call('POST', `${aks}/listClusterUserCredential?api-version=2025-10-01`);
  expect(creds.body.kubeconfigs[0].name).toBe('clusterUser');
  expect(Buffer.from(creds.body.kubeconfigs[0].value, 'base64').toString()).toBe(KUBECONFIG);

  expect((await call('DELETE', `${aks}/agentPools/system?api-version=2025-10-01`)).status).toBe(202);
  expect((await call('DELETE', `${aks}?api-version=2025-10-01`)).status).toBe(202);
  expect((await call('GET', `${aks}?api-version=2025-10-01`)).status).toBe(404);
  expect(standIn.get(`${sub}/resourceGroups/rg-test-nodes`)).toBeUndefined();
});

test('storage accounts point at the configured blob endpoint and list the configured key', async () => {
  const account = `${rg}/providers/Microsoft.Storage/storageAccounts/sttest`;
  const put = await call('PUT', `${account}?api-version=2025-08-01`, { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } });
  expect(put.body.properties.primaryEndpoints.blob).toBe('http://127.0.0.1:10999/sttest/');
  const keys = await call('POST', `${account}/listKeys?api-version=2025-08-01`);
  expect(keys.body.keys[0]).toMatchObject({ keyName: 'key1', value: 'a2V5' });
  const workspace = `${rg}/providers/Microsoft.OperationalInsights/workspaces/log`;
  const ws = await call('PUT', `${workspace}?api-version=2020-08-01`, { location: 'westeurope', properties: {} });
  expect(ws.body.properties.customerId).toEqual(expect.any(String));
  expect((await call('POST', `${workspace}/sharedKeys?api-version=2020-08-01`)).body.primarySharedKey).toEqual(expect.any(String));
});

test('a CanNotDelete lock on a disk (or its group) refuses the delete with 409 ScopeLocked', async () => {
  standIn.put(disk, { location: 'westeurope', sku: { name: 'Premium_LRS' }, properties: { diskSizeGB: 32, creationData: { createOption: 'Empty' } } });
  const lock = `${disk}/providers/Microsoft.Authorization/locks/do-not-delete`;
  expect((await call('PUT', `${lock}?api-version=2020-05-01`, { properties: { level: 'CanNotDelete' } })).status).toBe(200);
  const refused = await call('DELETE', `${disk}${API}`);
  expect(refused.status).toBe(409);
  expect(refused.body.error.code).toBe('ScopeLocked');
  expect((await call('DELETE', `${rg}?api-version=2023-07-01`)).status).toBe(409);
  expect(standIn.get(disk)?.properties.diskSizeGB).toBe(32);
  // As in Azure, a role assignment can be added at the locked scope but not removed.
  const grant = `${disk}/providers/Microsoft.Authorization/roleAssignments/22222222-2222-4222-8222-222222222222`;
  expect((await call('PUT', `${grant}?api-version=2022-04-01`, { properties: { principalId: OBJECT_ID, roleDefinitionId: 'x' } })).status).toBe(200);
  expect((await call('DELETE', `${grant}?api-version=2022-04-01`)).body.error.code).toBe('ScopeLocked');

  expect((await call('DELETE', `${lock}?api-version=2020-05-01`)).status).toBe(200);
  expect((await call('DELETE', `${disk}${API}`)).status).toBe(200);
});

test('fault injection fails the next matching PUTs, then lets them through', async () => {
  const target = `${rg}/providers/Microsoft.Compute/disks/disk-faulty`;
  standIn.failNext(/disk-faulty$/, { times: 2, status: 409 });
  const body = { location: 'westeurope', properties: { diskSizeGB: 8 } };
  expect((await call('PUT', `${target}${API}`, body)).status).toBe(409);
  expect((await call('PUT', `${target}${API}`, body)).status).toBe(409);
  expect((await call('PUT', `${target}${API}`, body)).status).toBe(200);
  standIn.failNext('disk-faulty');
  const failed = await call('PUT', `${target}${API}`, body);
  expect(failed.status).toBe(500);
  expect(failed.body.error.code).toBe('InternalServerError');
});

test('records what it could not answer, and logs every request to a file', async () => {
  const before = standIn.unanswered().length;
  const res = await call('POST', `${rg}/providers/Microsoft.Compute/disks/nope/frobnicate?api-version=1`);
  expect(res.status).toBe(404);
  await call('GET', '/totally/unknown?x=1');
  const added = standIn.unanswered().slice(before);
  expect(added.map((u) => `${u.method} ${u.path}${u.query}`)).toEqual([`GET /totally/unknown?x=1`]);
  // A POST action on a missing resource is a proper ARM 404, but an unknown action on a real one is not.
  await call('POST', `${rg}/providers/Microsoft.Network/virtualNetworks/vnet/frobnicate?api-version=1`);
  expect(standIn.unanswered().slice(-1)[0]).toMatchObject({ method: 'POST', path: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet/frobnicate` });
  const lines = fs.readFileSync(standIn.requestLogFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.some((l) => l.path === '/totally/unknown' && l.status === 404)).toBe(true);
});

test('Key Vault data plane through the CONNECT proxy: challenge, then secrets with versions and soft delete', async () => {
  const host = 'kv-test.vault.azure.net';
  const challenge = await viaProxy('GET', host, '/secrets/db-password?api-version=7.4');
  expect(challenge.status).toBe(401);
  expect(challenge.headers['www-authenticate']).toMatch(/^Bearer authorization="https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/);
  const auth = { Authorization: 'Bearer x' };
  expect((await viaProxy('GET', host, '/secrets/db-password/?api-version=7.4', auth)).status).toBe(404);
  const v1 = await viaProxy('PUT', host, '/secrets/db-password?api-version=7.4', auth, { value: 's3cret', contentType: 'password' });
  expect(v1.body).toMatchObject({ value: 's3cret', id: expect.stringMatching(/^https:\/\/kv-test\.vault\.azure\.net\/secrets\/db-password\/[0-9a-f]{32}$/) });
  await viaProxy('PUT', host, '/secrets/db-password?api-version=7.4', auth, { value: 'n3w' });
  expect((await viaProxy('GET', host, '/secrets/db-password/?api-version=7.4', auth)).body.value).toBe('n3w');
  expect((await viaProxy('GET', host, '/secrets/db-password/versions?api-version=7.4', auth)).body.value).toHaveLength(2);
  expect((await viaProxy('GET', host, '/certificates/contacts?api-version=7.4', auth)).status).toBe(404);
  const deleted = await viaProxy('DELETE', host, '/secrets/db-password?api-version=7.4', auth);
  expect(deleted.body.recoveryId).toBe('https://kv-test.vault.azure.net/deletedsecrets/db-password');
  expect((await viaProxy('GET', host, '/deletedsecrets/db-password?api-version=7.4', auth)).status).toBe(200);
  expect((await viaProxy('DELETE', host, '/deletedsecrets/db-password?api-version=7.4', auth)).status).toBe(204);
  expect((await viaProxy('GET', host, '/deletedsecrets/db-password?api-version=7.4', auth)).status).toBe(404);
});

test('the proxy refuses (and records) hosts it does not serve', async () => {
  const proxy = new URL(standIn.proxyUrl);
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: 'example.com:443' });
    req.on('connect', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(502);
  expect(standIn.unanswered().some((u) => u.method === 'CONNECT' && u.host === 'example.com:443')).toBe(true);
});

test('seeded resources (a script-era disk) are there from the start, readable as stored', async () => {
  const seeded = await startArmStandIn({ seed: [{ id: rg, body: { location: 'westeurope' } }, { id: disk, body: { location: 'westeurope', properties: { diskSizeGB: 64 } } }] });
  try {
    expect(seeded.get(disk.toUpperCase())).toMatchObject({ id: disk, name: 'disk-mysql', properties: { diskSizeGB: 64, provisioningState: 'Succeeded' } });
    expect(seeded.list().map((r) => r.id)).toEqual([rg, disk]);
  } finally {
    await seeded.stop();
  }
});

test('a token path with a doubled slash (loginEndpoint + "/" + tenant) is still the token endpoint', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const url = new URL(standIn.armUrl);
    const req = https.request({ host: url.hostname, port: url.port, path: `//${TENANT_ID}/oauth2/v2.0/token`, method: 'POST', ca: standIn.caPem, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default');
  });
  expect(status).toBe(200);
});

test('Application Insights: the keys the provider reads, stable across re-PUTs, and its billing features document', async () => {
  const component = `${rg}/providers/Microsoft.Insights/components/appi-test`;
  const put = await call('PUT', `${component}?api-version=2020-02-02`, { location: 'westeurope', kind: 'web', properties: { Application_Type: 'web' } });
  const p = put.body.properties;
  expect(p).toMatchObject({ AppId: expect.any(String), InstrumentationKey: expect.any(String) });
  expect(p.ConnectionString).toBe(`InstrumentationKey=${p.InstrumentationKey};IngestionEndpoint=https://westeurope-0.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=${p.AppId}`);
  expect((await call('PUT', `${component}?api-version=2020-02-02`, { location: 'westeurope', kind: 'web', properties: { Application_Type: 'web' } })).body.properties.InstrumentationKey).toBe(p.InstrumentationKey);

  const billing = `${component}/currentbillingfeatures?api-version=2015-05-01`;
  expect(await call('GET', billing)).toMatchObject({ status: 200, body: { CurrentBillingFeatures: ['Basic'], DataVolumeCap: { Cap: 100, StopSendNotificationWhenHitCap: false } } });
  const update = { CurrentBillingFeatures: ['Basic'], DataVolumeCap: { Cap: 5, StopSendNotificationWhenHitCap: true } };
  expect(await call('PUT', billing, update)).toMatchObject({ status: 200, body: update });
  expect((await call('GET', billing)).body).toEqual(update);
  // The component's own body does not carry the document.
  expect((await call('GET', `${component}?api-version=2020-02-02`)).body).not.toHaveProperty('DataVolumeCap');

  // Gone with its component: a new component of the same name starts from Azure's default.
  await call('DELETE', `${component}?api-version=2020-02-02`);
  await call('PUT', `${component}?api-version=2020-02-02`, { location: 'westeurope', kind: 'web', properties: { Application_Type: 'web' } });
  expect((await call('GET', billing)).body.DataVolumeCap.Cap).toBe(100);
  expect(standIn.unanswered().filter((u) => /currentbillingfeatures/i.test(u.path))).toEqual([]);
});

test('a secret written through the Key Vault data plane is an ARM child of its vault, so a role assignment can be scoped to it', async () => {
  const kv = `${rg}/providers/Microsoft.KeyVault/vaults/kv-scoped`;
  await call('PUT', `${kv}?api-version=2026-02-01`, { location: 'westeurope', properties: { tenantId: TENANT_ID } });
  const secret = `${kv}/secrets/app-secret-key`;
  const assignment = `${secret}/providers/Microsoft.Authorization/roleAssignments/${'5'.repeat(8)}-5555-4555-8555-${'5'.repeat(12)}`;
  const grant = { properties: { roleDefinitionId: `${sub}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`, principalId: OBJECT_ID } };

  // Before the user stores it, Azure refuses the assignment: the parent is missing.
  expect(await call('GET', `${secret}?api-version=2026-02-01`)).toMatchObject({ status: 404 });
  expect(await call('PUT', `${assignment}?api-version=2022-04-01`, grant)).toMatchObject({ status: 404, body: { error: { code: 'ParentResourceNotFound' } } });

  const versionId = await setSecret(standIn, 'kv-scoped', 'app-secret-key', 'never-in-arm');
  const arm = await call('GET', `${secret}?api-version=2026-02-01`);
  expect(arm).toMatchObject({
    status: 200,
    body: { id: secret, name: 'app-secret-key', type: 'Microsoft.KeyVault/vaults/secrets', properties: { secretUri: 'https://kv-scoped.vault.azure.net/secrets/app-secret-key', secretUriWithVersion: versionId, attributes: { enabled: true } } },
  });
  expect(JSON.stringify(arm.body)).not.toContain('never-in-arm');
  expect(await call('PUT', `${assignment}?api-version=2022-04-01`, grant)).toMatchObject({ status: 200, body: { properties: { scope: secret } } });

  // A secret of another vault of the same subscription is not this vault's child.
  expect((await call('GET', `${rg}/providers/Microsoft.KeyVault/vaults/kv-test/secrets/app-secret-key?api-version=2026-02-01`)).status).toBe(404);
  // Deleted (soft) in the data plane: no longer an ARM resource.
  const auth = { Authorization: 'Bearer x' };
  expect((await viaProxy('DELETE', 'kv-scoped.vault.azure.net', '/secrets/app-secret-key?api-version=7.4', auth)).status).toBe(200);
  expect((await call('GET', `${secret}?api-version=2026-02-01`)).status).toBe(404);
});
