/**
 * The checks `npm run check:chart` makes on one rendered release. Each takes the rendered objects
 * (and what the Terraform stack itself creates beside the release) and returns findings; none of
 * them reads the project's own constants, so each says what the chart really does with our values.
 */
import { allContainers, containerRef, podSpecsOf, ref, type ContainerAt, type K8sObject } from './manifests';
import { podSecurityFindings, type PodSecurityFinding } from './pod-security';

// ------------------------------------------------------------------------------------------ claims

/** `namespace/name` of every claim the rendered workloads will mount. */
export function mountedClaims(objects: readonly K8sObject[], namespace: string): Map<string, string> {
  const claims = new Map<string, string>();
  const add = (ns: string | undefined, name: string, by: string) => claims.set(`${ns ?? namespace}/${name}`, by);
  for (const o of objects) {
    const ns = o.metadata.namespace;
    for (const pod of podSpecsOf(o)) {
      for (const v of pod.spec.volumes ?? []) if (v.persistentVolumeClaim?.claimName) add(ns, v.persistentVolumeClaim.claimName, `${ref(o)} volume ${v.name}`);
    }
    if (o.kind === 'StatefulSet') {
      const replicas = o.spec?.replicas ?? 1;
      for (const t of o.spec?.volumeClaimTemplates ?? []) {
        for (let i = 0; i < replicas; i++) add(ns, `${t.metadata.name}-${o.metadata.name}-${i}`, `${ref(o)} volumeClaimTemplate ${t.metadata.name}`);
      }
    }
    if (o.kind === 'ClickHouseInstallation') {
      for (const name of clickHouseClaims(o)) add(ns, name, `${ref(o)} (operator-created claim)`);
    }
  }
  return claims;
}

/**
 * The Altinity operator names a ClickHouse pod `chi-<chi>-<cluster>-<shard>-<replica>-0` and its
 * claim `<volumeClaimTemplate>-<pod>`, for the volume templates of each cluster (or the
 * installation's defaults): `volumeClaimTemplate` (data and logs on one claim), or separate
 * `dataVolumeClaimTemplate` / `logVolumeClaimTemplate`.
 */
export function clickHouseClaims(chi: K8sObject): string[] {
  const names: string[] = [];
  const defaults = chi.spec?.defaults?.templates ?? {};
  for (const cluster of chi.spec?.configuration?.clusters ?? []) {
    const templates = { ...defaults, ...(cluster.templates ?? {}) };
    const vcts = [...new Set([templates.volumeClaimTemplate, templates.dataVolumeClaimTemplate, templates.logVolumeClaimTemplate].filter(Boolean) as string[])];
    const shards = Number(cluster.layout?.shardsCount ?? 1);
    const replicas = Number(cluster.layout?.replicasCount ?? 1);
    for (let s = 0; s < shards; s++) {
      for (let r = 0; r < replicas; r++) {
        for (const vct of vcts) names.push(`${vct}-chi-${chi.metadata.name}-${cluster.name}-${s}-${r}-0`);
      }
    }
  }
  return names;
}

export interface ClaimComparison {
  /** Mounted by a workload, but no pre-bound volume waits for it: the pod stays Pending. */
  readonly unbacked: string[];
  /** A pre-bound volume no workload mounts: its disk is not used. */
  readonly unused: string[];
}

export function compareClaims(mounted: ReadonlyMap<string, string>, preBound: readonly string[]): ClaimComparison {
  const bound = new Set(preBound);
  return {
    unbacked: [...mounted.keys()].filter((c) => !bound.has(c)).sort(),
    unused: [...bound].filter((c) => !mounted.has(c)).sort(),
  };
}

// ----------------------------------------------------------------------------------------- secrets

export interface SecretLeak {
  readonly object: string;
  readonly secret: string;
  readonly form: 'plain' | 'base64';
}

/**
 * Where any of `secrets` (placeholder values standing in for generated passwords) appears in an
 * object that is not a Secret: a ConfigMap, a custom resource spec, a container argument, an
 * annotation. Secrets hold them base64-encoded, so both forms are searched for outside Secrets.
 */
