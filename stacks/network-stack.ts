/** network-<env>: the main resource group, the VNet and subnets, and the Application Gateway. */
import { Construct } from 'constructs';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { ApplicationGateway } from '../constructs/application-gateway/application-gateway';
import { VirtualNetwork } from '../constructs/virtual-network/virtual-network';
import { PrivateDnsZones } from '../constructs/private-endpoint/private-endpoint';
import { privateEndpointsEnabled } from '../config/schema';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

export const NETWORK_OUTPUTS = [
  'resource_group_name',
  'resource_group_id',
  'vnet_id',
  'aks_subnet_id',
  'app_gateway_subnet_id',
  'application_gateway_id',
  'application_gateway_name',
  'public_ip_address',
  'public_ip_fqdn',
  // With privateEndpoints only:
  'private_endpoint_subnet_id',
  'key_vault_private_dns_zone_id',
  'container_registry_private_dns_zone_id',
] as const;
export type NetworkOutput = (typeof NETWORK_OUTPUTS)[number];

export class NetworkStack extends PlatformStack<NetworkOutput> {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, 'network', props);
    const { config, names } = this;
    const privateEndpoints = privateEndpointsEnabled(config);

    // It holds the data disks too: Terraform must never delete it.
    const resourceGroup = new ResourceGroup(this, 'resource-group', {
      name: names.resourceGroup,
      location: config.location,
      lifecycle: { preventDestroy: true },
    });
    const common = { resourceGroupName: resourceGroup.name, location: config.location };

    const network = new VirtualNetwork(this, 'virtual-network', {
      ...common,
      vnetName: names.virtualNetwork,
      vnetCidr: config.network.vnetCidr,
      aksSubnetName: names.aksSubnet,
      aksSubnetCidr: config.network.aksSubnetCidr,
      aksNsgName: names.aksNetworkSecurityGroup,
      appGatewaySubnetName: names.appGatewaySubnet,
      appGatewaySubnetCidr: config.network.appGatewaySubnetCidr,
      appGatewayNsgName: names.appGatewayNetworkSecurityGroup,
      privateEndpointSubnet: privateEndpoints
        ? { name: names.privateEndpointSubnet, cidr: config.privateEndpoints.subnetCidr!, nsgName: names.privateEndpointNetworkSecurityGroup }
        : undefined,
    });
    if (privateEndpoints) {
      const zones = new PrivateDnsZones(this, 'private-dns-zones', {
        resourceGroupName: resourceGroup.name,
        services: ['vault', 'registry'],
        virtualNetworkIds: [network.vnet.id, ...config.privateEndpoints.linkedVnetIds],
        linkName: names.virtualNetwork,
      });
      this.output('private_endpoint_subnet_id', { value: network.privateEndpointSubnet!.id, description: 'Subnet of the private endpoints (Key Vault, registry)' });
      this.output('key_vault_private_dns_zone_id', { value: zones.zones.vault!.id, description: 'privatelink.vaultcore.azure.net, linked to the VNet' });
      this.output('container_registry_private_dns_zone_id', { value: zones.zones.registry!.id, description: 'privatelink.azurecr.io, linked to the VNet' });
    }

    const gateway = new ApplicationGateway(this, 'application-gateway', {
      ...common,
      gatewayName: names.applicationGateway,
      publicIpName: names.appGatewayPublicIp,
      dnsLabel: names.appGatewayDnsLabel,
      wafPolicyName: names.wafPolicy,
      subnetId: network.appGatewaySubnet.id,
      sku: config.applicationGateway.sku,
      minCapacity: config.applicationGateway.minCapacity,
      maxCapacity: config.applicationGateway.maxCapacity,
      zones: config.applicationGateway.zones,
    });

    this.output('resource_group_name', { value: resourceGroup.name, description: 'Main resource group; also holds the data disks' });
    this.output('resource_group_id', { value: resourceGroup.id, description: 'ID of the main resource group' });
    this.output('vnet_id', { value: network.vnet.id, description: 'ID of the virtual network' });
    this.output('aks_subnet_id', { value: network.aksSubnet.id, description: 'Subnet of the AKS nodes and pods' });
    this.output('app_gateway_subnet_id', { value: network.appGatewaySubnet.id, description: 'Subnet of the Application Gateway' });
    this.output('application_gateway_id', { value: gateway.gateway.id, description: 'ID of the Application Gateway that AGIC manages' });
    this.output('application_gateway_name', { value: gateway.gateway.name, description: 'Name of the Application Gateway' });
    this.output('public_ip_address', { value: gateway.publicIp.ipAddress, description: "The gateway's static public IP: point the domain's A record here" });
    this.output('public_ip_fqdn', { value: gateway.publicIp.fqdn, description: "Azure's name for that IP (<label>.<location>.cloudapp.azure.com)" });
  }
}
