/**
 * One of the team's own services beside Opik (services-<env> stack), in a namespace of its own:
 * the namespace with Pod Security `restricted` enforced, a workload identity that may read only the
 * service's Key Vault secrets, those secrets as read-only files (Secrets Store CSI driver), plain
 * settings as a ConfigMap, the Deployment, a fixed count or an autoscaler, a PodDisruptionBudget,
 * default-deny NetworkPolicies with the listed allowances, the Service and its exposure.
 */
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import type { TeamServiceConfig } from '../../config/schema';
import { ApplicationInsights } from '../application-insights/application-insights';
import type { ServiceResourceNames } from '../core/naming';
import { PRIVATE_RANGES, ServiceNetworkPolicy } from '../network-policy/service-network-policy';
import { SecretProviderClass } from '../secret-provider-class/secret-provider-class';
import { ServiceExposure } from '../service-exposure/service-exposure';
import { WorkloadIdentity } from '../workload-identity/workload-identity';
import { ServiceDeployment } from './service-deployment';

/** The file the Application Insights connection string appears as, under /mnt/secrets. */
export const APPLICATION_INSIGHTS_FILE = 'APPLICATIONINSIGHTS_CONNECTION_STRING';

/** What the platform's other stacks provide, read through remote state. */
export interface ServicePlatform {
  readonly location: string;
  /** The main resource group (identities, public IPs, Application Insights). */
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly oidcIssuerUrl: string;
  readonly keyVaultId: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly registryLoginServer: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Object ID of the cluster's control-plane identity (attaches public IPs to its load balancer). */
  readonly clusterPrincipalId: string;
  /** Zones of the cluster's user pool, for public IPs. */
  readonly zones: readonly string[];
  /** The Application Gateway subnet: where AGIC's traffic to the pods comes from. */
  readonly appGatewaySubnetCidr: string;
  /** The ClusterIssuer the application stack installs (when application.autoSsl is on). */
  readonly clusterIssuer: string;
  /** The AKS subnet's NSG and its resource group: a public LoadBalancer service opens its port there. */
  readonly aksNetworkSecurityGroup: { readonly name: string; readonly resourceGroupName: string };
}

export interface TeamServiceProps {
  readonly service: TeamServiceConfig;
  readonly names: ServiceResourceNames;
  readonly platform: ServicePlatform;
  /** Priority of this service's NSG rule (public LoadBalancer only), unique in the NSG. @default 200 */
  readonly nsgRulePriority?: number;
}

export class TeamService extends Construct {
  readonly namespace: NamespaceV1;
  readonly deployment: ServiceDeployment;
  readonly exposure: ServiceExposure;
  readonly identity: WorkloadIdentity;
  readonly applicationInsights?: ApplicationInsights;

