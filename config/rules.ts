/**
 * Rules that span several fields of an environment file. Each returns problems with the field
 * path it is about, so the error points the engineer at the line to change.
 */
import ipaddr from 'ipaddr.js';
import { DATA_COMPONENTS, NAME_RULE_OF, NAME_RULES, resourceNames, stateStorageNames } from '../constructs/core/naming';
import { GPU_TAINT, isGpuVmSize, isNvidiaGpuVmSize } from '../constructs/kubernetes-cluster/gpu';
import { DEFAULT_OS_DISK_SIZE_GB, TEMP_DISK_GIB_OF_VM_SIZE } from '../constructs/kubernetes-cluster/vm-sizes';
import { monitoringParts } from './monitoring-parts';
import { privateEndpointsEnabled, type PlatformConfig } from './schema';

export interface ConfigProblem {
  /** Dotted field path inside the file, for example `network.aksSubnetCidr`. */
  readonly path: string;
  /** The rule that was broken, phrased so that it also says what would be right. */
  readonly rule: string;
  /** The offending value. */
  readonly value: unknown;
}

interface Cidr {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

function toInt(address: ipaddr.IPv4): number {
  return address.octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

/** Parses an IPv4 CIDR; returns a problem text instead when it is not a valid, canonical one. */
function parseCidr(text: string): Cidr | string {
  if (!ipaddr.IPv4.isValidCIDR(text)) return 'must be a valid IPv4 CIDR';
  const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
  const first = toInt(address);
  const size = 2 ** (32 - prefix);
  if (first % size !== 0) {
    return `must start at its network address (${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${prefix})`;
  }
  return { text, first, last: first + size - 1, prefix };
}

const contains = (outer: Cidr, inner: Cidr) => inner.first >= outer.first && inner.last <= outer.last;
const overlaps = (a: Cidr, b: Cidr) => a.first <= b.last && b.first <= a.last;

/** Whether two IPv4 CIDRs share an address; false when either is not a valid, canonical CIDR (reported elsewhere). */
export function cidrsOverlap(a: string, b: string): boolean {
  const left = parseCidr(a);
  const right = parseCidr(b);
  return typeof left !== 'string' && typeof right !== 'string' && overlaps(left, right);
}

function networkRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const fields = ['vnetCidr', 'aksSubnetCidr', 'appGatewaySubnetCidr', 'serviceCidr'] as const;
  const parsed: Partial<Record<(typeof fields)[number], Cidr>> = {};
  for (const field of fields) {
    const value = config.network[field];
    const result = parseCidr(value);
    if (typeof result === 'string') problems.push({ path: `network.${field}`, rule: result, value });
    else parsed[field] = result;
  }
  const { vnetCidr: vnet, aksSubnetCidr: aks, appGatewaySubnetCidr: agw, serviceCidr: service } = parsed;

  for (const [field, subnet] of [['aksSubnetCidr', aks], ['appGatewaySubnetCidr', agw]] as const) {
    if (vnet && subnet && !contains(vnet, subnet)) {
      problems.push({ path: `network.${field}`, rule: `must lie inside network.vnetCidr (${vnet.text})`, value: subnet.text });
    }
  }
  privateEndpointSubnetRules(config, vnet, [
    ['network.aksSubnetCidr', aks],
    ['network.appGatewaySubnetCidr', agw],
  ], problems);
  if (aks && agw && overlaps(aks, agw)) {
    problems.push({ path: 'network.appGatewaySubnetCidr', rule: `must not overlap network.aksSubnetCidr (${aks.text})`, value: agw.text });
  }
  if (vnet && service && overlaps(vnet, service)) {
    problems.push({ path: 'network.serviceCidr', rule: `must not overlap network.vnetCidr (${vnet.text}); Kubernetes service IPs would shadow VNet addresses`, value: service.text });
  }
  if (agw && agw.prefix > 26) {
    problems.push({ path: 'network.appGatewaySubnetCidr', rule: 'must be /26 or larger: Application Gateway v2 needs room to autoscale', value: agw.text });
  }

  const dnsIp = config.network.dnsServiceIp;
  if (service) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(dnsIp)) {
      problems.push({ path: 'network.dnsServiceIp', rule: 'must be a valid IPv4 address', value: dnsIp });
    } else {
      const ip = toInt(ipaddr.IPv4.parse(dnsIp));
      // .0 is the network address and .1 the kubernetes API service.
      if (ip < service.first + 2 || ip > service.last - 1) {
        problems.push({ path: 'network.dnsServiceIp', rule: `must lie inside network.serviceCidr (${service.text}), not its first two or last address`, value: dnsIp });
      }
    }
  }

  // Azure CNI (flat) gives every pod a VNet address: each node takes maxPods + 1 addresses,
  // and Azure keeps 5 per subnet. A surge node per pool is needed during upgrades.
  if (aks) {
    const pools = [config.cluster.systemNodePool, config.cluster.userNodePool, ...config.cluster.extraNodePools];
    const needed = pools.reduce((sum, pool) => sum + (pool.maxCount + 1) * (pool.maxPods + 1), 5);
    const available = aks.last - aks.first + 1;
    if (needed > available) {
      problems.push({
        path: 'network.aksSubnetCidr',
        rule: `must hold every node at maxCount plus one upgrade surge node per pool, each with maxPods + 1 addresses (${needed} needed, ${available} available)`,
        value: aks.text,
      });
    }
  }
}

function clusterRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const pools = [
    ['cluster.systemNodePool', config.cluster.systemNodePool],
    ['cluster.userNodePool', config.cluster.userNodePool],
    ...config.cluster.extraNodePools.map((pool, i) => [`cluster.extraNodePools.${i}`, pool] as const),
  ] as const;
  for (const [path, pool] of pools) {
    if (pool.minCount > pool.maxCount) {
      problems.push({ path: `${path}.minCount`, rule: `must be <= maxCount (${pool.maxCount})`, value: pool.minCount });
    }
    if (pool.osDiskType === 'Ephemeral') {
      const tempDisk = TEMP_DISK_GIB_OF_VM_SIZE[pool.vmSize];
      if (tempDisk === undefined && pool.osDiskSizeGb === undefined) {
        problems.push({
          path: `${path}.osDiskSizeGb`,
          rule: `must be set for ${pool.vmSize} with osDiskType Ephemeral: its temp disk size is not in constructs/kubernetes-cluster/vm-sizes.ts; set osDiskSizeGb to at most the size's temp disk in GiB, or osDiskType: Managed`,
          value: pool.osDiskSizeGb,
        });
      } else if (tempDisk !== undefined && (pool.osDiskSizeGb ?? DEFAULT_OS_DISK_SIZE_GB) > tempDisk) {
        problems.push({
          path: `${path}.osDiskSizeGb`,
          rule: `must be <= ${tempDisk} (the temp disk of ${pool.vmSize}) for an ephemeral OS disk${pool.osDiskSizeGb === undefined ? ` (absent means ${DEFAULT_OS_DISK_SIZE_GB})` : ''}; set a smaller osDiskSizeGb or osDiskType: Managed`,
          value: pool.osDiskSizeGb ?? DEFAULT_OS_DISK_SIZE_GB,
        });
      }
    }
  }
  if (config.cluster.systemNodePool.minCount < 1) {
    problems.push({ path: 'cluster.systemNodePool.minCount', rule: 'must be >= 1: the system pool runs CoreDNS and cannot scale to zero', value: config.cluster.systemNodePool.minCount });
  }
  if (config.cluster.userNodePool.minCount < 1) {
    problems.push({ path: 'cluster.userNodePool.minCount', rule: 'must be >= 1: Opik and its databases run on the user pool', value: config.cluster.userNodePool.minCount });
  }
  const seen = new Set(['system', 'user']);
  config.cluster.extraNodePools.forEach((pool, i) => {
    if (seen.has(pool.name)) {
      problems.push({ path: `cluster.extraNodePools.${i}.name`, rule: 'must be unique and not "system" or "user"', value: pool.name });
    }
    seen.add(pool.name);
  });
  gpuPoolRules(config, problems);
  if (!config.cluster.localAccountDisabled && config.purpose !== 'development') {
    problems.push({ path: 'cluster.localAccountDisabled', rule: 'must be true unless the file says purpose: development: local accounts bypass Entra ID sign-in', value: false });
  }
  const gateway = config.applicationGateway;
  if (gateway.minCapacity > gateway.maxCapacity) {
    problems.push({ path: 'applicationGateway.minCapacity', rule: `must be <= applicationGateway.maxCapacity (${gateway.maxCapacity})`, value: gateway.minCapacity });
  }
}

function gpuPoolRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  for (const field of ['systemNodePool', 'userNodePool'] as const) {
    const vmSize = config.cluster[field].vmSize;
    if (isGpuVmSize(vmSize)) {
      problems.push({ path: `cluster.${field}.vmSize`, rule: 'must not be a GPU (N-series) size: put GPU nodes in an extra pool with gpu: { vendor: nvidia }', value: vmSize });
    }
  }
  config.cluster.extraNodePools.forEach((pool, i) => {
    const path = `cluster.extraNodePools.${i}`;
    if (!pool.gpu) {
      if (isGpuVmSize(pool.vmSize)) {
        problems.push({ path: `${path}.vmSize`, rule: `is a GPU (N-series) size: set ${path}.gpu: { vendor: nvidia } so the pool is tainted ${GPU_TAINT} and gets the device plugin, or pick a size without a GPU`, value: pool.vmSize });
      }
      return;
    }
    if (!isNvidiaGpuVmSize(pool.vmSize)) {
      problems.push({ path: `${path}.vmSize`, rule: 'must be an NVIDIA GPU size (N-series NC, ND or NV, such as Standard_NC4as_T4_v3; not the AMD NVv4, NVads V710, ND MI300X or NG sizes) for a pool with gpu set', value: pool.vmSize });
    }
    if (!pool.taints.includes(GPU_TAINT)) {
      problems.push({ path: `${path}.taints`, rule: `must include ${GPU_TAINT} for a GPU pool: it keeps pods that did not ask for a GPU off these nodes, and the NVIDIA device plugin tolerates it`, value: pool.taints });
    }
    if (pool.minCount > 0 && !pool.gpu.allowIdleNodes) {
      problems.push({ path: `${path}.minCount`, rule: `must be 0 for a GPU pool, so idle GPU nodes (billed at GPU prices) are removed; set ${path}.gpu.allowIdleNodes: true to keep warm nodes anyway`, value: pool.minCount });
    }
  });
}

function diskRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const userZones = config.cluster.userNodePool.zones;
  // A rule broken through the shared dataDisks.zone is reported once, naming every disk it affects;
  // a rule broken through a disk's own zone is reported on that disk's field.
  const shared = new Map<string, { rule: (components: string) => string; value: unknown; components: string[] }>();
  const report = (component: string, zonePath: string, key: string, rule: (components: string) => string, value: unknown) => {
    if (zonePath !== 'dataDisks.zone') {
      problems.push({ path: zonePath, rule: rule(component), value });
      return;
    }
    const entry = shared.get(key) ?? { rule, value, components: [] };
    entry.components.push(component);
    shared.set(key, entry);
  };
  for (const component of DATA_COMPONENTS) {
    const disk = config.dataDisks.disks[component];
    const sku = disk.skuName ?? config.dataDisks.skuName;
    const zone = disk.zone === undefined ? config.dataDisks.zone : disk.zone;
    const zonePath = disk.zone === undefined ? 'dataDisks.zone' : `dataDisks.disks.${component}.zone`;
    if (sku.endsWith('_ZRS') && zone !== null) {
      report(component, zonePath, `zrs:${sku}`, (c) => `must be null for ${c}: ${sku} disks are zone-redundant, not zonal`, zone);
    }
    if (sku === 'PremiumV2_LRS' && zone === null) {
      report(component, zonePath, 'v2', (c) => `must be set for ${c}: PremiumV2_LRS disks are always zonal`, zone);
    }
    if (zone === null && !sku.endsWith('_ZRS') && userZones.length > 0) {
      report(component, zonePath, 'regional', (c) => `leaves the ${c} disk${c.includes(',') ? 's' : ''} regional, which attach${c.includes(',') ? '' : 'es'} only to nodes without a zone: set cluster.userNodePool.zones to [] or give the disk its zone`, zone);
    }
    if (zone !== null && !userZones.includes(zone)) {
      report(
        component,
        zonePath,
        'user-zones',
        (c) => `must be one of cluster.userNodePool.zones (${userZones.join(', ') || 'none'}): a zonal disk attaches only to a node in its zone (disks: ${c})`,
        zone,
      );
    }
  }
  for (const { rule, value, components } of shared.values()) {
    problems.push({ path: 'dataDisks.zone', rule: rule(components.join(', ')), value });
  }
  const adoptedBy = new Map<string, string>();
  for (const [component, id] of Object.entries(config.dataDisks.existingDiskIds)) {
    const key = id!.toLowerCase();
    const other = adoptedBy.get(key);
    if (other) {
      problems.push({ path: `dataDisks.existingDiskIds.${component}`, rule: `must differ from dataDisks.existingDiskIds.${other}: one disk cannot hold two components' data`, value: id });
    }
    adoptedBy.set(key, component);
  }
}

function applicationRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const app = config.application;
  if (app.domain && app.autoSsl && !app.letsEncryptEmail) {
    problems.push({ path: 'application.letsEncryptEmail', rule: 'is required when application.domain is set and application.autoSsl is true (Let\'s Encrypt needs an account e-mail)', value: app.letsEncryptEmail });
  }
  if (app.dns) {
    if (!app.domain) {
      problems.push({ path: 'application.dns', rule: 'needs application.domain: external-dns only manages the record of a host name', value: app.dns.provider });
    } else {
      const zone = app.dns.provider === 'azure' ? app.dns.zoneId.split('/').pop()!.toLowerCase() : app.dns.zoneName;
      if (app.domain !== zone && !app.domain.endsWith(`.${zone}`)) {
        const field = app.dns.provider === 'azure' ? 'application.dns.zoneId' : 'application.dns.zoneName';
        problems.push({ path: field, rule: `must be the zone that holds application.domain (${app.domain})`, value: zone });
      }
    }
  }
}

function monitoringRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const monitoring = config.monitoring;
  const parts = monitoringParts(monitoring);
  if (parts.grafana && !parts.prometheus) {
    problems.push({ path: 'monitoring.grafana.enabled', rule: 'needs monitoring.prometheus.enabled: true: Grafana is wired to the Prometheus workspace; turn Grafana off or Prometheus on', value: true });
  }
  if (parts.grafana && monitoring.grafana.adminGroupObjectIds.length === 0) {
    problems.push({ path: 'monitoring.grafana.adminGroupObjectIds', rule: 'needs at least one group when Grafana is on: without a Grafana Admin nobody can manage its dashboards', value: monitoring.grafana.adminGroupObjectIds });
  }
  const grafanaName = resourceNames(config).grafana;
  if (parts.grafana && !NAME_RULES.grafana.pattern.test(grafanaName)) {
    const culprit = config.instance ? 'instance' : 'workload';
    problems.push({ path: culprit, rule: `gives the Grafana name "${grafanaName}", which breaks Azure's rule: ${NAME_RULES.grafana.description}`, value: config[culprit] });
  }
  if (parts.alerts && monitoring.alerts.email === undefined) {
    problems.push({ path: 'monitoring.alerts.email', rule: 'is required when monitoring.alerts.enabled is true: the action group needs an address to e-mail', value: monitoring.alerts.email });
  }
  if (parts.clusterAlerts && !parts.prometheus) {
    problems.push({ path: 'monitoring.alerts.cluster', rule: 'needs monitoring.prometheus.enabled: true: these rules query the Prometheus workspace; set monitoring.alerts.cluster: false or turn Prometheus on', value: true });
  }
  if (parts.alerts && !monitoring.alerts.cluster && !monitoring.alerts.gateway) {
    problems.push({ path: 'monitoring.alerts', rule: 'has neither cluster nor gateway alerts: an action group with no rule e-mails nobody; turn one on or set enabled: false', value: { cluster: false, gateway: false } });
  }
}

