/**
 * The Azure Container Registry the cluster pulls from. With a pull-through cache rule for every
 * image the platform runs (mirrored-images.ts), the first pull of an image fetches it from its
 * upstream registry and later pulls come from Azure: nodes never pull anonymously from Docker Hub
 * (rate-limited per egress IP), and a scale-out does not depend on ghcr.io, quay.io or
 * registry.k8s.io being up.
 *
 * Docker Hub takes cache rules only with a login: a credential set whose username and access
 * token the operator keeps in the platform Key Vault (README: "Images and the registry cache").
 */
import { Construct } from 'constructs';
import { ContainerRegistry as AzureContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { ContainerRegistryCacheRule } from '@cdktf/provider-azurerm/lib/container-registry-cache-rule';
import { ContainerRegistryCredentialSet } from '@cdktf/provider-azurerm/lib/container-registry-credential-set';
import { grantRole } from '../core/role-assignment';
import { cachedRepository, MIRRORED_IMAGES, UPSTREAM_REGISTRIES, type MirroredImage, type UpstreamRegistry } from './mirrored-images';

/** Key Vault secrets (names) holding the Docker Hub login of the cache's credential set. */
export const DOCKER_HUB_CREDENTIAL_SECRETS = { username: 'dockerhub-username', accessToken: 'dockerhub-access-token' } as const;

export interface RegistryCredentialVault {
  readonly id: string;
  /** `https://<name>.vault.azure.net/` */
  readonly uri: string;
}

export interface ContainerRegistryProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly name: string;
  /** @default 'Premium' */
  readonly sku?: 'Basic' | 'Standard' | 'Premium';
  /** Object ID of the kubelet identity, which gets AcrPull. */
  readonly pullerPrincipalId: string;
  /** @default true */
  readonly pullThroughCache?: boolean;
  /** The vault that holds the Docker Hub login (DOCKER_HUB_CREDENTIAL_SECRETS); the credential set's identity may read its secrets. */
  readonly credentialVault: RegistryCredentialVault;
  /** false: pushes and pulls only through a private endpoint (privateEndpoints; Premium only). @default true */
  readonly publicNetworkAccess?: boolean;
}

/** A cache rule's name: letters, digits and hyphens, from the cached path. */
export function cacheRuleName(image: MirroredImage): string {
  return cachedRepository(image).replace(/[^a-zA-Z0-9]+/g, '-');
}

export class ContainerRegistry extends Construct {
  readonly registry: AzureContainerRegistry;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const sku = props.sku ?? 'Premium';
    const premium = sku === 'Premium';

    this.registry = new AzureContainerRegistry(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku,
      // Pulls authenticate with the kubelet's managed identity; no shared admin password exists.
      adminEnabled: false,
      anonymousPullEnabled: false,
      zoneRedundancyEnabled: premium ? true : undefined,
      // Lets clients that enforce Docker Content Trust verify signed images; unsigned pulls still work.
      trustPolicyEnabled: premium ? true : undefined,
      retentionPolicyInDays: premium ? 7 : undefined,
      dataEndpointEnabled: premium ? true : undefined,
      publicNetworkAccessEnabled: props.publicNetworkAccess ?? true,
      // The pull-through cache's own upstream calls and trusted Azure services are not blocked.
      networkRuleBypassOption: 'AzureServices',
    });

    grantRole(this, 'kubelet-acr-pull', {
      principalId: props.pullerPrincipalId,
      role: 'AcrPull',
      scope: this.registry.id,
      reason: 'AKS nodes pull every platform image with the kubelet identity',
    });

    if (!(props.pullThroughCache ?? true)) return;

    const credentialSets = new Map<UpstreamRegistry, ContainerRegistryCredentialSet>();
    for (const [upstream, settings] of Object.entries(UPSTREAM_REGISTRIES) as [UpstreamRegistry, (typeof UPSTREAM_REGISTRIES)[UpstreamRegistry]][]) {
      if (!settings.needsCredentials) continue;
      // Versionless secret IDs: the registry always reads the current version, so rotating the
      // token is `az keyvault secret set`, with no deploy.
      const secretId = (name: string) => `${props.credentialVault.uri}secrets/${name}`;
      const set = new ContainerRegistryCredentialSet(this, `credential-set-${settings.cachePrefix}`, {
        name: `${settings.cachePrefix}-login`,
        containerRegistryId: this.registry.id,
        loginServer: upstream,
        identity: { type: 'SystemAssigned' },
        authenticationCredentials: {
          usernameSecretId: secretId(DOCKER_HUB_CREDENTIAL_SECRETS.username),
          passwordSecretId: secretId(DOCKER_HUB_CREDENTIAL_SECRETS.accessToken),
        },
      });
      grantRole(this, `credential-set-${settings.cachePrefix}-secrets-user`, {
        principalId: set.identity.principalId,
        role: 'Key Vault Secrets User',
        scope: props.credentialVault.id,
        reason: `The registry cache reads the ${upstream} login from the platform vault`,
      });
      credentialSets.set(upstream, set);
    }

    const rules = new Map<string, MirroredImage>();
    for (const image of Object.values(MIRRORED_IMAGES) as MirroredImage[]) rules.set(cacheRuleName(image), image);
    for (const [name, image] of [...rules].sort(([a], [b]) => a.localeCompare(b))) {
      new ContainerRegistryCacheRule(this, `cache-${name}`, {
        name,
        containerRegistryId: this.registry.id,
        sourceRepo: `${image.registry}/${image.repository}`,
        targetRepo: cachedRepository(image),
        credentialSetId: credentialSets.get(image.registry)?.id,
      });
    }
  }
}
