/**
 * The one naming convention for every Azure resource this project creates.
 *
 * Names follow the Cloud Adoption Framework abbreviations
 * (https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-abbreviations)
 * as `<abbreviation>-<workload>-<environment>-<region>[-<instance>]`. They are pure functions of
 * the environment file: no timestamps and no random suffixes, so a re-run addresses the same
 * resources instead of creating new ones. Config validation calls these same functions, so a
 * name that Azure would reject is reported against the environment file before synth.
 */

/** Short region codes, so that names stay inside Azure's length limits (Key Vault: 24). */
export const REGION_ABBREVIATIONS: Readonly<Record<string, string>> = {
  australiaeast: 'aue',
  australiasoutheast: 'ause',
  brazilsouth: 'brs',
  canadacentral: 'cac',
  canadaeast: 'cae',
  centralindia: 'inc',
  centralus: 'cus',
  eastasia: 'ea',
  eastus: 'eus',
  eastus2: 'eus2',
  francecentral: 'frc',
  germanywestcentral: 'gwc',
  italynorth: 'itn',
  japaneast: 'jpe',
  japanwest: 'jpw',
  koreacentral: 'krc',
  northcentralus: 'ncus',
  northeurope: 'neu',
  norwayeast: 'noe',
  polandcentral: 'plc',
  southafricanorth: 'san',
  southcentralus: 'scus',
  southeastasia: 'sea',
  spaincentral: 'spc',
  swedencentral: 'sdc',
  switzerlandnorth: 'szn',
  uaenorth: 'uan',
  uksouth: 'uks',
  ukwest: 'ukw',
  westcentralus: 'wcus',
  westeurope: 'weu',
  westus: 'wus',
  westus2: 'wus2',
  westus3: 'wus3',
};

/** The data components that each get one managed disk. Order is the order of every listing. */
export const DATA_COMPONENTS = ['mysql', 'clickhouse', 'minio', 'redis', 'zookeeper'] as const;
export type DataComponent = (typeof DATA_COMPONENTS)[number];

export interface NamingInput {
  readonly workload: string;
  readonly environment: string;
  readonly location: string;
  /** Optional instance or organisation token, for names that must be globally unique. */
  readonly instance?: string;
}

/** Every name of every resource, derived once from the environment file. */
export interface ResourceNames {
  readonly resourceGroup: string;
  readonly virtualNetwork: string;
  readonly aksSubnet: string;
  readonly appGatewaySubnet: string;
  readonly aksNetworkSecurityGroup: string;
  readonly appGatewayNetworkSecurityGroup: string;
  /** Subnet and NSG of the private endpoints (privateEndpoints.enabled). */
  readonly privateEndpointSubnet: string;
  readonly privateEndpointNetworkSecurityGroup: string;
  readonly keyVaultPrivateEndpoint: string;
  readonly containerRegistryPrivateEndpoint: string;
  /** Alert on reads of this environment's state by others than the pipeline (pipeline-identity stack). */
  readonly stateReadAlert: string;
  /** Azure Policy assignment of the pod security baseline initiative on the cluster. */
  readonly podSecurityPolicyAssignment: string;
  readonly stateReadActionGroup: string;
  readonly appGatewayPublicIp: string;
  /** DNS label of the gateway's IP: `<label>.<location>.cloudapp.azure.com`, the host when no domain is set. */
  readonly appGatewayDnsLabel: string;
  readonly applicationGateway: string;
  readonly wafPolicy: string;
  readonly kubernetesCluster: string;
  readonly kubernetesDnsPrefix: string;
  readonly nodeResourceGroup: string;
  readonly clusterIdentity: string;
  readonly containerRegistry: string;
  readonly keyVault: string;
  readonly logAnalyticsWorkspace: string;
  readonly backupVault: string;
  readonly diskBackupPolicy: string;
  readonly snapshotResourceGroup: string;
  /** Entra ID app registration that signs users in to Opik (oauth2-proxy's client). */
  readonly signInApplication: string;
  /** Managed identity external-dns uses (workload identity) to write the Azure DNS zone. */
  readonly externalDnsIdentity: string;
  /** Managed identity GitHub Actions applies reviewed plans with (GitHub environment `<env>`). */
  readonly deployIdentity: string;
  /** Managed identity GitHub Actions plans with (pull requests, nightly drift): reads only. */
  readonly planIdentity: string;
  /** Azure Monitor workspace: the managed Prometheus store. */
  readonly monitorWorkspace: string;
  readonly dataCollectionEndpoint: string;
  /** Data collection rule that sends the cluster's Prometheus metrics to the workspace. */
  readonly prometheusDataCollectionRule: string;
  readonly prometheusDataCollectionRuleAssociation: string;
  readonly grafana: string;
  readonly actionGroup: string;
  /** What the alert e-mails show as the sender (12 characters at most). */
  readonly actionGroupShortName: string;
  /** The one diagnostic setting this project puts on a resource (names are unique per resource). */
  readonly diagnosticSetting: string;
  dataDisk(component: DataComponent): string;
  /** A Prometheus rule group (recording or alert rules), by what it holds. */
  prometheusRuleGroup(kind: string): string;
  /** An Azure metric alert rule, by what it watches. */
  metricAlert(kind: string): string;
}