  constructor(scope: Construct, id: string, props: TeamServiceProps) {
    super(scope, id);
    const { service, names, platform } = props;
    const namespaceName = service.namespace ?? service.name;
    const selector = { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/instance': service.name };
    const labels = { ...selector, 'app.kubernetes.io/part-of': 'team-services', 'app.kubernetes.io/managed-by': 'cdktf' };

    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: namespaceName,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
        },
      },
    });
    const namespace = this.namespace.metadata.name;

    this.applicationInsights = service.applicationInsights
      ? new ApplicationInsights(this, 'application-insights', {
          name: names.applicationInsights,
          resourceGroupName: platform.resourceGroupName,
          location: platform.location,
          workspaceId: platform.logAnalyticsWorkspaceId,
          keyVaultId: platform.keyVaultId,
          secretName: names.applicationInsightsSecret,
        })
      : undefined;
    const secretFiles: Record<string, string> = { ...service.secrets };
    if (this.applicationInsights) secretFiles[APPLICATION_INSIGHTS_FILE] = names.applicationInsightsSecret;

    this.identity = new WorkloadIdentity(this, 'identity', {
      identityName: names.identity,
      resourceGroupName: platform.resourceGroupName,
      location: platform.location,
      oidcIssuerUrl: platform.oidcIssuerUrl,
      namespace: namespaceName,
      serviceAccountName: service.name,
      secretScopes: {
        ...Object.fromEntries(Object.values(service.secrets).map((secret) => [secret, `${platform.keyVaultId}/secrets/${secret}`])),
        ...(this.applicationInsights ? { [names.applicationInsightsSecret]: this.applicationInsights.connectionStringSecret.resourceVersionlessId } : {}),
      },
      labels,
      dependsOn: [this.namespace],
    });

    const secretProviderClass =
      Object.keys(secretFiles).length > 0
        ? new SecretProviderClass(this, 'secret-provider-class', {
            name: service.name,
            namespace,
            keyVaultName: platform.keyVaultName,
            tenantId: platform.tenantId,
            clientId: this.identity.identity.clientId,
            objects: secretFiles,
            dependsOn: [this.namespace, ...this.identity.secretGrants],
          })
        : undefined;

    const settings =
      Object.keys(service.settings).length > 0
        ? new ConfigMapV1(this, 'settings', {
            metadata: { name: `${service.name}-settings`, namespace, labels },
            data: Object.fromEntries(Object.entries(service.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
          })
        : undefined;

    const exposure = service.exposure;
    const tls = exposure.type === 'ingress' && exposure.tls;
    const networkPolicy = new ServiceNetworkPolicy(this, 'network-policy', {
      namespace,
      podLabels: selector,
      port: service.port,
      ingressFromCidrs: exposure.type === 'ingress' ? [platform.appGatewaySubnetCidr] : exposure.type === 'loadBalancer' ? ['0.0.0.0/0'] : [],
      ingressFromPeers: service.networkPolicy.ingressFrom,
      egressTo: [
        ...service.networkPolicy.egressTo,
        // Telemetry goes to Azure Monitor's public ingestion endpoints over HTTPS.
        ...(service.applicationInsights ? [{ cidr: '0.0.0.0/0', except: [...PRIVATE_RANGES], ports: [{ port: 443, protocol: 'TCP' as const }] }] : []),
      ],
      acmeSolverFromCidr: tls ? platform.appGatewaySubnetCidr : undefined,
    });

    // The policies go in first, so no pod of the service ever runs unfenced.
    this.deployment = new ServiceDeployment(this, 'deployment', {
      name: service.name,
      namespace,
      labels,
      selector,
      image: `${platform.registryLoginServer}/${service.image}`,
      port: service.port,
      runAsUser: service.runAsUser,
      resources: service.resources,
      liveness: service.probes.liveness,
      readiness: service.probes.readiness,
      serviceAccountName: this.identity.serviceAccount.metadata.name,
      replicas: service.autoscaling ? undefined : service.replicas,
      settingsConfigMap: settings ? { name: settings.metadata.name, data: service.settings } : undefined,
      secretProviderClass: secretProviderClass?.name,
      dependsOn: [this.identity.serviceAccount, networkPolicy.defaultDeny, networkPolicy.allow, ...(settings ? [settings] : []), ...(secretProviderClass ? [secretProviderClass.release] : [])],
    });
    const deploymentName = this.deployment.deployment.metadata.name;

    if (service.autoscaling) {
      const target = (name: string, averageUtilization: number) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
      new HorizontalPodAutoscalerV2(this, 'autoscaler', {
        metadata: { name: service.name, namespace, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName },
          minReplicas: service.autoscaling.minReplicas,
          maxReplicas: service.autoscaling.maxReplicas,
          metric: [target('cpu', service.autoscaling.cpuUtilization), target('memory', service.autoscaling.memoryUtilization)],
        },
      });
    }

    // maxUnavailable 1, not minAvailable: a one-replica service must not block node drains
    // (cluster upgrades), and a larger one keeps all but one replica through a drain.
    new PodDisruptionBudgetV1(this, 'disruption-budget', {
      metadata: { name: service.name, namespace, labels },
      spec: { maxUnavailable: '1', selector: { matchLabels: { ...selector } } },
    });

    this.exposure = new ServiceExposure(this, 'exposure', {
      name: service.name,
      namespace,
      labels,
      selector,
      port: service.servicePort,
      targetPort: service.port,
      exposure:
        exposure.type === 'internal'
          ? exposure
          : exposure.type === 'ingress'
            ? {
                type: 'ingress',
                host: exposure.host,
                path: exposure.path,
                clusterIssuer: exposure.tls ? platform.clusterIssuer : undefined,
                healthProbePath: service.probes.readiness.type === 'http' ? service.probes.readiness.path : undefined,
              }
            : {
                type: 'loadBalancer',
                publicIpName: names.publicIp,
                resourceGroupName: platform.resourceGroupName,
                resourceGroupId: platform.resourceGroupId,
                location: platform.location,
                zones: platform.zones,
                clusterPrincipalId: platform.clusterPrincipalId,
                networkSecurityGroup: { ...platform.aksNetworkSecurityGroup, priority: props.nsgRulePriority ?? 200 },
              },
    });
  }
}
