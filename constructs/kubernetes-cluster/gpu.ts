/**
 * What makes a node pool a GPU pool, shared by the environment rules, the pool itself and the
 * NVIDIA device plugin that must run on it.
 */

/**
 * The taint every GPU pool carries, AKS's documented one
 * (https://learn.microsoft.com/azure/aks/gpu-cluster: `--node-taints sku=gpu:NoSchedule`): only
 * pods that tolerate it, and so have asked for a GPU node, land on one.
 */
export const GPU_TAINT = 'sku=gpu:NoSchedule';

/** Node label AKS sets on every node with its pool's name (and the autoscaler's templates carry). */
export const AGENT_POOL_LABEL = 'kubernetes.azure.com/agentpool';

/** Every N-series size has a GPU (Azure's GPU-optimized family). */
export function isGpuVmSize(vmSize: string): boolean {
  return /^Standard_N/.test(vmSize);
}

/**
 * N-series sizes with NVIDIA GPUs: NC, ND and NV, without the AMD ones (NVv4 `Standard_NV*as_v4`,
 * NVads V710 v5, ND MI300X v5) and the AMD NG family, which NVIDIA's device plugin cannot serve.
 */
export function isNvidiaGpuVmSize(vmSize: string): boolean {
  return /^Standard_N[CDV]/.test(vmSize) && !/^Standard_NV\d+as_v4$|_V710_|MI300X/i.test(vmSize);
}

export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: string;
}

/** The toleration that matches a taint written as `key=value:Effect` or `key:Effect`. */
export function tolerationFor(taint: string): Toleration {
  const match = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(taint);
  if (!match) throw new Error(`"${taint}" is not a taint (key=value:Effect)`);
  const [, key, value, effect] = match;
  return value === undefined ? { key, operator: 'Exists', effect } : { key, operator: 'Equal', value, effect };
}
