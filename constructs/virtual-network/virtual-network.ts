/**
 * The VNet and its two subnets: one for AKS nodes and pods (Azure CNI), one reserved for the
 * Application Gateway (v2 requires a subnet of its own), each with its own NSG.
 */
import { Construct } from 'constructs';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork as AzureVirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';

export interface VirtualNetworkProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly vnetName: string;
  readonly vnetCidr: string;
  readonly aksSubnetName: string;
  readonly aksSubnetCidr: string;
  readonly aksNsgName: string;
  readonly appGatewaySubnetName: string;
  readonly appGatewaySubnetCidr: string;
  readonly appGatewayNsgName: string;
  /** A third subnet, with an NSG of Azure's default rules, for private endpoints. @default - none */
  readonly privateEndpointSubnet?: { readonly name: string; readonly cidr: string; readonly nsgName: string };
}

/** Inbound rules the Application Gateway v2 subnet must allow, beyond Azure's defaults. */
function appGatewayInboundRules(): NetworkSecurityGroupSecurityRule[] {
  const rule = (name: string, priority: number, extra: Partial<NetworkSecurityGroupSecurityRule>): NetworkSecurityGroupSecurityRule => ({
    name,
    priority,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationAddressPrefix: '*',
    ...extra,
  });
  return [
    // Azure's infrastructure health probes; v2 gateways fail to provision without them.
    rule('AllowGatewayManager', 100, { sourceAddressPrefix: 'GatewayManager', destinationPortRange: '65200-65535' }),
    rule('AllowAzureLoadBalancer', 110, { protocol: '*', sourceAddressPrefix: 'AzureLoadBalancer', destinationPortRange: '*' }),
    // 80 stays open for the Let's Encrypt HTTP-01 challenge and the redirect to HTTPS.
    rule('AllowHttpHttpsFromInternet', 120, { sourceAddressPrefix: 'Internet', destinationPortRanges: ['80', '443'] }),
  ];
}

export class VirtualNetwork extends Construct {
  readonly vnet: AzureVirtualNetwork;
  readonly aksSubnet: Subnet;
  readonly appGatewaySubnet: Subnet;
  readonly privateEndpointSubnet?: Subnet;

  constructor(scope: Construct, id: string, props: VirtualNetworkProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.vnet = new AzureVirtualNetwork(this, 'Resource', { ...common, name: props.vnetName, addressSpace: [props.vnetCidr] });

    const subnet = (subnetId: string, name: string, cidr: string, serviceEndpoints?: string[]) =>
      new Subnet(this, subnetId, {
        name,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [cidr],
        serviceEndpoints,
      });
    // The Key Vault firewall admits the cluster through this service endpoint (Key Vault CSI driver).
    this.aksSubnet = subnet('aks-subnet', props.aksSubnetName, props.aksSubnetCidr, ['Microsoft.KeyVault']);
    this.appGatewaySubnet = subnet('app-gateway-subnet', props.appGatewaySubnetName, props.appGatewaySubnetCidr);

    // The AKS subnet keeps Azure's default rules: VNet traffic (gateway to pods) is allowed,
    // inbound from the internet is denied. AKS manages its own NSG on the node NICs.
    const aksNsg = new NetworkSecurityGroup(this, 'aks-nsg', { ...common, name: props.aksNsgName });
    const appGatewayNsg = new NetworkSecurityGroup(this, 'app-gateway-nsg', {
      ...common,
      name: props.appGatewayNsgName,
      securityRule: appGatewayInboundRules(),
    });
    new SubnetNetworkSecurityGroupAssociation(this, 'aks-nsg-association', { subnetId: this.aksSubnet.id, networkSecurityGroupId: aksNsg.id });
    new SubnetNetworkSecurityGroupAssociation(this, 'app-gateway-nsg-association', {
      subnetId: this.appGatewaySubnet.id,
      networkSecurityGroupId: appGatewayNsg.id,
    });

    if (props.privateEndpointSubnet) {
      const pe = props.privateEndpointSubnet;
      this.privateEndpointSubnet = subnet('private-endpoint-subnet', pe.name, pe.cidr);
      // Azure's defaults: the VNet (and peered runners) in, the internet not. The endpoints'
      // network policies are on, so these rules apply to them too.
      this.privateEndpointSubnet.privateEndpointNetworkPolicies = 'Enabled';
      const nsg = new NetworkSecurityGroup(this, 'private-endpoint-nsg', { ...common, name: pe.nsgName });
      new SubnetNetworkSecurityGroupAssociation(this, 'private-endpoint-nsg-association', { subnetId: this.privateEndpointSubnet.id, networkSecurityGroupId: nsg.id });
    }
  }
}
