/**
 * Which pods may reach which, as np-guard's netpol-analyzer computes it from manifests, offline:
 * the NetworkPolicies a stack synthesizes (turned back into the Kubernetes objects the kubernetes
 * provider would create) plus pods, in one folder, then `netpolicy list -o json`.
 * Verification tooling, not product: __tests__/validate/opik-connectivity.test.ts and check:chart use it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ipaddr from 'ipaddr.js';
import { stringify } from 'yaml';

export interface PodManifest {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One allowed connection as the analyzer prints it: `ns/name[Kind]` or an address range `a-b`. */
export interface Connection {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Terraform JSON of a NetworkPolicy spec (snake_case, one-element blocks as objects) -> Kubernetes. */
function toKubernetes(value: unknown, key = ''): unknown {
  // Label keys and values are data, not field names.
  if (key === 'match_labels') return value;
  if (key === 'port' && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map((v) => toKubernetes(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), toKubernetes(v, k)]));
  }
  return value;
}

/**
 * The `kubernetes_network_policy_v1` resources of a synthesized stack as NetworkPolicy objects.
 * `namespace` stands in for the namespace reference (`${kubernetes_namespace_v1...}`).
 */
export interface NetworkPolicyObject extends Record<string, unknown> {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: unknown;
}

export function networkPoliciesOf(stackJson: Record<string, any>, namespace: string): NetworkPolicyObject[] {
  return Object.values<Record<string, any>>(stackJson.resource?.kubernetes_network_policy_v1 ?? {}).map((resource) => {
    const metadata = Array.isArray(resource.metadata) ? resource.metadata[0] : resource.metadata;
    const spec = Array.isArray(resource.spec) ? resource.spec[0] : resource.spec;
    const ns = String(metadata.namespace).startsWith('${') ? namespace : metadata.namespace;
    return { apiVersion: 'networking.k8s.io/v1' as const, kind: 'NetworkPolicy' as const, metadata: { name: String(metadata.name), namespace: String(ns) }, spec: toKubernetes(spec) };
  });
}

export function podObject(pod: PodManifest): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, labels: { ...pod.labels } },
    spec: { containers: [{ name: 'main', image: 'stand-in' }] },
    status: { phase: 'Running', podIP: '10.244.0.1', hostIP: '10.0.0.1' },
  };
}

export function namespaceObject(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
}

/** Runs `netpolicy list` over the objects and returns its connections (exit status non-zero: throws with its output). */
export function analyze(analyzerBin: string, objects: readonly Record<string, unknown>[]): Connection[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-'));
  try {
    fs.writeFileSync(path.join(dir, 'resources.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    // Not --fail: v1.4.4 logs "Error getting resourceInfos from dir path: <nil>" on every folder
    // and, with --fail, then reports no connection at all and exits 0.
    const run = spawnSync(analyzerBin, ['list', '--dirpath', dir, '-o', 'json', '-q'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`netpol-analyzer exited ${run.status}: ${(run.stderr || run.stdout).trim()}`);
    const text = run.stdout.trim();
    return text === '' ? [] : (JSON.parse(text) as Connection[]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `a.b.c.d-e.f.g.h` (the analyzer's form of an address range) as [first, last] numbers. */
export function rangeOf(text: string): [number, number] | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (!m) return undefined;
  const n = (ip: string) => ipaddr.IPv4.parse(ip).toByteArray().reduce((acc, b) => acc * 256 + b, 0);
  return [n(m[1]), n(m[2])];
}

export function cidrRange(cidr: string): [number, number] {
  const [address, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const first = address.toByteArray().reduce((acc, b) => acc * 256 + b, 0) & (bits === 0 ? 0 : ~0 << (32 - bits));
  const start = first >>> 0;
  return [start, start + 2 ** (32 - bits) - 1];
}

export const contains = (range: [number, number], ip: string): boolean => {
  const n = ipaddr.IPv4.parse(ip).toByteArray().reduce((acc, b) => acc * 256 + b, 0);
  return range[0] <= n && n <= range[1];
};

export const overlaps = (a: [number, number], b: [number, number]): boolean => a[0] <= b[1] && b[0] <= a[1];
