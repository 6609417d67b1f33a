/**
 * cluster-and-registry-<env>: AKS with its add-ons and identities, the container registry with
 * a pull-through cache of every image, the Key Vault for the platform's secrets, and Log Analytics.
 */
import { Construct } from 'constructs';
import { monitoringParts } from '../config/monitoring-parts';
import { podSecurityBaselineEffect, privateEndpointsEnabled } from '../config/schema';
import { PodSecurityPolicy } from '../constructs/kubernetes-cluster/pod-security-policy';
import { NVIDIA_DEVICE_PLUGIN_NAMESPACE } from '../constructs/nvidia-device-plugin/nvidia-device-plugin';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ContainerRegistry } from '../constructs/container-registry/container-registry';
import { KeyVault } from '../constructs/key-vault/key-vault';
import { DataDiskAccess } from '../constructs/kubernetes-cluster/data-disk-access';
import { pipelineCustomRoleId } from '../constructs/pipeline-identity/pipeline-access';
import { IngressControllerAccess } from '../constructs/kubernetes-cluster/ingress-controller-access';
import { KubernetesCluster } from '../constructs/kubernetes-cluster/kubernetes-cluster';
import { LogAnalyticsWorkspace } from '../constructs/log-analytics/log-analytics-workspace';
import { ServicePrivateEndpoint } from '../constructs/private-endpoint/private-endpoint';
import { deployerObjectId } from './deployer';
import type { NetworkStack } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

export const CLUSTER_OUTPUTS = [
  'cluster_name',
  'cluster_id',
  'node_resource_group',
  'oidc_issuer_url',
  'kubelet_identity_object_id',
  'kubelet_identity_client_id',
  'acr_login_server',
  'key_vault_id',
  'key_vault_uri',
  'log_analytics_workspace_id',
  'container_registry_id',
  'cluster_identity_principal_id',
] as const;
export type ClusterOutput = (typeof CLUSTER_OUTPUTS)[number];

export interface ClusterAndRegistryStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
}

