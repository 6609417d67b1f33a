/** GPU pools: the pool prod.yaml declares, and NVIDIA's device plugin that makes its GPUs schedulable. */
import { parse as parseYaml } from 'yaml';
import { MIRRORED_IMAGES, UPSTREAM_REGISTRIES } from '../constructs/container-registry/mirrored-images';
import { tolerationFor } from '../constructs/kubernetes-cluster/gpu';
import { buildStacks, cloneConfig, loadCommittedConfig, resourcesOf, synthStack, type StackJson } from './helpers';

type Config = ReturnType<typeof loadCommittedConfig>;

function synth(environment: string, change?: (config: Config) => void) {
  const config = cloneConfig(loadCommittedConfig(environment));
  change?.(config);
  const stacks = buildStacks(config);
  return { cluster: synthStack(stacks.cluster), application: synthStack(stacks.application) };
}

const poolNamed = (json: StackJson, name: string) => resourcesOf(json, 'azurerm_kubernetes_cluster_node_pool').find((p) => p.name === name);
const devicePlugin = (json: StackJson) => resourcesOf(json, 'helm_release').find((r) => r.chart === 'nvidia-device-plugin');
const valuesOf = (release: Record<string, any>) => parseYaml(release.values[0]);

describe('prod', () => {
  const prod = synth('prod');
  const pool = poolNamed(prod.cluster, 'gpu')!;
  const release = devicePlugin(prod.application)!;
  const values = valuesOf(release);

  test('the GPU pool is a T4 pool that scales from zero under the autoscaler', () => {
    expect(pool).toMatchObject({ vm_size: 'Standard_NC4as_T4_v3', min_count: 0, max_count: 2, auto_scaling_enabled: true, mode: 'User' });
    expect(pool.lifecycle.ignore_changes).toEqual(['node_count']);
  });

  test('the GPU pool is tainted sku=gpu:NoSchedule and nothing else', () => {
    expect(pool.node_taints).toEqual(['sku=gpu:NoSchedule']);
  });

  test('the GPU pool has AKS install the NVIDIA driver', () => {
    expect(pool.gpu_driver).toBe('Install');
  });

  test('the GPU pool gets no labels it did not ask for', () => {
    expect(pool.node_labels).toBeUndefined();
  });

  test('a pool that is not a GPU pool gets no GPU driver setting', () => {
    expect(poolNamed(prod.cluster, 'etl')!.gpu_driver).toBeUndefined();
    expect(resourcesOf(prod.cluster, 'azurerm_kubernetes_cluster')[0].default_node_pool.gpu_driver).toBeUndefined();
  });

  test('the device plugin chart is pinned to 0.20.0 from NVIDIA\'s repository', () => {
    expect({ repository: release.repository, chart: release.chart, version: release.version }).toEqual({
      repository: 'https://nvidia.github.io/k8s-device-plugin',
      chart: 'nvidia-device-plugin',
      version: '0.20.0',
    });
  });

  test('the device plugin tolerates exactly the GPU pool\'s taint', () => {
    expect(values.tolerations).toEqual([{ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
  });

  test('the device plugin runs only on the GPU pool\'s nodes, by the pool label AKS sets', () => {
    expect(values.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.azure.com/agentpool', operator: 'In', values: ['gpu'] }] }],
        },
      },
    });
  });

  test('the device plugin image comes through the registry cache, pinned', () => {
    expect(values.image).toEqual({
      repository: '${data.terraform_remote_state.remote-state-cluster-and-registry.outputs.acr_login_server}/nvcr/nvidia/k8s-device-plugin',
      tag: 'v0.20.0',
    });
  });

  test('the device plugin has requests and a memory limit', () => {
    expect(values.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
  });

  test('the device plugin has a namespace of its own, Pod Security privileged for its hostPath, installed after it', () => {
    const namespaces = resourcesOf(prod.application, 'kubernetes_namespace_v1').filter((n) => n.metadata.name === 'nvidia-device-plugin');
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(release.namespace).toBe('nvidia-device-plugin');
    expect(release.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.nvidia-device-plugin_namespace_/)]);
  });

  test('the registry caches the device plugin image from nvcr.io, without a credential set', () => {
    const rules = resourcesOf(prod.cluster, 'azurerm_container_registry_cache_rule').filter((r) => r.source_repo === 'nvcr.io/nvidia/k8s-device-plugin');
    expect(rules).toEqual([expect.objectContaining({ target_repo: 'nvcr/nvidia/k8s-device-plugin' })]);
    expect(rules[0].credential_set_id).toBeUndefined();
  });
});

test.each(['dev', 'staging'])('%s has no GPU pool and no device plugin', (environment) => {
  const { cluster, application } = synth(environment);
  expect(resourcesOf(cluster, 'azurerm_kubernetes_cluster_node_pool').filter((p) => p.gpu_driver !== undefined)).toEqual([]);
  expect(devicePlugin(application)).toBeUndefined();
  expect(resourcesOf(application, 'kubernetes_namespace_v1').map((n) => n.metadata.name)).not.toContain('nvidia-device-plugin');
});

test('prod without its GPU pool has no device plugin', () => {
  const { application } = synth('prod', (config) => {
    config.cluster.extraNodePools = config.cluster.extraNodePools.filter((pool) => !pool.gpu);
  });
  expect(devicePlugin(application)).toBeUndefined();
});

test('with two GPU pools the plugin runs on both and tolerates every taint of each', () => {
  const { application } = synth('prod', (config) => {
    const gpu = config.cluster.extraNodePools.find((pool) => pool.gpu)!;
    config.cluster.extraNodePools.push({ ...gpu, name: 'a100', vmSize: 'Standard_NC24ads_A100_v4', osDiskSizeGb: 64, taints: ['sku=gpu:NoSchedule', 'team=ml:NoSchedule'] });
  });
  const values = valuesOf(devicePlugin(application)!);
  expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['a100', 'gpu']);
  expect(values.tolerations).toEqual([
    { key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    { key: 'team', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
  ]);
});

test('with imageSource upstream the plugin pulls from nvcr.io itself', () => {
  const { application } = synth('prod', (config) => (config.application.imageSource = 'upstream'));
  expect(valuesOf(devicePlugin(application)!).image.repository).toBe('nvcr.io/nvidia/k8s-device-plugin');
});

test('the plugin image tag is the chart\'s default, v<appVersion>, so the pin and the chart agree', () => {
  expect(MIRRORED_IMAGES.nvidiaDevicePlugin.tag).toBe('v0.20.0');
  expect(UPSTREAM_REGISTRIES['nvcr.io']).toEqual({ cachePrefix: 'nvcr', needsCredentials: false });
});

describe('tolerationFor', () => {
  test('a key=value taint is tolerated with Equal', () => {
    expect(tolerationFor('sku=gpu:NoSchedule')).toEqual({ key: 'sku', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' });
  });
  test('a taint without a value is tolerated with Exists', () => {
    expect(tolerationFor('nvidia.com/gpu:NoSchedule')).toEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  });
  test('fails if the text is not a taint', () => {
    expect(() => tolerationFor('gpu')).toThrow(/not a taint/);
  });
});