export function secretsOutsideSecrets(objects: readonly K8sObject[], secrets: readonly string[]): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const o of objects) {
    if (o.kind === 'Secret') continue;
    const text = JSON.stringify(o);
    for (const secret of secrets) {
      if (text.includes(secret)) leaks.push({ object: ref(o), secret, form: 'plain' });
      else if (text.includes(Buffer.from(secret).toString('base64'))) leaks.push({ object: ref(o), secret, form: 'base64' });
    }
  }
  return leaks;
}

/** Objects, Secrets included, that hold one of the chart's published default passwords (plain or base64). */
export function publishedDefaults(objects: readonly K8sObject[], defaults: readonly string[]): SecretLeak[] {
  const found: SecretLeak[] = [];
  for (const o of objects) {
    const text = JSON.stringify(o);
    for (const secret of defaults) {
      if (text.includes(secret)) found.push({ object: ref(o), secret, form: 'plain' });
      else if (text.includes(Buffer.from(secret).toString('base64'))) found.push({ object: ref(o), secret, form: 'base64' });
    }
  }
  return found;
}

/** A Secret that exists beside the release: rendered by it, or created by the Terraform stack. */
export interface KnownSecret {
  readonly name: string;
  readonly keys: readonly string[];
}

export function renderedSecrets(objects: readonly K8sObject[]): KnownSecret[] {
  return objects
    .filter((o) => o.kind === 'Secret')
    .map((o) => ({ name: o.metadata.name, keys: [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})] }));
}

/** Where a container's environment variable gets its value from, after Kubernetes' precedence. */
export type EnvSource =
  | { readonly from: 'value'; readonly value: string }
  | { readonly from: 'secret' | 'configMap'; readonly name: string; readonly key: string }
  | { readonly from: 'field' | 'resource' }
  | { readonly from: 'unset' };

/**
 * `env` wins over `envFrom`; among `envFrom` entries, a later one wins over an earlier one for the
 * same key. A ConfigMap's keys are known from the render; a Secret's from the render or the stack.
 */
export function envSource(c: ContainerAt, variable: string, objects: readonly K8sObject[], secrets: readonly KnownSecret[]): EnvSource {
  const explicit = (c.container.env ?? []).filter((e: any) => e.name === variable).pop();
  if (explicit) {
    if (explicit.valueFrom?.secretKeyRef) return { from: 'secret', name: explicit.valueFrom.secretKeyRef.name, key: explicit.valueFrom.secretKeyRef.key };
    if (explicit.valueFrom?.configMapKeyRef) return { from: 'configMap', name: explicit.valueFrom.configMapKeyRef.name, key: explicit.valueFrom.configMapKeyRef.key };
    if (explicit.valueFrom?.fieldRef) return { from: 'field' };
    if (explicit.valueFrom?.resourceFieldRef) return { from: 'resource' };
    return { from: 'value', value: String(explicit.value ?? '') };
  }
  let source: EnvSource = { from: 'unset' };
  for (const entry of c.container.envFrom ?? []) {
    const prefix = entry.prefix ?? '';
    if (!variable.startsWith(prefix)) continue;
    const key = variable.slice(prefix.length);
    if (entry.configMapRef) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === entry.configMapRef.name);
      if (cm && key in (cm.data ?? {})) source = { from: 'configMap', name: entry.configMapRef.name, key };
    } else if (entry.secretRef) {
      const secret = secrets.find((s) => s.name === entry.secretRef.name);
      if (secret?.keys.includes(key)) source = { from: 'secret', name: entry.secretRef.name, key };
    }
  }
  return source;
}

export const describeSource = (s: EnvSource) =>
  s.from === 'secret' || s.from === 'configMap' ? `${s.from === 'secret' ? 'Secret' : 'ConfigMap'} ${s.name} key ${s.key}` : s.from === 'value' ? 'a literal value in the pod spec' : s.from;

/** A credential that must reach a container from a Secret. */
export interface SecretEnvRequirement {
  /** `Kind/name` of the workload. */
  readonly workload: string;
  /** Container name; init containers included. */
  readonly container: string;
  readonly variables: readonly string[];
}

export interface SecretEnvFinding {
  readonly where: string;
  readonly variable: string;
  readonly source: string;
}

