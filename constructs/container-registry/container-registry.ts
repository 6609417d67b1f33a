/**
 * The Azure Container Registry the cluster pulls from. With pull-through cache rules, the first
 * pull of an Opik image fetches it from ghcr.io/comet-ml/opik and later pulls come from Azure:
 * no local docker build and no dependency on ghcr.io being up during a node scale-out.
 */
import { Construct } from 'constructs';
import { ContainerRegistry as AzureContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { ContainerRegistryCacheRule } from '@cdktf/provider-azurerm/lib/container-registry-cache-rule';
import { grantRole } from '../core/role-assignment';

/** Upstream home of the Opik images. */
export const OPIK_UPSTREAM_REGISTRY = 'ghcr.io/comet-ml/opik';
/** Opik's images, by repository name under OPIK_UPSTREAM_REGISTRY. */
export const OPIK_IMAGES = ['opik-backend', 'opik-python-backend', 'opik-frontend', 'opik-sandbox-executor-python'] as const;
/** Where a cached image lives inside our registry: `<login server>/<prefix>/<image>`. */
export const OPIK_CACHE_PREFIX = 'comet-ml/opik';

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
    });

    grantRole(this, 'kubelet-acr-pull', {
      principalId: props.pullerPrincipalId,
      role: 'AcrPull',
      scope: this.registry.id,
      reason: 'AKS nodes pull Opik images with the kubelet identity',
    });

    if (props.pullThroughCache ?? true) {
      for (const image of OPIK_IMAGES) {
        new ContainerRegistryCacheRule(this, `cache-${image}`, {
          name: image,
          containerRegistryId: this.registry.id,
          sourceRepo: `${OPIK_UPSTREAM_REGISTRY}/${image}`,
          targetRepo: `${OPIK_CACHE_PREFIX}/${image}`,
        });
      }
    }
  }
}