export function regionAbbreviation(location: string): string {
  const abbreviation = REGION_ABBREVIATIONS[location];
  if (abbreviation === undefined) {
    throw new Error(`no region abbreviation for location "${location}"`);
  }
  return abbreviation;
}

export function resourceNames(input: NamingInput): ResourceNames {
  const region = regionAbbreviation(input.location);
  const parts = [input.workload, input.environment, region, ...(input.instance ? [input.instance] : [])];
  const hyphenated = (abbreviation: string, ...extra: string[]) => [abbreviation, ...parts, ...extra].join('-');
  // Registries and storage accounts allow only lowercase letters and digits.
  const compact = (abbreviation: string, ...extra: string[]) => [abbreviation, ...parts, ...extra].join('').toLowerCase();

  return {
    resourceGroup: hyphenated('rg'),
    virtualNetwork: hyphenated('vnet'),
    aksSubnet: hyphenated('snet', 'aks'),
    appGatewaySubnet: hyphenated('snet', 'agw'),
    aksNetworkSecurityGroup: hyphenated('nsg', 'aks'),
    appGatewayNetworkSecurityGroup: hyphenated('nsg', 'agw'),
    privateEndpointSubnet: hyphenated('snet', 'pe'),
    privateEndpointNetworkSecurityGroup: hyphenated('nsg', 'pe'),
    keyVaultPrivateEndpoint: hyphenated('pe', 'kv'),
    containerRegistryPrivateEndpoint: hyphenated('pe', 'cr'),
    stateReadAlert: hyphenated('alert', 'state-read'),
    podSecurityPolicyAssignment: hyphenated('pa', 'pod-security'),
    stateReadActionGroup: hyphenated('ag', 'state-read'),
    appGatewayPublicIp: hyphenated('pip', 'agw'),
    appGatewayDnsLabel: parts.join('-').toLowerCase(),
    applicationGateway: hyphenated('agw'),
    wafPolicy: hyphenated('waf'),
    kubernetesCluster: hyphenated('aks'),
    kubernetesDnsPrefix: [input.workload, input.environment, region].join('-'),
    // A named node resource group instead of AKS's generated MC_* name: it holds only
    // what AKS owns and may be deleted with the cluster; the data disks never live there.
    nodeResourceGroup: hyphenated('rg', 'aks', 'nodes'),
    clusterIdentity: hyphenated('id', 'aks'),
    containerRegistry: compact('cr'),
    keyVault: hyphenated('kv'),
    logAnalyticsWorkspace: hyphenated('log'),
    backupVault: hyphenated('bvault'),
    diskBackupPolicy: hyphenated('bkpol', 'disks'),
    snapshotResourceGroup: hyphenated('rg', 'snapshots'),
    signInApplication: hyphenated('app', 'signin'),
    externalDnsIdentity: hyphenated('id', 'external-dns'),
    deployIdentity: hyphenated('id', 'deploy'),
    planIdentity: hyphenated('id', 'plan'),
    monitorWorkspace: hyphenated('amw'),
    dataCollectionEndpoint: hyphenated('dce'),
    prometheusDataCollectionRule: hyphenated('dcr', 'prometheus'),
    prometheusDataCollectionRuleAssociation: hyphenated('dcra', 'prometheus'),
    grafana: hyphenated('amg'),
    actionGroup: hyphenated('ag'),
    // Azure allows 12 characters; the environment alone (at most 8) when workload-env is longer.
    actionGroupShortName: [input.workload, input.environment].join('-').length <= 12 ? [input.workload, input.environment].join('-') : input.environment,
    diagnosticSetting: hyphenated('diag'),
    dataDisk: (component) => hyphenated('disk', component),
    prometheusRuleGroup: (kind) => hyphenated('prg', kind),
    metricAlert: (kind) => hyphenated('alert', kind),
  };
}