export function secretEnvFindings(
  objects: readonly K8sObject[],
  secrets: readonly KnownSecret[],
  requirements: readonly SecretEnvRequirement[],
): SecretEnvFinding[] {
  const findings: SecretEnvFinding[] = [];
  const containers = allContainers(objects);
  for (const req of requirements) {
    const c = containers.find((x) => ref(x.pod.owner) === req.workload && x.container.name === req.container);
    if (!c) {
      findings.push({ where: `${req.workload} ${req.container}`, variable: '*', source: 'no such container in the render' });
      continue;
    }
    for (const variable of req.variables) {
      const source = envSource(c, variable, objects, secrets);
      if (source.from !== 'secret') findings.push({ where: containerRef(c), variable, source: describeSource(source) });
    }
  }
  return findings;
}

// ------------------------------------------------------------------------------------------ images

export interface ImageFinding {
  readonly where: string;
  readonly image: string;
  readonly problem: string;
}

/** Splits `registry/path:tag@digest`; a reference without a registry host is Docker Hub's. */
export function parseImage(image: string): { registry: string; repository: string; tag?: string; digest?: string } {
  const [nameTag, digest] = image.split('@');
  const slash = nameTag.indexOf('/');
  const first = slash === -1 ? '' : nameTag.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? first : 'docker.io';
  const rest = hasRegistry ? nameTag.slice(slash + 1) : nameTag;
  const colon = rest.lastIndexOf(':');
  return { registry, repository: colon === -1 ? rest : rest.slice(0, colon), tag: colon === -1 ? undefined : rest.slice(colon + 1), digest };
}

/**
 * Every image must come from `registry` (when given) and be pinned: a tag that is not `latest`,
 * or a digest. Images without a digest are listed as `unpinned by digest` (information).
 */
export function imageFindings(objects: readonly K8sObject[], registry: string | undefined): { failures: ImageFinding[]; noDigest: ImageFinding[]; images: string[] } {
  const failures: ImageFinding[] = [];
  const noDigest: ImageFinding[] = [];
  const images = new Set<string>();
  for (const c of allContainers(objects)) {
    const image = String(c.container.image ?? '');
    const where = containerRef(c);
    images.add(image);
    if (!image) {
      failures.push({ where, image, problem: 'no image' });
      continue;
    }
    const parsed = parseImage(image);
    if (registry && parsed.registry !== registry) failures.push({ where, image, problem: `not from ${registry}` });
    if (!parsed.digest && (!parsed.tag || parsed.tag === 'latest')) failures.push({ where, image, problem: parsed.tag ? 'tag latest' : 'no tag' });
    if (!parsed.digest) noDigest.push({ where, image, problem: 'no digest' });
    // Images a workload starts itself are named in its arguments (cert-manager's ACME solver,
    // `--acme-http01-solver-image=...`) or its env (Opik's sandbox executor registry).
    for (const arg of [...(c.container.args ?? []), ...(c.container.command ?? [])]) {
      const started = /^--[a-z0-9-]*image=(.+)$/.exec(String(arg))?.[1];
      if (!started) continue;
      images.add(started);
      const p = parseImage(started);
      if (registry && p.registry !== registry) failures.push({ where, image: started, problem: `not from ${registry} (started by the workload)` });
      if (!p.digest && (!p.tag || p.tag === 'latest')) failures.push({ where, image: started, problem: p.tag ? 'tag latest' : 'no tag' });
    }
    // Images a workload starts itself (for example a sandbox executor) are named in its env.
    for (const e of c.container.env ?? []) {
      if (typeof e.value === 'string' && /IMAGE_REGISTRY$/.test(e.name) && registry && !e.value.startsWith(`${registry}/`) && e.value !== registry) {
        failures.push({ where, image: `${e.name}=${e.value}`, problem: `not from ${registry}` });
      }
    }
  }
  return { failures, noDigest, images: [...images].sort() };
}

// ----------------------------------------------------------------------------------- pod security

export function podSecurity(objects: readonly K8sObject[]): { baseline: PodSecurityFinding[]; restricted: PodSecurityFinding[] } {
  const all = objects.flatMap(podSpecsOf).flatMap(podSecurityFindings);
  return { baseline: all.filter((f) => f.level === 'baseline'), restricted: all.filter((f) => f.level === 'restricted') };
}
