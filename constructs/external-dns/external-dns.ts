/**
 * external-dns, so the domain's A record follows the Application Gateway's IP (read from the
 * Ingress status AGIC writes). Policy `upsert-only`: it creates and updates records, never deletes
 * one, and a TXT owner record keeps it off records it did not create.
 *
 * Azure DNS: a managed identity federated with external-dns's service account (workload identity;
 * no client secret exists), with DNS Zone Contributor on that one zone only.
 * Cloudflare: the API token lives in a Kubernetes secret the operator creates by hand (README), so
 * it never passes through Terraform state.
 */
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { grantRole } from '../core/role-assignment';
import { federatedIdentity } from '../managed-identity/federated-identity';
import { imageParts, type ImageSource } from '../container-registry/mirrored-images';
import { renderValues, type HelmValues } from '../helm/values';

/** external-dns chart pinned here (https://kubernetes-sigs.github.io/external-dns/). */
export const EXTERNAL_DNS_CHART = { repository: 'https://kubernetes-sigs.github.io/external-dns/', name: 'external-dns', version: '1.22.0' } as const;
const NAMESPACE = 'external-dns';
const SERVICE_ACCOUNT = 'external-dns';

export type ExternalDnsTarget =
  | {
      readonly provider: 'azure';
      /** Resource ID of the Azure DNS zone. */
      readonly zoneId: string;
      readonly tenantId: string;
      /** Where the identity lives (the main resource group). */
      readonly identityResourceGroupName: string;
      readonly identityName: string;
      readonly location: string;
      /** The cluster's OIDC issuer, for the federated credential. */
      readonly oidcIssuerUrl: string;
    }
  | {
      readonly provider: 'cloudflare';
      readonly zoneName: string;
      /** Secret in namespace external-dns with key `api-token`, created by the operator. */
      readonly apiTokenSecretName: string;
    };

export interface ExternalDnsProps {
  readonly target: ExternalDnsTarget;
  /** Distinguishes this cluster's records from others' in the same zone. */
  readonly ownerId: string;
  /** Where the external-dns image is pulled from. */
  readonly imageSource: ImageSource;
}

/** subscription, resource group and zone name of an Azure DNS zone ID. */
export function parseZoneId(zoneId: string): { subscriptionId: string; resourceGroup: string; zoneName: string } {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/dnszones\/([^/]+)$/i.exec(zoneId);
  if (!match) throw new Error(`ExternalDns: "${zoneId}" is not a DNS zone resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/dnszones/<zone>)`);
  return { subscriptionId: match[1], resourceGroup: match[2], zoneName: match[3].toLowerCase() };
}

export class ExternalDns extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
    });
    const target = props.target;
    const values: HelmValues = {
      sources: ['ingress'],
      policy: 'upsert-only',
      // The chart has no registry key: the registry goes into the repository.
      image: (({ registry, repository, tag }) => ({ repository: `${registry}/${repository}`, tag }))(imageParts('externalDns', props.imageSource)),
      registry: 'txt',
      txtOwnerId: props.ownerId,
      serviceAccount: { create: true, name: SERVICE_ACCOUNT },
    };
    const dependsOn: ITerraformDependable[] = [namespace];

    if (target.provider === 'azure') {
      const zone = parseZoneId(target.zoneId);
      const identity = federatedIdentity(this, {
        id: 'identity',
        name: target.identityName,
        resourceGroupName: target.identityResourceGroupName,
        location: target.location,
        issuer: target.oidcIssuerUrl,
        credentials: [{ id: 'federation', name: 'external-dns', subject: `system:serviceaccount:${NAMESPACE}:${SERVICE_ACCOUNT}` }],
      });
      grantRole(this, 'dns-zone-access', {
        principalId: identity.principalId,
        role: 'DNS Zone Contributor',
        scope: target.zoneId,
        reason: "external-dns writes the Opik host's A and TXT records",
      });
      // Not a credential: which tenant, subscription and resource group to talk to.
      const azureJson = new SecretV1(this, 'azure-config', {
        metadata: { name: 'external-dns-azure', namespace: NAMESPACE },
        data: {
          'azure.json': JSON.stringify({
            tenantId: target.tenantId,
            subscriptionId: zone.subscriptionId,
            resourceGroup: zone.resourceGroup,
            useWorkloadIdentityExtension: true,
          }),
        },
        dependsOn: [namespace],
      });
      dependsOn.push(azureJson);
      Object.assign(values, {
        provider: { name: 'azure' },
        domainFilters: [zone.zoneName],
        serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { 'azure.workload.identity/client-id': identity.clientId } },
        podLabels: { 'azure.workload.identity/use': 'true' },
        extraVolumes: [{ name: 'azure-config', secret: { secretName: 'external-dns-azure' } }],
        extraVolumeMounts: [{ name: 'azure-config', mountPath: '/etc/kubernetes', readOnly: true }],
      });
    } else {
      Object.assign(values, {
        provider: { name: 'cloudflare' },
        domainFilters: [target.zoneName],
        env: [{ name: 'CF_API_TOKEN', valueFrom: { secretKeyRef: { name: target.apiTokenSecretName, key: 'api-token' } } }],
      });
    }

    this.release = new Release(this, 'Resource', {
      name: 'external-dns',
      repository: EXTERNAL_DNS_CHART.repository,
      chart: EXTERNAL_DNS_CHART.name,
      version: EXTERNAL_DNS_CHART.version,
      namespace: NAMESPACE,
      atomic: false,
      wait: true,
      timeout: 300,
      values: [renderValues(values)],
      dependsOn,
    });
  }
}
