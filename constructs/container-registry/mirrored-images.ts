/**
 * Every container image the platform runs, in one list: the registry gets a pull-through cache
 * rule for each, and each Helm release points its images at the cached copy. Nodes then pull only
 * from our registry, with the kubelet identity: no anonymous Docker Hub pulls behind one egress IP
 * (Docker Hub rate-limits those), and no dependency on an upstream registry during a scale-out.
 *
 * Tags are pinned here rather than left to chart defaults, so a new database or tool version is a
 * reviewed line in this file, never a side effect of a chart upgrade. Where the tag carries a
 * digest (`tag@sha256:…`) it is the digest the chart's own authors pinned for that tag; the others
 * are pinned by tag only (no digest could be read offline). Opik's own three images have no tag
 * here: the chart uses its appVersion, so `application.opikVersion` pins them.
 */

/** The upstream registries, and the path each is cached under in our registry. */
export const UPSTREAM_REGISTRIES = {
  'ghcr.io': { cachePrefix: 'ghcr', needsCredentials: false },
  // Docker Hub accepts cache rules only with a login (a credential set in Key Vault, README).
  'docker.io': { cachePrefix: 'dockerhub', needsCredentials: true },
  'quay.io': { cachePrefix: 'quay', needsCredentials: false },
  'registry.k8s.io': { cachePrefix: 'k8s', needsCredentials: false },
  // NVIDIA's NGC registry, an artifact cache upstream that allows unauthenticated pulls (Azure
  // docs, container-registry-artifact-cache.md, "Upstream support": Nvidia).
  'nvcr.io': { cachePrefix: 'nvcr', needsCredentials: false },
} as const;
export type UpstreamRegistry = keyof typeof UPSTREAM_REGISTRIES;

export interface MirroredImage {
  readonly registry: UpstreamRegistry;
  /** Repository path at the upstream registry (Docker Hub official images under `library/`). */
  readonly repository: string;
  /** Pinned tag, optionally `tag@sha256:…`; absent where a chart's appVersion pins it. */
  readonly tag?: string;
}

export const MIRRORED_IMAGES = {
  // Opik (ghcr.io/comet-ml/opik), tagged by the chart's appVersion.
  opikBackend: { registry: 'ghcr.io', repository: 'comet-ml/opik/opik-backend' },
  opikPythonBackend: { registry: 'ghcr.io', repository: 'comet-ml/opik/opik-python-backend' },
  opikFrontend: { registry: 'ghcr.io', repository: 'comet-ml/opik/opik-frontend' },
  // Started by the python backend only with the docker executor strategy; cached so switching works.
  opikSandboxExecutor: { registry: 'ghcr.io', repository: 'comet-ml/opik/opik-sandbox-executor-python' },
  // Opik's data stores and their helpers, at the versions Opik 2.1.23's chart ships.
  mysql: { registry: 'docker.io', repository: 'library/mysql', tag: '8.4.2' },
  redisStack: { registry: 'docker.io', repository: 'redis/redis-stack-server', tag: '7.2.0-v10' },
  zookeeper: { registry: 'docker.io', repository: 'library/zookeeper', tag: '3.9.4@sha256:f0f1d5e4a2763041ce1f7fc25e2b5347a2a0dfb0eaf0f46a49fe2e01945f9f09' },
  minio: {
    registry: 'docker.io',
    repository: 'cloudpirates/image-minio',
    tag: 'RELEASE.2025-10-15T17-29-55Z-hardened@sha256:11e00b6678a57044dd98a7ff53e65dd6d03be0300a97d69e6df9ccb773321eac',
  },
  clickhouseServer: { registry: 'docker.io', repository: 'altinity/clickhouse-server', tag: '25.8.16.10002.altinitystable' },
  clickhouseOperator: { registry: 'docker.io', repository: 'altinity/clickhouse-operator', tag: '0.27.1' },
  // The operator chart's CRD hook defaults to the unpinned `bitnami/kubectl:latest` (and Bitnami
  // stopped publishing free tags in 2025); Opik's own chart uses this one for its kubectl Jobs.
  kubectl: { registry: 'docker.io', repository: 'alpine/kubectl', tag: '1.35.0' },
  curl: { registry: 'docker.io', repository: 'curlimages/curl', tag: '8.12.1' },
  busybox: { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' },
  // cert-manager (quay.io/jetstack), tagged by the chart's version (CERT_MANAGER_CHART).
  certManagerController: { registry: 'quay.io', repository: 'jetstack/cert-manager-controller' },
  certManagerWebhook: { registry: 'quay.io', repository: 'jetstack/cert-manager-webhook' },
  certManagerCainjector: { registry: 'quay.io', repository: 'jetstack/cert-manager-cainjector' },
  certManagerAcmesolver: { registry: 'quay.io', repository: 'jetstack/cert-manager-acmesolver' },
  certManagerStartupapicheck: { registry: 'quay.io', repository: 'jetstack/cert-manager-startupapicheck' },
  // The sign-in proxy and its session store, and external-dns, at their charts' app versions.
  oauth2Proxy: { registry: 'quay.io', repository: 'oauth2-proxy/oauth2-proxy', tag: 'v7.15.2' },
  sessionRedis: { registry: 'docker.io', repository: 'library/redis', tag: '7.4.2-alpine@sha256:02419de7eddf55aa5bcf49efb74e88fa8d931b4d77c07eff8a6b2144472b6952' },
  externalDns: { registry: 'registry.k8s.io', repository: 'external-dns/external-dns', tag: 'v0.22.0' },
  // NVIDIA's device plugin, on GPU pools only; the chart's default tag, `v<appVersion>` (0.20.0).
  nvidiaDevicePlugin: { registry: 'nvcr.io', repository: 'nvidia/k8s-device-plugin', tag: 'v0.20.0' },
} as const satisfies Record<string, MirroredImage>;
export type MirroredImageName = keyof typeof MIRRORED_IMAGES;

/** Where images come from: the registry's pull-through cache (`loginServer`), or upstream directly. */
export type ImageSource = { readonly kind: 'registry-cache'; readonly loginServer: string } | { readonly kind: 'upstream' };

/** The registry host (and path prefix) an upstream registry's images are pulled from. */
export function registryFor(upstream: UpstreamRegistry, source: ImageSource): string {
  return source.kind === 'upstream' ? upstream : `${source.loginServer}/${UPSTREAM_REGISTRIES[upstream].cachePrefix}`;
}

/** An image as charts split it: registry (with prefix), repository, tag. */
export function imageParts(name: MirroredImageName, source: ImageSource): { registry: string; repository: string; tag?: string } {
  const image: MirroredImage = MIRRORED_IMAGES[name];
  return { registry: registryFor(image.registry, source), repository: image.repository, tag: image.tag };
}

/** The full reference, `registry/repository:tag`. */
export function imageReference(name: MirroredImageName, source: ImageSource): string {
  const { registry, repository, tag } = imageParts(name, source);
  return `${registry}/${repository}${tag ? `:${tag}` : ''}`;
}

/** The cached repository's path inside our registry, e.g. `dockerhub/library/mysql`. */
export function cachedRepository(image: MirroredImage): string {
  return `${UPSTREAM_REGISTRIES[image.registry].cachePrefix}/${image.repository}`;
}
