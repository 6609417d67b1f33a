/**
 * services-<env>: the team's own containers beside Opik (environment file `services:`), each in a
 * namespace of its own (constructs/team-service). Reads the network and the cluster through remote
 * state; when a service's Ingress asks for a certificate it also depends on the application stack,
 * which installs the Let's Encrypt ClusterIssuers, so `cdktf deploy '*-<env>'` deploys that first.
 */
import { Construct } from 'constructs';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { LETS_ENCRYPT_ISSUERS } from '../constructs/cert-manager/cert-manager';
import { serviceResourceNames } from '../constructs/core/naming';
import { ClusterConnection } from '../constructs/kubernetes-access/cluster-connection';
import { TeamService } from '../constructs/team-service/team-service';
import type { ApplicationStack } from './application-stack';
import type { ClusterAndRegistryStack } from './cluster-and-registry-stack';
import type { NetworkStack } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

export interface ServicesStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly cluster: ClusterAndRegistryStack;
  readonly application: ApplicationStack;
}

/** Outputs: `public_ip_<service>` for a loadBalancer service, `dns_record_<service>` for an ingress one. */
export class ServicesStack extends PlatformStack<string> {
  constructor(scope: Construct, props: ServicesStackProps) {
    super(scope, 'services', props);
    const { config, names } = this;
    const network = this.readOutputsOf(props.network);
    const cluster = this.readOutputsOf(props.cluster);
    if (config.services.some((s) => s.exposure.type === 'ingress' && s.exposure.tls)) this.addDependency(props.application);

    const resourceGroupName = network.getString('resource_group_name');
    new ClusterConnection(this, 'cluster-connection', { clusterName: cluster.getString('cluster_name'), resourceGroupName });
    const client = new DataAzurermClientConfig(this, 'client-config');
    const platform = {
      location: config.location,
      resourceGroupName,
      resourceGroupId: network.getString('resource_group_id'),
      oidcIssuerUrl: cluster.getString('oidc_issuer_url'),
      keyVaultId: cluster.getString('key_vault_id'),
      keyVaultName: names.keyVault,
      tenantId: client.tenantId,
      registryLoginServer: cluster.getString('acr_login_server'),
      logAnalyticsWorkspaceId: cluster.getString('log_analytics_workspace_id'),
      clusterPrincipalId: cluster.getString('cluster_identity_principal_id'),
      zones: config.cluster.userNodePool.zones,
      appGatewaySubnetCidr: config.network.appGatewaySubnetCidr,
      clusterIssuer: LETS_ENCRYPT_ISSUERS[config.application.letsEncryptIssuer].name,
      aksNetworkSecurityGroup: { name: names.aksNetworkSecurityGroup, resourceGroupName },
    };
    const gatewayIp = network.getString('public_ip_address');

    // One NSG rule for each public LoadBalancer service, in the order the file lists them.
    const publicServices = config.services.filter((s) => s.exposure.type === 'loadBalancer').map((s) => s.name);
    for (const service of config.services) {
      const nsgRulePriority = 200 + Math.max(0, publicServices.indexOf(service.name));
      const built = new TeamService(this, service.name, { service, names: serviceResourceNames(config, service.name), platform, nsgRulePriority });
      const exposure = service.exposure;
      if (built.exposure.publicIp) {
        this.output(`public_ip_${service.name}`, { value: built.exposure.publicIp.ipAddress, description: `The static public IP of service ${service.name}` });
      } else if (exposure.type === 'ingress') {
        this.output(`dns_record_${service.name}`, {
          value: `${exposure.host} A ${gatewayIp} (create it in your DNS zone)`,
          description: `The DNS record service ${service.name}'s host needs: the Application Gateway's IP`,
        });
      }
    }
  }
}
