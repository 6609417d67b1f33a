/**
 * NVIDIA's device plugin (https://github.com/NVIDIA/k8s-device-plugin), a DaemonSet on the GPU
 * pools that advertises each node's GPUs to the kubelet as `nvidia.com/gpu`, so a pod can request
 * one. AKS installs the GPU driver itself (`gpu_driver = Install` on the pool); without this
 * plugin the GPUs are there but unschedulable.
 *
 * Its own namespace, labelled Pod Security `privileged`: the plugin mounts the kubelet's
 * device-plugin socket directory from the host (a hostPath, which `baseline` forbids), and nothing
 * else runs there. Its container keeps the chart's default security context (no privilege
 * escalation, every capability dropped), which MIG or a config map would widen; we set neither.
 * The chart also renders a privileged MPS control daemon; its fixed nodeSelector
 * `nvidia.com/mps.capable=true` is a label nothing here sets, so it runs on no node (seen in
 * `npm run check:chart` with the chart at v0.20.0).
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { imageParts, type ImageSource } from '../container-registry/mirrored-images';
import { AGENT_POOL_LABEL, tolerationFor } from '../kubernetes-cluster/gpu';
import { renderValues } from '../helm/values';

/** Chart pinned here (NVIDIA's Helm repository); its templates were read at tag v0.20.0. */
/** Where the device plugin runs unless told otherwise; Pod Security and Azure Policy exempt it (it needs a hostPath). */
export const NVIDIA_DEVICE_PLUGIN_NAMESPACE = 'nvidia-device-plugin';
export const NVIDIA_DEVICE_PLUGIN_CHART = { repository: 'https://nvidia.github.io/k8s-device-plugin', name: 'nvidia-device-plugin', version: '0.20.0' } as const;

export interface GpuPoolRef {
  /** AKS pool name: the plugin runs on nodes of these pools only. */
  readonly name: string;
  /** The pool's taints (`key=value:Effect`), every one tolerated by the plugin. */
  readonly taints: readonly string[];
}

export interface NvidiaDevicePluginProps {
  /** The GPU pools; at least one. */
  readonly pools: readonly GpuPoolRef[];
  /** Where the plugin's image is pulled from. */
  readonly imageSource: ImageSource;
  /** @default 'nvidia-device-plugin' */
  readonly namespace?: string;
}

/** Requests sized for a small Go daemon; the memory limit equals twice the request (not measured here). */
const RESOURCES = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } };

export class NvidiaDevicePlugin extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id);
    if (props.pools.length === 0) throw new Error('NvidiaDevicePlugin: pools must name at least one GPU pool');
    const namespaceName = props.namespace ?? NVIDIA_DEVICE_PLUGIN_NAMESPACE;

    const namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: namespaceName,
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'latest' },
      },
    });

    const tolerations = new Map<string, ReturnType<typeof tolerationFor>>();
    for (const taint of props.pools.flatMap((pool) => pool.taints).sort()) tolerations.set(taint, tolerationFor(taint));
    const { registry, repository, tag } = imageParts('nvidiaDevicePlugin', props.imageSource);

    this.release = new Release(this, 'Resource', {
      name: 'nvidia-device-plugin',
      repository: NVIDIA_DEVICE_PLUGIN_CHART.repository,
      chart: NVIDIA_DEVICE_PLUGIN_CHART.name,
      version: NVIDIA_DEVICE_PLUGIN_CHART.version,
      namespace: namespaceName,
      atomic: false,
      // A DaemonSet on a pool scaled to zero has nothing to wait for, so this returns at once then.
      wait: true,
      timeout: 300,
      values: [
        renderValues({
          // The chart has no registry key: the registry goes into the repository.
          image: { repository: `${registry}/${repository}`, tag },
          // Replaces the chart's default affinity, which waits for labels from Node Feature
          // Discovery (not installed): the pool label AKS sets is known before any node exists.
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: AGENT_POOL_LABEL, operator: 'In', values: props.pools.map((pool) => pool.name).sort() }] }],
              },
            },
          },
          tolerations: [...tolerations.values()],
          resources: RESOURCES,
        }),
      ],
      dependsOn: [namespace],
    });
  }
}
