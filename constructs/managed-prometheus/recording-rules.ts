/**
 * Recording rules for the node and Kubernetes dashboards Azure Managed Grafana ships
 * ("Kubernetes / Compute Resources / ...", "Node Exporter / ..."): those dashboards query these
 * record names, so the names follow Azure's recommended node and Kubernetes rule groups
 * (learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-default). The
 * expressions are written here against the metrics the add-on collects by default (jobs `node`,
 * `cadvisor`, `kube-state-metrics`), a subset of Azure's groups: the per-pod CPU and memory and
 * the per-namespace requests and limits the dashboards need.
 */

export interface RecordingRule {
  readonly record: string;
  readonly expression: string;
}

const POD_NODE = 'topk by (cluster, namespace, pod) (1, max by (cluster, namespace, pod, node) (kube_pod_info{node!=""}))';
const ACTIVE_POD = 'max by (cluster, namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"} == 1)';

const resourceTotals = (kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): RecordingRule => ({
  record: `namespace_${resource}:kube_pod_container_resource_${kind}:sum`,
  expression: `sum by (cluster, namespace) (max by (cluster, namespace, pod, container) (kube_pod_container_resource_${kind}{job="kube-state-metrics", resource="${resource}"}) * on (cluster, namespace, pod) group_left() ${ACTIVE_POD})`,
});

const containerMemory = (metric: string): RecordingRule => ({
  record: `node_namespace_pod_container:${metric}`,
  expression: `${metric}{job="cadvisor", image!=""} * on (cluster, namespace, pod) group_left(node) ${POD_NODE}`,
});

export const NODE_RECORDING_RULES: readonly RecordingRule[] = [
  { record: 'instance:node_num_cpu:sum', expression: 'count without (cpu, mode) (node_cpu_seconds_total{job="node", mode="idle"})' },
  {
    record: 'instance:node_cpu_utilisation:rate5m',
    expression: '1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{job="node", mode=~"idle|iowait|steal"}[5m])))',
  },
  { record: 'instance:node_load1_per_cpu:ratio', expression: 'node_load1{job="node"} / instance:node_num_cpu:sum{job="node"}' },
  {
    record: 'instance:node_memory_utilisation:ratio',
    expression: '1 - node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"}',
  },
  { record: 'instance:node_vmstat_pgmajfault:rate5m', expression: 'rate(node_vmstat_pgmajfault{job="node"}[5m])' },
  { record: 'instance_device:node_disk_io_time_seconds:rate5m', expression: 'rate(node_disk_io_time_seconds_total{job="node", device!=""}[5m])' },
  {
    record: 'instance_device:node_disk_io_time_weighted_seconds:rate5m',
    expression: 'rate(node_disk_io_time_weighted_seconds_total{job="node", device!=""}[5m])',
  },
  {
    record: 'instance:node_network_receive_bytes_excluding_lo:rate5m',
    expression: 'sum without (device) (rate(node_network_receive_bytes_total{job="node", device!="lo"}[5m]))',
  },
  {
    record: 'instance:node_network_transmit_bytes_excluding_lo:rate5m',
    expression: 'sum without (device) (rate(node_network_transmit_bytes_total{job="node", device!="lo"}[5m]))',
  },
];

export const KUBERNETES_RECORDING_RULES: readonly RecordingRule[] = [
  {
    record: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate',
    expression: `sum by (cluster, namespace, pod, container) (irate(container_cpu_usage_seconds_total{job="cadvisor", image!=""}[5m])) * on (cluster, namespace, pod) group_left(node) ${POD_NODE}`,
  },
  containerMemory('container_memory_working_set_bytes'),
  containerMemory('container_memory_rss'),
  containerMemory('container_memory_cache'),
  containerMemory('container_memory_swap'),
  resourceTotals('requests', 'cpu'),
  resourceTotals('limits', 'cpu'),
  resourceTotals('requests', 'memory'),
  resourceTotals('limits', 'memory'),
];
