/**
 * The AKS cluster: Entra ID with Azure RBAC, Azure CNI with a network policy, a system pool for
 * critical add-ons, a user pool for Opik and its databases, optional extra pools, and the
 * add-ons the platform relies on (AGIC, Key Vault CSI, Container Insights, Azure Policy).
 */
import { Construct } from 'constructs';
import { KubernetesCluster as AzureKubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { ExtraNodePoolConfig, NodePoolConfig, PlatformConfig } from '../../config/schema';
import { grantRole } from '../core/role-assignment';
import { DEFAULT_OS_DISK_SIZE_GB } from './vm-sizes';

export interface KubernetesClusterProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly clusterName: string;
  readonly dnsPrefix: string;
  readonly nodeResourceGroupName: string;
  readonly identityName: string;
  readonly subnetId: string;
  readonly applicationGatewayId: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly settings: PlatformConfig['cluster'];
  readonly serviceCidr: string;
  readonly dnsServiceIp: string;
  /** Runs the managed Prometheus metrics add-on (its workspace and rules: stack monitoring-<env>). @default false */
  readonly managedPrometheus?: boolean;
}

/** Upgrade behaviour shared by every pool: one surge node at a time keeps disruption small. */
const UPGRADE_SETTINGS = { maxSurge: '33%', drainTimeoutInMinutes: 30, nodeSoakDurationInMinutes: 0 };

function poolSize(pool: NodePoolConfig, encryptionAtHost: boolean) {
  return {
    osDiskType: pool.osDiskType,
    hostEncryptionEnabled: encryptionAtHost,
    vmSize: pool.vmSize,
    autoScalingEnabled: true,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    maxPods: pool.maxPods,
    osDiskSizeGb: pool.osDiskSizeGb ?? DEFAULT_OS_DISK_SIZE_GB,
    osSku: 'AzureLinux',
    zones: pool.zones.length > 0 ? pool.zones : undefined,
  };
}

export class KubernetesCluster extends Construct {
  readonly cluster: AzureKubernetesCluster;
  /** The control plane's identity; grant it access to resources outside the node resource group. */
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: KubernetesClusterProps) {
    super(scope, id);
    const settings = props.settings;
    const window = settings.maintenanceWindow;

    // A user-assigned identity exists before the cluster, so its subnet permission is in place
    // when AKS first configures the network.
    this.identity = new UserAssignedIdentity(this, 'control-plane-identity', {
      name: props.identityName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    const subnetAccess = grantRole(this, 'control-plane-subnet-access', {
      principalId: this.identity.principalId,
      role: 'Network Contributor',
      scope: props.subnetId,
      reason: 'AKS joins nodes and internal load balancers to the AKS subnet',
    });

    const maintenance = {
      frequency: 'Weekly',
      interval: 1,
      dayOfWeek: window.dayOfWeek,
      startTime: window.startTime,
      duration: window.durationHours,
      utcOffset: window.utcOffset,
    };

    this.cluster = new AzureKubernetesCluster(this, 'Resource', {
      name: props.clusterName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      dnsPrefix: props.dnsPrefix,
      nodeResourceGroup: props.nodeResourceGroupName,
      kubernetesVersion: settings.kubernetesVersion,
      skuTier: settings.skuTier,
      identity: { type: 'UserAssigned', identityIds: [this.identity.id] },
      dependsOn: [subnetAccess],

      localAccountDisabled: settings.localAccountDisabled,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, adminGroupObjectIds: settings.adminGroupObjectIds },
      apiServerAccessProfile:
        settings.apiServerAuthorizedIpRanges.length > 0 ? { authorizedIpRanges: settings.apiServerAuthorizedIpRanges } : undefined,
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,

      automaticUpgradeChannel: settings.automaticUpgradeChannel,
      nodeOsUpgradeChannel: settings.nodeOsUpgradeChannel,
      maintenanceWindowAutoUpgrade: maintenance,
      maintenanceWindowNodeOs: maintenance,

      networkProfile: {
        networkPlugin: 'azure',
        networkPolicy: settings.networkPolicy,
        serviceCidr: props.serviceCidr,
        dnsServiceIp: props.dnsServiceIp,
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
      },

      defaultNodePool: {
        name: 'system',
        ...poolSize(settings.systemNodePool, settings.encryptionAtHost),
        vnetSubnetId: props.subnetId,
        // Taints the pool CriticalAddonsOnly, so Opik and its databases never land here.
        onlyCriticalAddonsEnabled: true,
        // Changing the VM size rotates the pool through a temporary one instead of replacing the cluster.
        temporaryNameForRotation: 'systemtmp',
        upgradeSettings: UPGRADE_SETTINGS,
      },

      ingressApplicationGateway: { gatewayId: props.applicationGatewayId },
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true },
      // Defender for Containers' sensor, when the environment turns it on (billed per node vCore).
      microsoftDefender: settings.defender ? { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId } : undefined,
      monitorMetrics: (props.managedPrometheus ?? false) ? {} : undefined,

      lifecycle: {
        // The autoscaler owns the node count; Terraform would otherwise scale back on every deploy.
        ignoreChanges: ['default_node_pool[0].node_count'],
      },
    });

    this.addNodePool('user-node-pool', 'user', settings.userNodePool, props.subnetId, settings.encryptionAtHost);
    settings.extraNodePools.forEach((pool) =>
      this.addNodePool(`node-pool-${pool.name}`, pool.name, pool, props.subnetId, settings.encryptionAtHost),
    );
  }

  private addNodePool(
    id: string,
    name: string,
    pool: NodePoolConfig | ExtraNodePoolConfig,
    subnetId: string,
    encryptionAtHost: boolean,
  ): KubernetesClusterNodePool {
    const extra = 'taints' in pool ? pool : undefined;
    return new KubernetesClusterNodePool(this, id, {
      name,
      kubernetesClusterId: this.cluster.id,
      mode: 'User',
      ...poolSize(pool, encryptionAtHost),
      vnetSubnetId: subnetId,
      nodeLabels: extra && Object.keys(extra.labels).length > 0 ? extra.labels : undefined,
      nodeTaints: extra && extra.taints.length > 0 ? extra.taints : undefined,
      priority: extra?.priority,
      // Said outright rather than left to AKS's default: the provider reads the driver setting
      // back and forces a new pool when it differs from the configuration.
      gpuDriver: extra?.gpu ? 'Install' : undefined,
      // Spot nodes are deleted on eviction so the pool can scale back up with fresh ones.
      evictionPolicy: extra?.priority === 'Spot' ? 'Delete' : undefined,
      temporaryNameForRotation: `${name.slice(0, 8)}tmp`,
      upgradeSettings: extra?.priority === 'Spot' ? undefined : UPGRADE_SETTINGS,
      lifecycle: { ignoreChanges: ['node_count'] },
    });
  }
}
