/**
 * application-<env>: Opik on the cluster. Its data volumes bound to the data-disks stack's disks,
 * its passwords generated and kept in Key Vault, Entra ID sign-in (oauth2-proxy) in front of every
 * path, TLS from Let's Encrypt when a domain is set, and optionally the DNS record.
 */
import { Construct } from 'constructs';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { CertManager, LETS_ENCRYPT_ISSUERS } from '../constructs/cert-manager/cert-manager';
import type { ImageSource } from '../constructs/container-registry/mirrored-images';
import { DATA_COMPONENTS, type DataComponent } from '../constructs/core/naming';
import { ExternalDns } from '../constructs/external-dns/external-dns';
import { ClusterConnection } from '../constructs/kubernetes-access/cluster-connection';
import { NvidiaDevicePlugin } from '../constructs/nvidia-device-plugin/nvidia-device-plugin';
import { Oauth2Proxy, OAUTH2_PROXY_SERVICE } from '../constructs/oauth2-proxy/oauth2-proxy';
import { PublicIngress } from '../constructs/oauth2-proxy/public-ingress';
import { SignInApplication } from '../constructs/oauth2-proxy/sign-in-application';
import { DataVolumes, type DataDiskRef } from '../constructs/opik/data-volumes';
import { OpikCredentials } from '../constructs/opik/opik-credentials';
import { OpikNamespace } from '../constructs/opik/opik-namespace';
import { OpikNetworkPolicy } from '../constructs/opik/opik-network-policy';
import { OpikRelease } from '../constructs/opik/opik-release';
import type { ClusterAndRegistryStack } from './cluster-and-registry-stack';
import { diskIdOutput, diskSizeOutput, diskZoneOutput, type DataDisksStack } from './data-disks-stack';
import { deployerObjectId } from './deployer';
import type { NetworkStack } from './network-stack';
import { PlatformStack, type PlatformStackProps } from './platform-stack';

export const APPLICATION_OUTPUTS = ['url', 'public_ip_address', 'dns_record'] as const;
export type ApplicationOutput = (typeof APPLICATION_OUTPUTS)[number];

/** Secret (in Opik's namespace) cert-manager writes the certificate into. */
export const TLS_SECRET_NAME = 'opik-tls';

export interface ApplicationStackProps extends PlatformStackProps {
  readonly network: NetworkStack;
  readonly dataDisks: DataDisksStack;
  readonly cluster: ClusterAndRegistryStack;
}

