/**
 * Private endpoints: a service (Key Vault, the registry, the state storage account's blobs) gets
 * an address in a subnet, and the privatelink DNS zone that the VNet resolves the service's public
 * name through answers with that address. With the endpoint in place the service turns its public
 * network access off; only what can route to the subnet and resolves through the zone reaches it.
 */
import { Construct } from 'constructs';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';

/** The sub-resource and privatelink zone of each service (learn.microsoft.com/azure/private-link/private-endpoint-dns). */
export const PRIVATE_LINK = {
  vault: { subresource: 'vault', zone: 'privatelink.vaultcore.azure.net' },
  registry: { subresource: 'registry', zone: 'privatelink.azurecr.io' },
  blob: { subresource: 'blob', zone: 'privatelink.blob.core.windows.net' },
} as const;
export type PrivateLinkService = keyof typeof PRIVATE_LINK;

export interface PrivateDnsZonesProps {
  readonly resourceGroupName: string;
  readonly services: readonly PrivateLinkService[];
  /** VNets that resolve through the zones: the platform's, and any a deploy runner sits in. */
  readonly virtualNetworkIds: readonly string[];
  /** Prefix of the links' names (unique per zone). */
  readonly linkName: string;
}

/** One privatelink zone per service, linked to every VNet given. */
export class PrivateDnsZones extends Construct {
  readonly zones: Readonly<Partial<Record<PrivateLinkService, PrivateDnsZone>>>;

  constructor(scope: Construct, id: string, props: PrivateDnsZonesProps) {
    super(scope, id);
    const zones: Partial<Record<PrivateLinkService, PrivateDnsZone>> = {};
    for (const service of props.services) {
      const zone = new PrivateDnsZone(this, service, { name: PRIVATE_LINK[service].zone, resourceGroupName: props.resourceGroupName });
      props.virtualNetworkIds.forEach((virtualNetworkId, index) => {
        new PrivateDnsZoneVirtualNetworkLink(this, `${service}-link-${index}`, {
          name: `${props.linkName}-${index}`,
          resourceGroupName: props.resourceGroupName,
          privateDnsZoneName: zone.name,
          virtualNetworkId,
          // Resolution only: no VM of the VNet registers its own name in a privatelink zone.
          registrationEnabled: false,
        });
      });
      zones[service] = zone;
    }
    this.zones = zones;
  }
}

export interface ServicePrivateEndpointProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly subnetId: string;
  /** The resource the endpoint reaches. */
  readonly resourceId: string;
  readonly service: PrivateLinkService;
  /** The privatelink zone the endpoint's A record goes into. */
  readonly privateDnsZoneId: string;
}

export class ServicePrivateEndpoint extends Construct {
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: ServicePrivateEndpointProps) {
    super(scope, id);
    this.endpoint = new PrivateEndpoint(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.subnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: props.name,
        privateConnectionResourceId: props.resourceId,
        subresourceNames: [PRIVATE_LINK[props.service].subresource],
        isManualConnection: false,
      },
      // Azure writes (and keeps) the endpoint's A records in the zone.
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [props.privateDnsZoneId] },
    });
  }
}