/** Namespaces the platform itself uses; a service may not share one. */
const PLATFORM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'cert-manager', 'external-dns', 'gatekeeper-system'];
/** Setting names that hold a credential; those belong in `secrets` (Key Vault), not in a ConfigMap. */
const CREDENTIAL_SETTING = /(PASSWORD|PASSWD|SECRET|TOKEN|(API|ACCESS|PRIVATE|SECRET|SIGNING|ACCOUNT)_?KEY|CONNECTION_?STRING|(^|_)PASS|(^|_)PWD)$/i;

function serviceRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const app = config.application;
  // Opik's host: its domain, or the Azure DNS name of the gateway's IP when none is set.
  const opikHost = app.domain ?? `${resourceNames(config).appGatewayDnsLabel}.${config.location}.cloudapp.azure.com`;
  const names = new Map<string, number>();
  const namespaces = new Map<string, number>();
  const routes = new Map<string, number>();
  config.services.forEach((service, i) => {
    const at = `services.${i}`;
    const earlierName = names.get(service.name);
    if (earlierName !== undefined) problems.push({ path: `${at}.name`, rule: `must be unique (services.${earlierName}.name has it too)`, value: service.name });
    names.set(service.name, i);

    const namespace = service.namespace ?? service.name;
    const namespacePath = service.namespace ? `${at}.namespace` : `${at}.name`;
    const earlierNamespace = namespaces.get(namespace);
    if (earlierNamespace !== undefined) {
      problems.push({ path: namespacePath, rule: `gives namespace "${namespace}", which services.${earlierNamespace} already uses: each service runs in a namespace of its own`, value: namespace });
    }
    namespaces.set(namespace, i);
    if (namespace === app.namespace) {
      problems.push({ path: namespacePath, rule: `gives namespace "${namespace}", which is Opik's (application.namespace): a service runs in a namespace of its own`, value: namespace });
    }
    if (PLATFORM_NAMESPACES.includes(namespace)) {
      problems.push({ path: namespacePath, rule: `gives namespace "${namespace}", which the platform uses (${PLATFORM_NAMESPACES.join(', ')})`, value: namespace });
    }

    if (service.replicas !== undefined && service.autoscaling !== undefined) {
      problems.push({ path: `${at}.autoscaling`, rule: 'must not be set together with replicas: set a fixed count or an autoscaler, not both', value: service.autoscaling });
    } else if (service.replicas === undefined && service.autoscaling === undefined) {
      problems.push({ path: `${at}.replicas`, rule: 'or autoscaling is required: set a fixed count (replicas) or an autoscaler (autoscaling)', value: undefined });
    }
    if (service.autoscaling && service.autoscaling.minReplicas > service.autoscaling.maxReplicas) {
      problems.push({ path: `${at}.autoscaling.minReplicas`, rule: `must be <= autoscaling.maxReplicas (${service.autoscaling.maxReplicas})`, value: service.autoscaling.minReplicas });
    }

    for (const key of Object.keys(service.settings)) {
      if (CREDENTIAL_SETTING.test(key)) {
        problems.push({ path: `${at}.settings.${key}`, rule: 'looks like a credential: a ConfigMap is readable by anyone who may read the namespace; store it in Key Vault and list it under secrets', value: '(not shown)' });
      }
    }
    for (const [index, rule] of service.networkPolicy.egressTo.entries()) {
      const parsed = parseCidr(rule.cidr);
      if (typeof parsed === 'string') problems.push({ path: `${at}.networkPolicy.egressTo.${index}.cidr`, rule: parsed, value: rule.cidr });
    }

    const exposure = service.exposure;
    if (exposure.type === 'loadBalancer' && config.purpose !== 'development') {
      problems.push({
        path: `${at}.exposure.type`,
        rule: 'must not be loadBalancer unless the file says purpose: development: a public IP of its own has no TLS, no WAF and no sign-in; use type: ingress with a host (the Application Gateway)',
        value: 'loadBalancer',
      });
    }
    if (exposure.type === 'ingress') {
      if (exposure.host === opikHost) {
        problems.push({ path: `${at}.exposure.host`, rule: `must differ from Opik's host (${opikHost}): Opik's ingress takes every path of it`, value: exposure.host });
      }
      const route = `${exposure.host}${exposure.path}`;
      const earlierRoute = routes.get(route);
      if (earlierRoute !== undefined) {
        problems.push({ path: `${at}.exposure.path`, rule: `must differ from services.${earlierRoute}'s route on the same host (${route})`, value: exposure.path });
      }
      routes.set(route, i);
      if (exposure.tls && !app.autoSsl) {
        problems.push({ path: `${at}.exposure.tls`, rule: 'needs application.autoSsl: true, which installs the Let\'s Encrypt ClusterIssuers (application stack); or set tls: false', value: exposure.tls });
      }
    }
  });
}

function nameRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const names = resourceNames(config);
  const culprit = config.instance ? 'instance' : 'workload';
  for (const [kind, rule] of Object.entries(NAME_RULE_OF)) {
    const name = names[kind as keyof typeof NAME_RULE_OF];
    if (!rule.pattern.test(name)) {
      problems.push({ path: culprit, rule: `gives the ${kind} name "${name}", which breaks Azure's rule: ${rule.description}`, value: config[culprit] });
    }
  }
  for (const component of DATA_COMPONENTS) {
    const name = names.dataDisk(component);
    if (!NAME_RULES.managedDisk.pattern.test(name)) {
      problems.push({ path: culprit, rule: `gives the disk name "${name}", which breaks Azure's rule: ${NAME_RULES.managedDisk.description}`, value: config[culprit] });
    }
  }
  const state = stateStorageNames({ ...config, location: config.state.location ?? config.location });
  const account = config.state.storageAccountName ?? state.storageAccount;
  if (!NAME_RULES.storageAccount.pattern.test(account)) {
    problems.push({
      path: config.state.storageAccountName ? 'state.storageAccountName' : culprit,
      rule: `gives the state storage account name "${account}", which breaks Azure's rule: ${NAME_RULES.storageAccount.description}`,
      value: config.state.storageAccountName ?? config[culprit],
    });
  }
}

/** Every cross-field problem of one environment, in a stable order. */
export function crossFieldProblems(config: PlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  networkRules(config, problems);
  clusterRules(config, problems);
  diskRules(config, problems);
  applicationRules(config, problems);
  serviceRules(config, problems);
  nameRules(config, problems);
  monitoringRules(config, problems);
  deliveryRules(config, problems);
  exposureRules(config, problems);
  return problems;
}