export class ClusterAndRegistryStack extends PlatformStack<ClusterOutput> {
  constructor(scope: Construct, props: ClusterAndRegistryStackProps) {
    super(scope, 'cluster-and-registry', props);
    const { config, names } = this;
    // Key Vault and the registry reached only through private endpoints in the network stack's subnet.
    const privateEndpoints = privateEndpointsEnabled(config);
    const network = this.readOutputsOf(props.network);
    const common = { resourceGroupName: network.getString('resource_group_name'), location: config.location };
    const client = new DataAzurermClientConfig(this, 'client-config');

    const logs = new LogAnalyticsWorkspace(this, 'log-analytics', {
      ...common,
      name: names.logAnalyticsWorkspace,
      retentionDays: config.logAnalytics.retentionDays,
    });

    const aks = new KubernetesCluster(this, 'kubernetes-cluster', {
      ...common,
      clusterName: names.kubernetesCluster,
      dnsPrefix: names.kubernetesDnsPrefix,
      nodeResourceGroupName: names.nodeResourceGroup,
      identityName: names.clusterIdentity,
      subnetId: network.getString('aks_subnet_id'),
      applicationGatewayId: network.getString('application_gateway_id'),
      logAnalyticsWorkspaceId: logs.workspace.id,
      settings: config.cluster,
      serviceCidr: config.network.serviceCidr,
      dnsServiceIp: config.network.dnsServiceIp,
      managedPrometheus: monitoringParts(config.monitoring).prometheus,
    });

    new PodSecurityPolicy(this, 'pod-security-policy', {
      name: names.podSecurityPolicyAssignment,
      clusterId: aks.cluster.id,
      effect: podSecurityBaselineEffect(config),
      excludedNamespaces: config.cluster.extraNodePools.some((pool) => pool.gpu) ? [NVIDIA_DEVICE_PLUGIN_NAMESPACE] : [],
    });

    new IngressControllerAccess(this, 'ingress-controller-access', {
      principalId: aks.cluster.ingressApplicationGateway.ingressApplicationGatewayIdentity.get(0).objectId,
      applicationGatewayId: network.getString('application_gateway_id'),
      gatewayResourceGroupId: network.getString('resource_group_id'),
      appGatewaySubnetId: network.getString('app_gateway_subnet_id'),
    });

    // New disks live in the main resource group; adopted ones wherever the old script put them.
    const adoptedGroups = Object.values(config.dataDisks.existingDiskIds).map((id) => /^(.*\/resourceGroups\/[^/]+)\//i.exec(id!)![1]);
    new DataDiskAccess(this, 'data-disk-access', {
      principalId: aks.identity.principalId,
      roleName: `${names.kubernetesCluster} data disk operator`,
      resourceGroupIds: [...new Set([network.getString('resource_group_id'), ...adoptedGroups])],
      // With delivery the bootstrap made the role (pipeline-identity-<env>), under a fixed ID.
      ...(config.delivery
        ? { existingRoleDefinitionId: `/subscriptions/${config.subscriptionId ?? client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${pipelineCustomRoleId(config, 'data-disk-operator')}` }
        : {}),
    });

    const vault = new KeyVault(this, 'key-vault', {
      ...common,
      name: names.keyVault,
      tenantId: client.tenantId,
      softDeleteRetentionDays: config.keyVault.softDeleteRetentionDays,
      allowedIpRanges: config.keyVault.allowedIpRanges,
      allowedSubnetIds: [network.getString('aks_subnet_id')],
      secretWriterPrincipalIds: [deployerObjectId(this, config, client.objectId)],
      publicNetworkAccess: !privateEndpoints,
    });

    const registry = new ContainerRegistry(this, 'container-registry', {
      ...common,
      name: names.containerRegistry,
      sku: config.registry.sku,
      pullThroughCache: config.registry.pullThroughCache,
      pullerPrincipalId: aks.cluster.kubeletIdentity.objectId,
      credentialVault: { id: vault.vault.id, uri: vault.vault.vaultUri },
      publicNetworkAccess: !privateEndpoints,
    });
    if (privateEndpoints) {
      const endpoint = { ...common, subnetId: network.getString('private_endpoint_subnet_id') };
      new ServicePrivateEndpoint(this, 'key-vault-private-endpoint', {
        ...endpoint,
        name: names.keyVaultPrivateEndpoint,
        resourceId: vault.vault.id,
        service: 'vault',
        privateDnsZoneId: network.getString('key_vault_private_dns_zone_id'),
      });
      new ServicePrivateEndpoint(this, 'container-registry-private-endpoint', {
        ...endpoint,
        name: names.containerRegistryPrivateEndpoint,
        resourceId: registry.registry.id,
        service: 'registry',
        privateDnsZoneId: network.getString('container_registry_private_dns_zone_id'),
      });
    }

    const cluster = aks.cluster;
    this.output('cluster_name', { value: cluster.name, description: 'AKS cluster name' });
    this.output('cluster_id', { value: cluster.id, description: 'AKS cluster resource ID' });
    this.output('node_resource_group', { value: cluster.nodeResourceGroup, description: 'Resource group AKS owns; holds no data' });
    this.output('oidc_issuer_url', { value: cluster.oidcIssuerUrl, description: 'OIDC issuer for workload identity federation' });
    this.output('kubelet_identity_object_id', { value: cluster.kubeletIdentity.objectId, description: 'Object ID of the kubelet identity (AcrPull)' });
    this.output('kubelet_identity_client_id', { value: cluster.kubeletIdentity.clientId, description: 'Client ID of the kubelet identity' });
    this.output('acr_login_server', { value: registry.registry.loginServer, description: 'Login server of the container registry' });
    this.output('key_vault_id', { value: vault.vault.id, description: "ID of the platform's Key Vault" });
    this.output('key_vault_uri', { value: vault.vault.vaultUri, description: "URI of the platform's Key Vault" });
    this.output('container_registry_id', { value: registry.registry.id, description: 'ID of the container registry (for its diagnostic setting)' });
    this.output('log_analytics_workspace_id', { value: logs.workspace.id, description: 'Log Analytics workspace of Container Insights' });
    this.output('cluster_identity_principal_id', { value: aks.identity.principalId, description: "Object ID of the control-plane identity (services' public IPs)" });
  }
}
