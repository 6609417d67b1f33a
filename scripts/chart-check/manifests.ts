/**
 * What a chart check needs from rendered Kubernetes objects: the pod specs inside every kind of
 * workload (including the ClickHouse operator's ClickHouseInstallation, whose pods the operator
 * creates later), and each container with where it sits.
 */
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string>; readonly labels?: Record<string, string> };
  readonly [key: string]: any;
}

/** `Kind/name`, how findings name an object. */
export const ref = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

/** Parses `helm template` output; empty documents (a template that rendered nothing) are dropped. */
export function parseManifests(rendered: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(rendered)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value && typeof value === 'object' && typeof value.kind === 'string') {
      if (value.kind.endsWith('List') && Array.isArray(value.items)) objects.push(...value.items);
      else objects.push(value);
    }
  }
  return objects;
}

export interface PodSpecAt {
  readonly owner: K8sObject;
  /** Where in the owner the pod spec sits, for messages: `spec.template.spec`. */
  readonly path: string;
  readonly spec: Record<string, any>;
}

/** Every pod spec an object carries (none for non-workloads). */
export function podSpecsOf(o: K8sObject): PodSpecAt[] {
  const at = (path: string, spec: any): PodSpecAt[] => (spec && typeof spec === 'object' ? [{ owner: o, path, spec }] : []);
  switch (o.kind) {
    case 'Pod':
      return at('spec', o.spec);
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return at('spec.template.spec', o.spec?.template?.spec);
    case 'CronJob':
      return at('spec.jobTemplate.spec.template.spec', o.spec?.jobTemplate?.spec?.template?.spec);
    case 'ClickHouseInstallation':
    case 'ClickHouseKeeperInstallation':
      return (o.spec?.templates?.podTemplates ?? []).flatMap((t: any, i: number) => at(`spec.templates.podTemplates[${i}].spec`, t.spec));
    default:
      return [];
  }
}

export interface ContainerAt {
  readonly pod: PodSpecAt;
  readonly kind: 'container' | 'initContainer' | 'ephemeralContainer';
  readonly container: Record<string, any>;
}

export const containerRef = (c: ContainerAt) => `${ref(c.pod.owner)} ${c.kind === 'container' ? 'container' : c.kind} ${c.container.name}`;

export function containersOf(pod: PodSpecAt): ContainerAt[] {
  const list = (key: string, kind: ContainerAt['kind']) => ((pod.spec[key] ?? []) as Record<string, any>[]).map((container) => ({ pod, kind, container }));
  return [...list('initContainers', 'initContainer'), ...list('containers', 'container'), ...list('ephemeralContainers', 'ephemeralContainer')];
}

export function allContainers(objects: readonly K8sObject[]): ContainerAt[] {
  return objects.flatMap(podSpecsOf).flatMap(containersOf);
}