/** The private endpoints' subnet: needed when they are on, inside the VNet, clear of the other subnets. */
function privateEndpointSubnetRules(config: PlatformConfig, vnet: Cidr | undefined, others: readonly (readonly [string, Cidr | undefined])[], problems: ConfigProblem[]): void {
  const text = config.privateEndpoints.subnetCidr;
  if (!privateEndpointsEnabled(config)) return;
  const why = config.privateEndpoints.enabled === undefined ? ' (private endpoints are on: the file says purpose: production; set privateEndpoints.enabled: false to go without)' : '';
  if (text === undefined) {
    problems.push({ path: 'privateEndpoints.subnetCidr', rule: `must be set to a free range inside network.vnetCidr, /28 or larger${why}`, value: 'absent' });
    return;
  }
  const subnet = parseCidr(text);
  if (typeof subnet === 'string') {
    problems.push({ path: 'privateEndpoints.subnetCidr', rule: subnet, value: text });
    return;
  }
  if (vnet && !contains(vnet, subnet)) problems.push({ path: 'privateEndpoints.subnetCidr', rule: `must lie inside network.vnetCidr (${vnet.text})`, value: text });
  if (subnet.prefix > 28) problems.push({ path: 'privateEndpoints.subnetCidr', rule: 'must be /28 or larger: Azure keeps 5 addresses of every subnet', value: text });
  for (const [field, other] of others) {
    if (other && overlaps(subnet, other)) problems.push({ path: 'privateEndpoints.subnetCidr', rule: `must not overlap ${field} (${other.text})`, value: text });
  }
}

/** Issue 17: what a production environment may not leave open. */
function exposureRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const ranges = config.cluster.apiServerAuthorizedIpRanges;
  ranges.forEach((range, i) => {
    if (/\/0$/.test(range)) {
      problems.push({ path: `cluster.apiServerAuthorizedIpRanges.${i}`, rule: 'must not be a /0: it authorizes every address; list the ranges of your offices, VPN and deploy runners', value: range });
    }
  });
  const state = config.state.networkAccess;
  if (state.type === 'allow-list') {
    state.ipRanges.forEach((range, i) => {
      if (/\/0$/.test(range)) {
        problems.push({ path: `state.networkAccess.ipRanges.${i}`, rule: "must not be a /0: it lets every address reach the state (which holds the generated passwords); list the deploy runners' egress ranges, or use type: private-endpoint", value: range });
      }
    });
  }
  if (privateEndpointsEnabled(config)) {
    if (config.registry.sku !== 'Premium') {
      problems.push({ path: 'registry.sku', rule: 'must be Premium with private endpoints: only Premium registries take one', value: config.registry.sku });
    }
    if (config.keyVault.allowedIpRanges.length > 0) {
      problems.push({
        path: 'keyVault.allowedIpRanges',
        rule: "must be empty with private endpoints: the vault's public network access is off, so no address on this list could reach it; run deploys from the VNet (docs/private-endpoints.md)",
        value: JSON.stringify(config.keyVault.allowedIpRanges),
      });
    }
  }
  if (config.purpose === 'development') return;
  if (state.type === 'public') {
    problems.push({
      path: 'state.networkAccess.type',
      rule: "must be allow-list or private-endpoint unless the file says purpose: development: the state holds the generated passwords and must not be reachable from every address",
      value: 'public',
    });
  }
  if (ranges.length === 0) {
    problems.push({
      path: 'cluster.apiServerAuthorizedIpRanges',
      rule: 'must list at least one range unless the file says purpose: development: empty leaves the Kubernetes API open to the internet',
      value: '[]',
    });
  }
  if (!config.monitoring.diagnostics.enabled) {
    problems.push({
      path: 'monitoring.diagnostics.enabled',
      rule: "must be true unless the file says purpose: development: it is the audit trail (the API server's kube-audit-admin and guard, Key Vault's and the registry's access logs)",
      value: false,
    });
  }
}

function deliveryRules(config: PlatformConfig, problems: ConfigProblem[]): void {
  const delivery = config.delivery;
  if (delivery?.roleScope === 'subscription' && config.purpose !== 'development' && delivery.subscriptionHoldsOnlyThisEnvironment !== true) {
    problems.push({
      path: 'delivery.roleScope',
      rule: 'must be resource-groups in a production environment, unless delivery.subscriptionHoldsOnlyThisEnvironment: true says the subscription holds nothing else: the deploy identity would reach every resource group in it',
      value: 'subscription',
    });
  }
}
