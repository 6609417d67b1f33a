/**
 * The alert rules on the cluster's Prometheus metrics. Every metric here is in the add-on's
 * default ("minimal ingestion") lists for kube-state-metrics and the kubelet
 * (learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-default), except
 * cert-manager's, which are scraped from its annotated pod (constructs/managed-prometheus/scrape-settings.ts).
 */

export interface ClusterAlertThresholds {
  readonly nodeNotReadyMinutes: number;
  readonly podRestarts: number;
  readonly volumeUsedPercent: number;
  readonly certificateExpiryDays: number;
}

export interface DatabaseWorkload {
  readonly kind: 'statefulset' | 'deployment';
  readonly name: string;
}

export interface ClusterAlertInput {
  readonly thresholds: ClusterAlertThresholds;
  /** Namespace of Opik's databases. */
  readonly opikNamespace: string;
  readonly databaseWorkloads: readonly DatabaseWorkload[];
  /** Whether cert-manager issues certificates here, so its expiry metrics exist. */
  readonly certificates: boolean;
}

export interface AlertRule {
  readonly alert: string;
  readonly expression: string;
  /** ISO 8601 duration the condition must hold. */
  readonly for: string;
  /** 0 (critical) to 4 (verbose). */
  readonly severity: number;
  readonly summary: string;
}

const anyOf = (names: readonly string[]) => `^(${[...names].sort().join('|')})$`;

export function clusterAlertRules(input: ClusterAlertInput): AlertRule[] {
  const t = input.thresholds;
  const ns = input.opikNamespace;
  const all = input.databaseWorkloads.map((w) => w.name);
  const statefulSets = input.databaseWorkloads.filter((w) => w.kind === 'statefulset').map((w) => w.name);
  const deployments = input.databaseWorkloads.filter((w) => w.kind === 'deployment').map((w) => w.name);
  const databasePods = `namespace="${ns}", pod=~"^(${[...all].sort().join('|')})-.+"`;
  const notReady = [
    ...(statefulSets.length > 0
      ? [`(kube_statefulset_status_replicas{namespace="${ns}", statefulset=~"${anyOf(statefulSets)}"} - kube_statefulset_status_replicas_ready{namespace="${ns}", statefulset=~"${anyOf(statefulSets)}"}) > 0`]
      : []),
    ...(deployments.length > 0
      ? [`(kube_deployment_spec_replicas{namespace="${ns}", deployment=~"${anyOf(deployments)}"} - kube_deployment_status_replicas_ready{namespace="${ns}", deployment=~"${anyOf(deployments)}"}) > 0`]
      : []),
  ];

  const rules: AlertRule[] = [
    {
      alert: 'NodeNotReady',
      expression: 'kube_node_status_condition{job="kube-state-metrics", condition="Ready", status="true"} == 0',
      for: `PT${t.nodeNotReadyMinutes}M`,
      severity: 1,
      summary: `Node {{ $labels.node }} has not been Ready for ${t.nodeNotReadyMinutes} minutes`,
    },
    {
      alert: 'PodRestartLoop',
      expression: `increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[30m]) >= ${t.podRestarts}`,
      for: 'PT5M',
      severity: 2,
      summary: `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} restarted ${t.podRestarts} or more times in 30 minutes`,
    },
    {
      alert: 'PersistentVolumeFilling',
      expression: `100 * kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > ${t.volumeUsedPercent}`,
      for: 'PT15M',
      severity: 2,
      summary: `Volume of claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is over ${t.volumeUsedPercent}% full`,
    },
    {
      alert: 'OpikDatabasePodFailed',
      expression: `sum by (namespace, pod) (kube_pod_status_phase{${databasePods}, phase=~"Pending|Failed|Unknown"}) > 0 or max by (namespace, pod) (kube_pod_container_status_waiting_reason{${databasePods}}) > 0`,
      for: 'PT5M',
      severity: 1,
      summary: 'Opik database pod {{ $labels.namespace }}/{{ $labels.pod }} is not running (pending, failed, or its container waiting)',
    },
    {
      alert: 'OpikDatabaseNotReady',
      expression: notReady.join(' or '),
      for: 'PT5M',
      severity: 1,
      summary: 'An Opik database workload in {{ $labels.namespace }} has fewer ready replicas than it wants',
    },
  ];
  if (input.certificates) {
    rules.push({
      alert: 'CertificateExpiringSoon',
      expression: `certmanager_certificate_expiration_timestamp_seconds - time() < ${t.certificateExpiryDays} * 86400`,
      for: 'PT1H',
      severity: 2,
      summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than ${t.certificateExpiryDays} days: cert-manager has not renewed it`,
    });
  }
  return rules;
}
