/**
 * How one service is reached: its Service (ClusterIP), plus either an Ingress through the
 * Application Gateway (AGIC) with a Let's Encrypt certificate, or a Service of type LoadBalancer on
 * a static public IP of its own.
 *
 * The public IP lives in the environment's main resource group, not AKS's node resource group, so
 * it survives the Service and the cluster: deleting and re-creating either keeps the address.
 * Microsoft's guide (https://learn.microsoft.com/azure/aks/static-ip) gives the cluster's identity
 * Network Contributor on the IP's resource group. Narrower here: AKS's cloud provider finds the IP by
 * listing the group's public IPs (its cache is per resource group), so Reader there, and it joins
 * the IP to its load balancer and tags it with the Service's name, so Network Contributor on the IP.
 */
import { Construct } from 'constructs';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { AGIC_INGRESS_CLASS } from '../cert-manager/cert-manager';
import { grantRole } from '../core/role-assignment';

export type Exposure =
  | { readonly type: 'internal' }
  | {
      readonly type: 'ingress';
      readonly host: string;
      readonly path: string;
      /** The ClusterIssuer that signs the certificate; absent serves plain HTTP. */
      readonly clusterIssuer?: string;
      /** Path the gateway probes the pods on (the readiness path). @default '/' */
      readonly healthProbePath?: string;
    }
  | {
      readonly type: 'loadBalancer';
      readonly publicIpName: string;
      /** The main resource group, where the IP lives. */
      readonly resourceGroupName: string;
      readonly resourceGroupId: string;
      readonly location: string;
      /** Zones of the IP: the cluster's, so the address survives a zone outage with the nodes. */
      readonly zones: readonly string[];
      /** Object ID of the cluster's control-plane identity, which attaches the IP to the load balancer. */
      readonly clusterPrincipalId: string;
      /**
       * The AKS subnet's NSG, which denies the internet by default: it gets one rule that admits the
       * internet to this IP on the service port, and nothing else. Priority unique in the NSG.
       */
      readonly networkSecurityGroup: { readonly name: string; readonly resourceGroupName: string; readonly priority: number };
    };

export interface ServiceExposureProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels that select the service's pods. */
  readonly selector: Readonly<Record<string, string>>;
  readonly port: number;
  readonly targetPort: number;
  readonly exposure: Exposure;
}

export class ServiceExposure extends Construct {
  readonly service: ServiceV1;
  readonly ingress?: IngressV1;
  readonly publicIp?: PublicIp;
  readonly networkSecurityRule?: NetworkSecurityRule;

  constructor(scope: Construct, id: string, props: ServiceExposureProps) {
    super(scope, id);
    const exposure = props.exposure;
    const metadata = { name: props.name, namespace: props.namespace, labels: { ...props.labels } };
    const ports = [{ name: 'http', port: props.port, targetPort: String(props.targetPort), protocol: 'TCP' }];

    if (exposure.type === 'loadBalancer') {
      this.publicIp = new PublicIp(this, 'public-ip', {
        name: exposure.publicIpName,
        resourceGroupName: exposure.resourceGroupName,
        location: exposure.location,
        allocationMethod: 'Static',
        sku: 'Standard',
        zones: exposure.zones.length > 0 ? [...exposure.zones] : undefined,
        // AKS tags the IP with the Service and cluster using it; those tags are not Terraform's.
        lifecycle: { ignoreChanges: ['tags["k8s-azure-service"]', 'tags["k8s-azure-cluster-name"]'] },
      });
      const access = grantRole(this, 'public-ip-access', {
        principalId: exposure.clusterPrincipalId,
        role: 'Network Contributor',
        scope: this.publicIp.id,
        reason: `AKS attaches this IP to its load balancer for Service ${props.namespace}/${props.name}`,
      });
      const lookup = grantRole(this, 'resource-group-reader', {
        principalId: exposure.clusterPrincipalId,
        role: 'Reader',
        scope: exposure.resourceGroupId,
        reason: `AKS finds the public IP of Service ${props.namespace}/${props.name} by listing this resource group's IPs`,
      });
      const nsg = exposure.networkSecurityGroup;
      this.networkSecurityRule = new NetworkSecurityRule(this, 'nsg-rule', {
        name: `allow-internet-to-${props.namespace}-${props.name}`.slice(0, 80),
        resourceGroupName: nsg.resourceGroupName,
        networkSecurityGroupName: nsg.name,
        priority: nsg.priority,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        sourceAddressPrefix: 'Internet',
        sourcePortRange: '*',
        destinationAddressPrefix: this.publicIp.ipAddress,
        destinationPortRange: String(props.port),
        description: `Service ${props.namespace}/${props.name}: a public LoadBalancer the environment file opted into (no TLS, no WAF)`,
      });
      this.service = new ServiceV1(this, 'Resource', {
        metadata: {
          ...metadata,
          annotations: {
            'service.beta.kubernetes.io/azure-load-balancer-resource-group': exposure.resourceGroupName,
            'service.beta.kubernetes.io/azure-pip-name': this.publicIp.name,
          },
        },
        spec: { type: 'LoadBalancer', selector: { ...props.selector }, port: ports },
        // The address is the static IP above, known before the load balancer answers.
        waitForLoadBalancer: false,
        dependsOn: [access, lookup],
      });
      return;
    }

    this.service = new ServiceV1(this, 'Resource', {
      metadata,
      spec: { type: 'ClusterIP', selector: { ...props.selector }, port: ports },
    });
    if (exposure.type === 'ingress') {
      this.ingress = new IngressV1(this, 'ingress', {
        metadata: {
          ...metadata,
          annotations: {
            'appgw.ingress.kubernetes.io/health-probe-path': exposure.healthProbePath ?? '/',
            'appgw.ingress.kubernetes.io/backend-protocol': 'http',
            ...(exposure.clusterIssuer ? { 'cert-manager.io/cluster-issuer': exposure.clusterIssuer } : {}),
          },
        },
        spec: {
          ingressClassName: AGIC_INGRESS_CLASS,
          rule: [
            {
              host: exposure.host,
              http: { path: [{ path: exposure.path, pathType: 'Prefix', backend: { service: { name: props.name, port: { number: props.port } } } }] },
            },
          ],
          tls: exposure.clusterIssuer ? [{ hosts: [exposure.host], secretName: `${props.name}-tls` }] : undefined,
        },
        dependsOn: [this.service],
      });
    }
  }
}