export class ApplicationStack extends PlatformStack<ApplicationOutput> {
  constructor(scope: Construct, props: ApplicationStackProps) {
    super(scope, 'application', props);
    const { config, names } = this;
    const app = config.application;
    const network = this.readOutputsOf(props.network);
    const disks = this.readOutputsOf(props.dataDisks);
    const cluster = this.readOutputsOf(props.cluster);
    const resourceGroupName = network.getString('resource_group_name');
    const publicIp = network.getString('public_ip_address');
    const keyVaultId = cluster.getString('key_vault_id');

    new AzureadProvider(this, 'azuread', {});
    new RandomProvider(this, 'random', {});
    new ClusterConnection(this, 'cluster-connection', { clusterName: cluster.getString('cluster_name'), resourceGroupName });
    const azureClient = new DataAzurermClientConfig(this, 'client-config');
    const entraClient = new DataAzureadClientConfig(this, 'entra-client-config');

    const namespace = new OpikNamespace(this, 'namespace', { name: app.namespace });

    const diskRefs = {} as Record<DataComponent, DataDiskRef>;
    for (const component of DATA_COMPONENTS) {
      const disk = config.dataDisks.disks[component];
      const zone = disk.zone === undefined ? config.dataDisks.zone : disk.zone;
      diskRefs[component] = {
        diskId: disks.getString(diskIdOutput(component)),
        sizeGb: disks.getString(diskSizeOutput(component)),
        requestGb: disk.sizeGb,
        zone: disks.getString(diskZoneOutput(component)),
        zonal: zone !== null,
      };
    }
    const volumes = new DataVolumes(this, 'data-volumes', { namespace: namespace.name, location: config.location, disks: diskRefs });
    const tls = app.autoSsl;
    // Before any release: no pod of the namespace starts without the allowances it needs.
    const networkPolicy = new OpikNetworkPolicy(this, 'network-policy', {
      namespace: namespace.name,
      appGatewaySubnetCidr: config.network.appGatewaySubnetCidr,
      serviceCidr: config.network.serviceCidr,
      acmeSolver: tls,
      llmProviderEgress: app.networkPolicy.llmProviderEgress,
    });
    const credentials = new OpikCredentials(this, 'opik-credentials', { namespace: namespace.name, keyVaultId });

    const imageSource: ImageSource =
      app.imageSource === 'acr-cache' ? { kind: 'registry-cache', loginServer: cluster.getString('acr_login_server') } : { kind: 'upstream' };
    const opik = new OpikRelease(this, 'opik', {
      namespace: namespace.name,
      chartVersion: app.opikVersion,
      imageSource,
      claimSizesGb: Object.fromEntries(DATA_COMPONENTS.map((c) => [c, config.dataDisks.disks[c].sizeGb])) as Record<DataComponent, number>,
      storageClassName: volumes.storageClassName,
      resources: app.resources,
      replicas: app.replicas,
      dependsOn: [volumes.storageClass, ...Object.values(volumes.volumes), ...Object.values(volumes.claims), ...credentials.secrets, ...networkPolicy.dependables],
    });

    // Always a host name, never the bare IP: Let's Encrypt issues no certificate for an IP, and
    // Entra ID accepts no http:// or IP redirect URI except localhost.
    const host = app.domain ?? network.getString('public_ip_fqdn');
    const certManager = tls ? new CertManager(this, 'cert-manager', { email: app.letsEncryptEmail, imageSource }) : undefined;
    const url = `${tls ? 'https' : 'http'}://${host}`;
    const gpuPools = config.cluster.extraNodePools.filter((pool) => pool.gpu);
    if (gpuPools.length > 0) new NvidiaDevicePlugin(this, 'nvidia-device-plugin', { pools: gpuPools, imageSource });

    const signIn = new SignInApplication(this, 'sign-in-application', {
      displayName: names.signInApplication,
      redirectUri: `${url}/oauth2/callback`,
      accessGroupObjectId: app.accessGroupObjectId,
      ownerObjectId: deployerObjectId(this, config, entraClient.objectId),
      keyVaultId,
      // The pipeline holds no Graph permission that can escalate; an administrator assigns the group.
      assignAccessGroup: config.delivery === undefined,
    });
    const proxy = new Oauth2Proxy(this, 'oauth2-proxy', {
      namespace: namespace.name,
      tenantId: azureClient.tenantId,
      clientId: signIn.application.clientId,
      clientSecret: signIn.clientSecret.value,
      accessGroupObjectId: app.accessGroupObjectId,
      redirectUrl: `${url}/oauth2/callback`,
      https: tls,
      keyVaultId,
      imageSource,
      allowBearerTokens: app.allowBearerTokens,
      replicas: app.replicas.oauth2Proxy,
      resources: app.resources.oauth2Proxy,
      dependsOn: [...networkPolicy.dependables],
    });

    new PublicIngress(this, 'public-ingress', {
      namespace: namespace.name,
      host,
      service: OAUTH2_PROXY_SERVICE,
      tls: tls ? { clusterIssuer: LETS_ENCRYPT_ISSUERS[app.letsEncryptIssuer].name, secretName: TLS_SECRET_NAME } : undefined,
      dependsOn: [proxy.release, opik.release, ...(certManager ? [certManager.issuersRelease] : [])],
    });

    if (app.dns) {
      const target =
        app.dns.provider === 'azure'
          ? {
              provider: 'azure' as const,
              zoneId: app.dns.zoneId,
              tenantId: azureClient.tenantId,
              identityResourceGroupName: resourceGroupName,
              identityName: names.externalDnsIdentity,
              location: config.location,
              oidcIssuerUrl: cluster.getString('oidc_issuer_url'),
            }
          : { provider: 'cloudflare' as const, zoneName: app.dns.zoneName, apiTokenSecretName: app.dns.apiTokenSecretName };
      new ExternalDns(this, 'external-dns', { target, ownerId: `${config.workload}-${config.environment}`, imageSource });
    }

    this.output('url', { value: url, description: 'Where Opik is served (behind Entra ID sign-in)' });
    this.output('public_ip_address', { value: publicIp, description: "The Application Gateway's public IP" });
    this.output('dns_record', {
      value: app.domain
        ? `${app.domain} A ${publicIp}${app.dns ? ` (kept by external-dns, ${app.dns.provider})` : ' (create it in your DNS zone)'}`
        : `none needed: no application.domain is set, so Opik is served on ${host}, the Azure DNS name of the public IP`,
      description: 'The DNS record the domain needs',
    });
  }
}
