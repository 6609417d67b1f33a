import { DATA_COMPONENTS, regionAbbreviation, resourceNames, stateStorageNames } from './naming';

const names = resourceNames({ workload: 'opik', environment: 'prod', location: 'westeurope' });

test('names follow <CAF abbreviation>-<workload>-<env>-<region>', () => {
  expect(names.resourceGroup).toBe('rg-opik-prod-weu');
  expect(names.virtualNetwork).toBe('vnet-opik-prod-weu');
  expect(names.aksSubnet).toBe('snet-opik-prod-weu-aks');
  expect(names.appGatewayNetworkSecurityGroup).toBe('nsg-opik-prod-weu-agw');
  expect(names.appGatewayPublicIp).toBe('pip-opik-prod-weu-agw');
  expect(names.applicationGateway).toBe('agw-opik-prod-weu');
  expect(names.kubernetesCluster).toBe('aks-opik-prod-weu');
  expect(names.keyVault).toBe('kv-opik-prod-weu');
  expect(names.logAnalyticsWorkspace).toBe('log-opik-prod-weu');
  expect(names.dataDisk('clickhouse')).toBe('disk-opik-prod-weu-clickhouse');
});

test('registry and storage names are compact lowercase alphanumerics', () => {
  expect(names.containerRegistry).toBe('cropikprodweu');
  expect(stateStorageNames({ workload: 'opik', location: 'westeurope' })).toEqual({ resourceGroup: 'rg-opik-tfstate-weu', storageAccount: 'stopiktfstateweu' });
});

test('an instance token is appended to every name', () => {
  const withInstance = resourceNames({ workload: 'opik', environment: 'dev', location: 'uksouth', instance: 'acme' });
  expect(withInstance.keyVault).toBe('kv-opik-dev-uks-acme');
  expect(withInstance.containerRegistry).toBe('cropikdevuksacme');
});

test('names are pure: the same input always gives the same names, one per disk', () => {
  const again = resourceNames({ workload: 'opik', environment: 'prod', location: 'westeurope' });
  expect(JSON.stringify(again)).toBe(JSON.stringify(names));
  expect(new Set(DATA_COMPONENTS.map(names.dataDisk)).size).toBe(DATA_COMPONENTS.length);
});

test('fails if the region has no abbreviation', () => {
  expect(() => regionAbbreviation('atlantis')).toThrow(/no region abbreviation for location "atlantis"/);
});