/** Names of the Terraform state storage, shared by every stack of the environments that point at it. */
export interface StateStorageNames {
  readonly resourceGroup: string;
  readonly storageAccount: string;
}

export function stateStorageNames(input: Omit<NamingInput, 'environment'>): StateStorageNames {
  const region = regionAbbreviation(input.location);
  const parts = [input.workload, 'tfstate', region, ...(input.instance ? [input.instance] : [])];
  return {
    resourceGroup: ['rg', ...parts].join('-'),
    storageAccount: ['st', ...parts].join('').toLowerCase(),
  };
}

/** The Log Analytics workspace beside a state storage account that holds its blob access logs. */
export function stateAuditWorkspaceName(storageAccountName: string): string {
  return `log-${storageAccountName}-audit`;
}

/** Azure's rules for the names above, checked by config validation against the derived names. */
export interface NameRule {
  readonly description: string;
  readonly pattern: RegExp;
}

export const NAME_RULES = {
  resourceGroup: { description: '1-90 letters, digits, ._-() not ending in .', pattern: /^[\w.()-]{0,89}[\w()-]$/ },
  keyVault: { description: '3-24 letters, digits and hyphens, starting with a letter, no double hyphen', pattern: /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/ },
  containerRegistry: { description: '5-50 letters and digits', pattern: /^[a-zA-Z0-9]{5,50}$/ },
  storageAccount: { description: '3-24 lowercase letters and digits', pattern: /^[a-z0-9]{3,24}$/ },
  kubernetesCluster: { description: '1-63 letters, digits, _ and -, starting and ending with a letter or digit', pattern: /^[a-zA-Z0-9]([\w-]{0,61}[a-zA-Z0-9])?$/ },
  kubernetesDnsPrefix: { description: '1-54 letters, digits and hyphens, starting with a letter and ending with a letter or digit', pattern: /^[a-zA-Z]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/ },
  managedDisk: { description: '1-80 letters, digits, _ . and -', pattern: /^[\w][\w.-]{0,78}[\w]$/ },
  dnsLabel: { description: '3-63 lowercase letters, digits and hyphens, starting with a letter', pattern: /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/ },
  grafana: { description: '2-23 letters, digits and hyphens, starting with a letter and ending with a letter or digit', pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,21}[a-zA-Z0-9]$/ },
  dataCollectionEndpoint: { description: '3-44 letters, digits and hyphens, starting and ending with a letter or digit', pattern: /^[a-zA-Z0-9][a-zA-Z0-9-]{1,42}[a-zA-Z0-9]$/ },
  actionGroupShortName: { description: '1-12 characters', pattern: /^.{1,12}$/ },
  policyAssignment: { description: '1-64 characters, none of <>*%&:\\?.+/ and not ending with a space', pattern: /^[^<>*%&:\\?.+/]{1,63}[^<>*%&:\\?.+/ ]$/ },
  generic80: { description: '1-80 letters, digits, _ . and -, starting with a letter or digit and ending with a letter, digit or _', pattern: /^[a-zA-Z0-9][\w.-]{0,78}\w$/ },
} as const satisfies Record<string, NameRule>;

