/** One test per rule of the environment schema: each bad value fails with file, path, rule and value. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ConfigError, loadEnvironmentFile, loadEnvironments, validateEnvironment } from './load';

const FILE = 'config/environments/prod.yaml';
const committed = parse(fs.readFileSync(path.join(__dirname, 'environments', 'prod.yaml'), 'utf8'));
const STAGING_FILE = 'config/environments/staging.yaml';
const committedStaging = parse(fs.readFileSync(path.join(__dirname, 'environments', 'staging.yaml'), 'utf8'));

/** A copy of prod.yaml with one change applied. */
function withChange(change: (doc: any) => void): any {
  const doc = JSON.parse(JSON.stringify(committed));
  change(doc);
  return doc;
}

/** The problems a document produces, as `path: rule (got value)` lines. */
function problemsOf(doc: any, file = FILE): string[] {
  try {
    validateEnvironment(doc, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

function expectProblem(doc: any, pathText: string, rule: RegExp, value: string, file = FILE): void {
  const problems = problemsOf(doc, file);
  const match = problems.find((p) => p.startsWith(`${file}: ${pathText}: `));
  expect({ problems, match: match !== undefined }).toEqual({ problems, match: true });
  expect(match).toMatch(rule);
  expect(match).toContain(`(got ${value})`);
}

test('the committed prod.yaml is valid', () => {
  expect(problemsOf(committed)).toEqual([]);
});

describe('field rules', () => {
  test('fails if a required field is missing', () => {
    expectProblem(withChange((d) => delete d.location), 'location', /expected string/i, 'nothing');
  });
  test('fails if a key is misspelt', () => {
    expectProblem(withChange((d) => (d.network.vnetCidrs = '10.0.0.0/16')), 'network.vnetCidrs', /not a known field/, '"10.0.0.0/16"');
  });
  test('fails if the environment name is not 2-8 lowercase letters and digits', () => {
    expectProblem(withChange((d) => (d.environment = 'Qa-1')), 'environment', /2-8 lowercase letters and digits/, '"Qa-1"', 'config/environments/Qa-1.yaml');
    expectProblem(withChange((d) => (d.environment = 'preprod01')), 'environment', /2-8 lowercase letters and digits/, '"preprod01"', 'config/environments/preprod01.yaml');
  });
  test('accepts any valid environment name that matches its file', () => {
    expect(problemsOf(withChange((d) => (d.environment = 'qa')), 'config/environments/qa.yaml')).toEqual([]);
  });
  test('fails if purpose is neither development nor production', () => {
    expectProblem(withChange((d) => (d.purpose = 'testing')), 'purpose', /development|production/, '"testing"');
  });
  test('accepts cpu written as a number and passes it on as the string Kubernetes expects', () => {
    const doc = withChange((d) => (d.application.resources = { backend: { cpu: 1, memory: '4Gi', cpuLimit: 1.5 } }));
    expect(problemsOf(doc)).toEqual([]);
    expect(validateEnvironment(doc, FILE).application.resources.backend).toEqual({ cpu: '1', memory: '4Gi', cpuLimit: '1.5' });
  });
  test('fails if cpu is a negative number', () => {
    expectProblem(withChange((d) => (d.application.resources = { backend: { cpu: -1, memory: '4Gi' } })), 'application.resources.backend.cpu', /CPU quantity/, '"-1"');
  });
  test('fails if the environment does not match the file name', () => {
    expectProblem(withChange((d) => (d.environment = 'staging')), 'environment', /must match the file name \(prod\)/, '"staging"');
  });
  test('fails if the region is unknown', () => {
    expectProblem(withChange((d) => (d.location = 'moon-west')), 'location', /known Azure regions/, '"moon-west"');
  });
  test('fails if a CIDR is malformed', () => {
    expectProblem(withChange((d) => (d.network.vnetCidr = '10.30.0.0')), 'network.vnetCidr', /IPv4 CIDR/, '"10.30.0.0"');
  });
  test('fails if a node count is not an integer', () => {
    expectProblem(withChange((d) => (d.cluster.userNodePool.maxCount = 2.5)), 'cluster.userNodePool.maxCount', /int/i, '2.5');
  });
  test('fails if a VM size is not an Azure size', () => {
    expectProblem(withChange((d) => (d.cluster.userNodePool.vmSize = 'big')), 'cluster.userNodePool.vmSize', /Azure VM size/, '"big"');
  });
  test('fails if a zone is not 1, 2 or 3', () => {
    expectProblem(withChange((d) => (d.dataDisks.zone = 4)), 'dataDisks.zone', /1|2|3/, '4');
  });
  test('accepts zones written as numbers or strings', () => {
    expect(problemsOf(withChange((d) => (d.dataDisks.zone = '1')))).toEqual([]);
  });
  test('fails if zones repeat', () => {
    expectProblem(withChange((d) => (d.applicationGateway.zones = [1, 1])), 'applicationGateway.zones', /must not repeat/, '["1","1"]');
  });
  test('fails if an admin group is not a GUID', () => {
    expectProblem(withChange((d) => (d.cluster.adminGroupObjectIds = ['admins'])), 'cluster.adminGroupObjectIds.0', /GUID/, '"admins"');
  });
  test('fails if an existing disk ID is not a managed disk ID', () => {
    expectProblem(withChange((d) => (d.dataDisks.existingDiskIds = { mysql: 'opik-mysql-data-1' })), 'dataDisks.existingDiskIds.mysql', /managed disk resource ID/, '"opik-mysql-data-1"');
  });
  test('fails if a disk is missing from dataDisks.disks', () => {
    expectProblem(withChange((d) => delete d.dataDisks.disks.zookeeper), 'dataDisks.disks.zookeeper', /expected object/i, 'nothing');
  });
  test('fails if an extra node pool name breaks the AKS rule', () => {
    expectProblem(withChange((d) => (d.cluster.extraNodePools[0].name = 'ETL-pool')), 'cluster.extraNodePools.0.name', /1-12 lowercase/, '"ETL-pool"');
  });
  test('fails if a taint is malformed', () => {
    expectProblem(withChange((d) => (d.cluster.extraNodePools[0].taints = ['etl'])), 'cluster.extraNodePools.0.taints.0', /key=value:Effect/, '"etl"');
  });
  test('fails if the e-mail is malformed', () => {
    expectProblem(withChange((d) => (d.application.letsEncryptEmail = 'nobody')), 'application.letsEncryptEmail', /e-mail/, '"nobody"');
  });
});

describe('cross-field rules', () => {
  test('fails if a subnet lies outside the VNet', () => {
    expectProblem(withChange((d) => (d.network.aksSubnetCidr = '10.31.0.0/20')), 'network.aksSubnetCidr', /inside network.vnetCidr \(10.30.0.0\/16\)/, '"10.31.0.0/20"');
  });
  test('fails if the subnets overlap', () => {
    expectProblem(withChange((d) => (d.network.appGatewaySubnetCidr = '10.30.8.0/24')), 'network.appGatewaySubnetCidr', /must not overlap network.aksSubnetCidr/, '"10.30.8.0/24"');
  });
  test('fails if the service CIDR overlaps the VNet', () => {
    expectProblem(withChange((d) => { d.network.serviceCidr = '10.30.128.0/20'; d.network.dnsServiceIp = '10.30.128.10'; }), 'network.serviceCidr', /must not overlap network.vnetCidr/, '"10.30.128.0/20"');
  });
  test('fails if a CIDR does not start at its network address', () => {
    expectProblem(withChange((d) => (d.network.aksSubnetCidr = '10.30.0.5/20')), 'network.aksSubnetCidr', /network address \(10.30.0.0\/20\)/, '"10.30.0.5/20"');
  });
  test('fails if the DNS service IP is outside the service CIDR', () => {
    expectProblem(withChange((d) => (d.network.dnsServiceIp = '172.17.0.10')), 'network.dnsServiceIp', /inside network.serviceCidr/, '"172.17.0.10"');
  });
  test('fails if the gateway subnet is smaller than /26', () => {
    expectProblem(withChange((d) => (d.network.appGatewaySubnetCidr = '10.30.16.0/27')), 'network.appGatewaySubnetCidr', /\/26 or larger/, '"10.30.16.0/27"');
  });
  test('fails if the AKS subnet cannot hold every node at maxCount', () => {
    expectProblem(withChange((d) => (d.network.aksSubnetCidr = '10.30.0.0/24')), 'network.aksSubnetCidr', /\d+ needed, 256 available/, '"10.30.0.0/24"');
  });
  test('fails if an autoscaling minimum exceeds the maximum', () => {
    expectProblem(withChange((d) => (d.cluster.userNodePool.minCount = 11)), 'cluster.userNodePool.minCount', /<= maxCount \(10\)/, '11');
  });
  test('fails if the gateway minimum capacity exceeds the maximum', () => {
    expectProblem(withChange((d) => (d.applicationGateway.minCapacity = 20)), 'applicationGateway.minCapacity', /<= applicationGateway.maxCapacity/, '20');
  });
  test('fails if the system pool can scale to zero', () => {
    expectProblem(withChange((d) => (d.cluster.systemNodePool.minCount = 0)), 'cluster.systemNodePool.minCount', /must be >= 1/, '0');
  });
  test('fails if the user pool can scale to zero', () => {
    expectProblem(withChange((d) => (d.cluster.userNodePool.minCount = 0)), 'cluster.userNodePool.minCount', /must be >= 1: Opik and its databases run on the user pool/, '0');
  });
  test('fails if an extra pool reuses a reserved name', () => {
    expectProblem(withChange((d) => (d.cluster.extraNodePools[0].name = 'user')), 'cluster.extraNodePools.0.name', /unique/, '"user"');
  });
  test('fails if local accounts are enabled without purpose: development', () => {
    expectProblem(withChange((d) => (d.cluster.localAccountDisabled = false)), 'cluster.localAccountDisabled', /must be true unless the file says purpose: development/, 'false');
  });
  test('fails if local accounts are enabled in staging', () => {
    const doc = JSON.parse(JSON.stringify(committedStaging));
    doc.cluster.localAccountDisabled = false;
    expectProblem(doc, 'cluster.localAccountDisabled', /must be true unless the file says purpose: development/, 'false', STAGING_FILE);
  });
  test('fails if local accounts are enabled with purpose: production written out', () => {
    expectProblem(withChange((d) => { d.purpose = 'production'; d.cluster.localAccountDisabled = false; }), 'cluster.localAccountDisabled', /purpose: development/, 'false');
  });
  test('accepts local accounts in an environment of any name with purpose: development', () => {
    const doc = withChange((d) => { d.environment = 'sandbox'; d.purpose = 'development'; d.cluster.localAccountDisabled = false; });
    expect(problemsOf(doc, 'config/environments/sandbox.yaml')).toEqual([]);
  });
  test('fails if an ephemeral OS disk is larger than the VM size\'s temp disk', () => {
    expectProblem(withChange((d) => { d.cluster.systemNodePool.vmSize = 'Standard_D2ds_v5'; d.cluster.systemNodePool.osDiskSizeGb = 100; }), 'cluster.systemNodePool.osDiskSizeGb', /must be <= 75 \(the temp disk of Standard_D2ds_v5\)/, '100');
  });
  test('fails if the default OS disk size does not fit the VM size\'s temp disk', () => {
    expectProblem(withChange((d) => { d.cluster.userNodePool.vmSize = 'Standard_E2ds_v5'; delete d.cluster.userNodePool.osDiskSizeGb; }), 'cluster.userNodePool.osDiskSizeGb', /must be <= 75 .*absent means 128/, '128');
  });
  test('fails if a VM size not in the table has an ephemeral OS disk without osDiskSizeGb', () => {
    expectProblem(withChange((d) => { d.cluster.extraNodePools[0].vmSize = 'Standard_D4as_v5'; delete d.cluster.extraNodePools[0].osDiskSizeGb; }), 'cluster.extraNodePools.0.osDiskSizeGb', /must be set for Standard_D4as_v5 .*set osDiskSizeGb .*or osDiskType: Managed/, 'nothing');
  });
  test('accepts a VM size not in the table with osDiskSizeGb set or a managed OS disk', () => {
    expect(problemsOf(withChange((d) => { d.cluster.extraNodePools[0].vmSize = 'Standard_D4as_v5'; d.cluster.extraNodePools[0].osDiskSizeGb = 64; }))).toEqual([]);
    expect(problemsOf(withChange((d) => { d.cluster.extraNodePools[0].vmSize = 'Standard_D4as_v5'; d.cluster.extraNodePools[0].osDiskType = 'Managed'; }))).toEqual([]);
  });
  test('accepts an OS disk larger than the temp disk when it is managed', () => {
    expect(problemsOf(withChange((d) => { d.cluster.systemNodePool.vmSize = 'Standard_D2ds_v5'; d.cluster.systemNodePool.osDiskSizeGb = 256; d.cluster.systemNodePool.osDiskType = 'Managed'; }))).toEqual([]);
  });
  test('fails if the data disk zone is not a zone of the user pool', () => {
    expectProblem(withChange((d) => (d.cluster.userNodePool.zones = [2, 3])), 'dataDisks.zone', /cluster.userNodePool.zones \(2, 3\)/, '"1"');
  });
  test('reports a broken rule of the shared dataDisks.zone once, naming every disk, not once per disk', () => {
    const problems = problemsOf(withChange((d) => (d.cluster.userNodePool.zones = [2, 3])));
    const zoneProblems = problems.filter((p) => p.startsWith(`${FILE}: dataDisks.zone: `));
    expect(zoneProblems).toHaveLength(1);
    expect(zoneProblems[0]).toContain('disks: mysql, clickhouse, minio, redis, zookeeper');
    const zrs = problemsOf(withChange((d) => (d.dataDisks.skuName = 'Premium_ZRS'))).filter((p) => p.startsWith(`${FILE}: dataDisks.zone: `));
    expect(zrs).toHaveLength(1);
    expect(zrs[0]).toMatch(/must be null for mysql, clickhouse, minio, redis, zookeeper: Premium_ZRS/);
  });
  test('still reports a disk\'s own zone on that disk\'s field', () => {
    const problems = problemsOf(withChange((d) => { d.cluster.userNodePool.zones = [2, 3]; d.dataDisks.zone = 2; d.dataDisks.disks.redis.zone = 1; }));
    expect(problems.filter((p) => p.includes('zone'))).toEqual([expect.stringMatching(/^config\/environments\/prod\.yaml: dataDisks\.disks\.redis\.zone: .*disks: redis\)/)]);
  });
  test('fails if a regional disk is used with a zonal user pool', () => {
    expectProblem(withChange((d) => (d.dataDisks.disks.redis.zone = null)), 'dataDisks.disks.redis.zone', /attaches only to nodes without a zone/, 'null');
  });
  test('fails if a zone-redundant disk is given a zone', () => {
    expectProblem(withChange((d) => (d.dataDisks.skuName = 'Premium_ZRS')), 'dataDisks.zone', /zone-redundant, not zonal/, '"1"');
  });
  test('fails if a Premium SSD v2 disk has no zone', () => {
    expectProblem(withChange((d) => { d.dataDisks.disks.mysql.skuName = 'PremiumV2_LRS'; d.dataDisks.disks.mysql.zone = null; }), 'dataDisks.disks.mysql.zone', /always zonal/, 'null');
  });
  test('fails if one existing disk is adopted for two components', () => {
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/opik-rg/providers/Microsoft.Compute/disks/opik-minio-data-1';
    expectProblem(withChange((d) => (d.dataDisks.existingDiskIds = { clickhouse: id, minio: id })), 'dataDisks.existingDiskIds.minio', /must differ from dataDisks.existingDiskIds.clickhouse/, JSON.stringify(id));
  });
  test('fails if a domain with autoSsl has no Let\'s Encrypt e-mail', () => {
    expectProblem(withChange((d) => delete d.application.letsEncryptEmail), 'application.letsEncryptEmail', /required when application.domain is set/, 'nothing');
  });
  test('fails if the derived Key Vault name exceeds 24 characters', () => {
    const doc = withChange((d) => { d.environment = 'staging'; d.workload = 'opikplatfo'; d.location = 'northcentralus'; });
    expectProblem(doc, 'workload', /keyVault name "kv-opikplatfo-staging-ncus".*3-24/, '"opikplatfo"', 'config/environments/staging.yaml');
  });
  test('fails if an instance token makes the Key Vault name too long', () => {
    expectProblem(withChange((d) => { d.workload = 'opikplat'; d.instance = 'abcdef'; }), 'instance', /keyVault name "kv-opikplat-prod-weu-abcdef"/, '"abcdef"');
  });
  test('fails if the state storage account name breaks the storage rule', () => {
    expectProblem(withChange((d) => (d.state.storageAccountName = 'St-State')), 'state.storageAccountName', /3-24 lowercase letters and digits/, '"St-State"');
  });
});

describe('GPU pools', () => {
  /** prod.yaml's GPU pool, found by name so a reordered file cannot point the tests at another pool. */
  const gpuIndex = (committed.cluster.extraNodePools as any[]).findIndex((pool) => pool.gpu);
  const at = `cluster.extraNodePools.${gpuIndex}`;
  const withGpuChange = (change: (pool: any) => void) => withChange((d) => change(d.cluster.extraNodePools[gpuIndex]));

  test('the committed prod.yaml has a GPU pool that scales from zero', () => {
    expect(gpuIndex).toBeGreaterThanOrEqual(0);
    expect(committed.cluster.extraNodePools[gpuIndex].minCount).toBe(0);
  });
  test('a GPU pool without taints gets sku=gpu:NoSchedule', () => {
    const config = validateEnvironment(withGpuChange((pool) => delete pool.taints), FILE);
    expect(config.cluster.extraNodePools[gpuIndex].taints).toEqual(['sku=gpu:NoSchedule']);
  });
  test('a pool without gpu gets no taint it did not ask for', () => {
    const config = validateEnvironment(withChange((d) => (d.cluster.extraNodePools[0].taints = [])), FILE);
    expect(config.cluster.extraNodePools[0].taints).toEqual([]);
  });
  test('fails if a GPU pool uses a size without a GPU', () => {
    expectProblem(withGpuChange((pool) => (pool.vmSize = 'Standard_D8ds_v5')), `${at}.vmSize`, /must be an NVIDIA GPU size/, '"Standard_D8ds_v5"');
  });
  test('fails if a GPU pool uses an AMD GPU size', () => {
    expectProblem(withGpuChange((pool) => { pool.vmSize = 'Standard_NV8as_v4'; pool.osDiskType = 'Managed'; }), `${at}.vmSize`, /must be an NVIDIA GPU size/, '"Standard_NV8as_v4"');
  });
  test('fails if the GPU vendor is not nvidia', () => {
    expectProblem(withGpuChange((pool) => (pool.gpu.vendor = 'amd')), `${at}.gpu.vendor`, /nvidia/, '"amd"');
  });
  test('fails if a GPU pool has taints of its own but not sku=gpu:NoSchedule', () => {
    expectProblem(withGpuChange((pool) => (pool.taints = ['workload=gpu:NoSchedule'])), `${at}.taints`, /must include sku=gpu:NoSchedule/, '["workload=gpu:NoSchedule"]');
  });
  test('accepts a GPU pool with taints of its own beside sku=gpu:NoSchedule', () => {
    expect(problemsOf(withGpuChange((pool) => (pool.taints = ['sku=gpu:NoSchedule', 'team=ml:NoSchedule'])))).toEqual([]);
  });
  test('fails if a GPU pool keeps idle nodes without saying so', () => {
    expectProblem(withGpuChange((pool) => (pool.minCount = 1)), `${at}.minCount`, /must be 0 for a GPU pool.*allowIdleNodes: true/, '1');
  });
  test('accepts idle GPU nodes with allowIdleNodes', () => {
    expect(problemsOf(withGpuChange((pool) => { pool.minCount = 1; pool.gpu.allowIdleNodes = true; }))).toEqual([]);
  });
  test('fails if a pool with a GPU size does not set gpu', () => {
    expectProblem(withGpuChange((pool) => delete pool.gpu), `${at}.vmSize`, /is a GPU \(N-series\) size: set .*gpu: \{ vendor: nvidia \}/, '"Standard_NC4as_T4_v3"');
  });
  test('fails if the system or user pool uses a GPU size', () => {
    expectProblem(withChange((d) => (d.cluster.userNodePool.vmSize = 'Standard_NC8as_T4_v3')), 'cluster.userNodePool.vmSize', /must not be a GPU \(N-series\) size/, '"Standard_NC8as_T4_v3"');
  });
  test('fails if the default OS disk does not fit an A100 size\'s 64 GiB temp disk', () => {
    expectProblem(withGpuChange((pool) => (pool.vmSize = 'Standard_NC24ads_A100_v4')), `${at}.osDiskSizeGb`, /must be <= 64 \(the temp disk of Standard_NC24ads_A100_v4\)/, '128');
  });
});

describe('files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('fails if the YAML does not parse, naming the line', () => {
    const file = path.join(dir, 'dev.yaml');
    fs.writeFileSync(file, 'environment: dev\nnetwork: [unclosed\n');
    expect(() => loadEnvironmentFile(file)).toThrow(/dev\.yaml: \(top level\): is not valid YAML at line \d+/);
  });

  test('fails if a key appears twice', () => {
    const file = path.join(dir, 'staging.yaml');
    fs.writeFileSync(file, 'environment: staging\nenvironment: prod\n');
    expect(() => loadEnvironmentFile(file)).toThrow(/not valid YAML/);
  });

  test('fails if the file does not exist', () => {
    expect(() => loadEnvironmentFile(path.join(dir, 'nope.yaml'))).toThrow(/nope\.yaml: \(top level\): cannot be read \(ENOENT\)/);
  });

  test('reports the problems of every file in one run', () => {
    const multi = fs.mkdtempSync(path.join(dir, 'multi-'));
    fs.writeFileSync(path.join(multi, 'dev.yaml'), 'environment: dev\n');
    fs.writeFileSync(path.join(multi, 'prod.yaml'), 'environment: prod\n');
    let message = '';
    try {
      loadEnvironments(multi);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/dev\.yaml: location:/);
    expect(message).toMatch(/prod\.yaml: location:/);
  });

  test('fails if the VNets of two environments overlap, naming both files, the field and both values', () => {
    const overlap = fs.mkdtempSync(path.join(dir, 'overlap-'));
    const prod = fs.readFileSync(path.join(__dirname, 'environments', 'prod.yaml'), 'utf8');
    fs.copyFileSync(path.join(__dirname, 'environments', 'prod.yaml'), path.join(overlap, 'prod.yaml'));
    // qa's VNet 10.30.128.0/17 lies inside prod's 10.30.0.0/16; its subnets are moved inside it.
    fs.writeFileSync(
      path.join(overlap, 'qa.yaml'),
      prod
        .replace('environment: prod', 'environment: qa')
        .replace(/vnetCidr: .*/, 'vnetCidr: 10.30.128.0/17')
        .replace(/aksSubnetCidr: .*/, 'aksSubnetCidr: 10.30.128.0/20')
        .replace(/appGatewaySubnetCidr: .*/, 'appGatewaySubnetCidr: 10.30.144.0/24')
        .replace(/  subnetCidr: 10\.30\.17\.0\/24/, '  subnetCidr: 10.30.145.0/24'),
    );
    expect(() => loadEnvironments(overlap)).toThrow(
      new ConfigError([{ file: path.join(overlap, 'qa.yaml'), path: 'network.vnetCidr', rule: `must not overlap network.vnetCidr of ${path.join(overlap, 'prod.yaml')} (10.30.0.0/16): environments may be peered one day`, value: '10.30.128.0/17' }]),
    );
  });

  test('fails if two environments share a state account but not its network access, naming both files', () => {
    const shared = fs.mkdtempSync(path.join(dir, 'shared-'));
    const dev = fs.readFileSync(path.join(__dirname, 'environments', 'dev.yaml'), 'utf8');
    fs.copyFileSync(path.join(__dirname, 'environments', 'dev.yaml'), path.join(shared, 'dev.yaml'));
    // qa: dev's shape in its own VNet, on the same derived account, but open to every address.
    fs.writeFileSync(
      path.join(shared, 'qa.yaml'),
      dev
        .replace('environment: dev', 'environment: qa')
        .replace(/10\.10\./g, '10.11.')
        .replace(/  networkAccess:\n    type: allow-list\n    ipRanges:\n      - [^\n]+\n/, '  networkAccess: { type: public }\n'),
    );
    let message = '';
    try {
      loadEnvironments(shared);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${path.join(shared, 'qa.yaml')}: state.networkAccess: must equal state.networkAccess of ${path.join(shared, 'dev.yaml')}`);
    expect(message).toContain('both keep their state in account stopiktfstateweu');
    expect(message).toContain('(got {"type":"public"})');
  });

  test('accepts environments whose VNets do not overlap', () => {
    expect(() => loadEnvironments(path.join(__dirname, 'environments'))).not.toThrow();
  });
});

describe('delivery.roleScope', () => {
  const github = { owner: 'acme', repository: 'opik-infra' };
  test('subscription scope in a production environment is refused', () => {
    expectProblem(withChange((d) => (d.delivery = { github, roleScope: 'subscription' })), 'delivery.roleScope', /must be resource-groups in a production environment, unless delivery\.subscriptionHoldsOnlyThisEnvironment: true/, '"subscription"');
  });
  test('subscription scope in production with the written acknowledgement is accepted', () => {
    expect(problemsOf(withChange((d) => (d.delivery = { github, roleScope: 'subscription', subscriptionHoldsOnlyThisEnvironment: true })))).toEqual([]);
  });
  test('the acknowledgement takes only true', () => {
    expectProblem(withChange((d) => (d.delivery = { github, roleScope: 'subscription', subscriptionHoldsOnlyThisEnvironment: 'yes' })), 'delivery.subscriptionHoldsOnlyThisEnvironment', /true/, '"yes"');
  });
  test('subscription scope in a development environment is accepted; resource-groups anywhere', () => {
    expect(problemsOf(withChange((d) => { d.environment = 'sandbox'; d.purpose = 'development'; d.delivery = { github, roleScope: 'subscription' }; }), 'config/environments/sandbox.yaml')).toEqual([]);
    expect(problemsOf(withChange((d) => (d.delivery = { github, roleScope: 'resource-groups' })))).toEqual([]);
  });
});