/** Which rule each derived name must satisfy (Grafana's only when it is on: config/rules.ts). */
export const NAME_RULE_OF: Readonly<Record<Exclude<keyof ResourceNames, 'dataDisk' | 'prometheusRuleGroup' | 'metricAlert' | 'grafana'>, NameRule>> = {
  resourceGroup: NAME_RULES.resourceGroup,
  virtualNetwork: NAME_RULES.generic80,
  aksSubnet: NAME_RULES.generic80,
  appGatewaySubnet: NAME_RULES.generic80,
  aksNetworkSecurityGroup: NAME_RULES.generic80,
  appGatewayNetworkSecurityGroup: NAME_RULES.generic80,
  privateEndpointSubnet: NAME_RULES.generic80,
  privateEndpointNetworkSecurityGroup: NAME_RULES.generic80,
  keyVaultPrivateEndpoint: NAME_RULES.generic80,
  containerRegistryPrivateEndpoint: NAME_RULES.generic80,
  stateReadAlert: NAME_RULES.generic80,
  podSecurityPolicyAssignment: NAME_RULES.policyAssignment,
  stateReadActionGroup: NAME_RULES.generic80,
  appGatewayPublicIp: NAME_RULES.generic80,
  appGatewayDnsLabel: NAME_RULES.dnsLabel,
  applicationGateway: NAME_RULES.generic80,
  wafPolicy: NAME_RULES.generic80,
  kubernetesCluster: NAME_RULES.kubernetesCluster,
  kubernetesDnsPrefix: NAME_RULES.kubernetesDnsPrefix,
  nodeResourceGroup: NAME_RULES.resourceGroup,
  clusterIdentity: NAME_RULES.generic80,
  containerRegistry: NAME_RULES.containerRegistry,
  keyVault: NAME_RULES.keyVault,
  logAnalyticsWorkspace: NAME_RULES.generic80,
  backupVault: NAME_RULES.generic80,
  diskBackupPolicy: NAME_RULES.generic80,
  snapshotResourceGroup: NAME_RULES.resourceGroup,
  signInApplication: NAME_RULES.generic80,
  externalDnsIdentity: NAME_RULES.generic80,
  deployIdentity: NAME_RULES.generic80,
  planIdentity: NAME_RULES.generic80,
  monitorWorkspace: NAME_RULES.generic80,
  dataCollectionEndpoint: NAME_RULES.dataCollectionEndpoint,
  prometheusDataCollectionRule: NAME_RULES.generic80,
  prometheusDataCollectionRuleAssociation: NAME_RULES.generic80,
  actionGroup: NAME_RULES.generic80,
  actionGroupShortName: NAME_RULES.actionGroupShortName,
  diagnosticSetting: NAME_RULES.generic80,
};

/** Azure names of one of the team's own services (services-<env> stack). */
export interface ServiceResourceNames {
  /** Managed identity the service's pods sign in to Key Vault with (workload identity). */
  readonly identity: string;
  readonly applicationInsights: string;
  /** Static public IP of a `loadBalancer` service. */
  readonly publicIp: string;
  /** Key Vault secret that holds the Application Insights connection string. */
  readonly applicationInsightsSecret: string;
}

export function serviceResourceNames(input: NamingInput, service: string): ServiceResourceNames {
  const region = regionAbbreviation(input.location);
  const parts = [input.workload, input.environment, region, ...(input.instance ? [input.instance] : [])];
  const hyphenated = (abbreviation: string) => [abbreviation, ...parts, 'svc', service].join('-');
  return {
    identity: hyphenated('id'),
    applicationInsights: hyphenated('appi'),
    publicIp: hyphenated('pip'),
    applicationInsightsSecret: `${service}-appinsights-connection-string`,
  };
}
