/**
 * The monitoring stack's Prometheus rule groups, as synthesized, run through Prometheus's own
 * rule checker and rule unit-test engine (promtool, built by the toolchain). Azure evaluates these
 * groups with Prometheus semantics; promtool proves each expression parses, and that each alert
 * fires on the failure it names and stays quiet just short of it, with the thresholds the
 * environment files set.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { buildStacks, ENVIRONMENT_NAMES, loadCommittedConfig, resourcesOf, synthStack } from '../helpers';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '';

/** PT5M / PT1H / PT30S (what azurerm takes) -> 5m / 1h / 30s (what Prometheus takes). */
export function prometheusDuration(iso: string): string {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!match || iso === 'PT') throw new Error(`not an ISO 8601 time duration: ${iso}`);
  const [, h, m, s] = match;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

interface RuleGroupJson {
  name: string;
  interval?: string;
  rule: { alert?: string; record?: string; expression: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
}

/** One azurerm_monitor_alert_prometheus_rule_group as a Prometheus rule file group. */
function asPrometheusGroup(group: RuleGroupJson) {
  return {
    name: group.name,
    ...(group.interval ? { interval: prometheusDuration(group.interval) } : {}),
    rules: group.rule.map((r) =>
      r.alert
        ? { alert: r.alert, expr: r.expression, ...(r.for ? { for: prometheusDuration(r.for) } : {}), ...(r.labels ? { labels: r.labels } : {}), ...(r.annotations ? { annotations: r.annotations } : {}) }
        : { record: r.record, expr: r.expression, ...(r.labels ? { labels: r.labels } : {}) },
    ),
  };
}

function promtool(args: string[], cwd: string) {
  const result = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const ENVIRONMENTS = ENVIRONMENT_NAMES.map((environment) => {
  const config = loadCommittedConfig(environment);
  const monitoring = buildStacks(config).monitoring;
  const groups = monitoring ? (resourcesOf(synthStack(monitoring), 'azurerm_monitor_alert_prometheus_rule_group') as unknown as RuleGroupJson[]) : [];
  return { environment, config, groups };
}).filter((e) => e.groups.length > 0);

test('prometheusDuration converts what the stacks use, and refuses what it cannot', () => {
  expect(['PT1M', 'PT5M', 'PT15M', 'PT1H', 'PT1H30M', 'PT30S'].map(prometheusDuration)).toEqual(['1m', '5m', '15m', '1h', '1h30m', '30s']);
  expect(() => prometheusDuration('P1D')).toThrow(/not an ISO 8601 time duration/);
  expect(() => prometheusDuration('PT')).toThrow(/not an ISO 8601 time duration/);
});

test('at least one committed environment has Prometheus rule groups to check', () => {
  expect(ENVIRONMENTS.length).toBeGreaterThan(0);
});

describe.each(ENVIRONMENTS)('$environment', ({ config, groups }) => {
  let dir: string;
  beforeAll(() => {
    if (!PROMTOOL) throw new Error('PROMTOOL_BIN is not set: run `npm run toolchain` (tools/toolchain/install.sh builds promtool)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-rules-'));
    fs.writeFileSync(path.join(dir, 'rules.yaml'), stringify({ groups: groups.map(asPrometheusGroup) }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every rule group parses and passes promtool check rules', () => {
    const result = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code).toBe(0);
  });

  const alerts = groups.flatMap((g) => g.rule.filter((r) => r.alert));
  const has = (name: string) => alerts.some((r) => r.alert === name);
  const t = config.monitoring.alerts.thresholds;
  const ns = config.application.namespace;
  const ksm = { job: 'kube-state-metrics' };
  const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

  /**
   * Each case: input series (one sample a minute), the minute to evaluate at, and the alert that
   * must then be firing with these labels ([] = must not be firing).
   */
  const cases: { name: string; alert: string; series: { series: string; values: string }[]; at: string; firing: Record<string, string>[] }[] = [
    {
      name: `a node NotReady for longer than ${t.nodeNotReadyMinutes} minutes fires NodeNotReady`,
      alert: 'NodeNotReady',
      series: [{ series: `kube_node_status_condition${labels({ ...ksm, condition: 'Ready', status: 'true', node: 'aks-user-1' })}`, values: `1 0x${t.nodeNotReadyMinutes + 5}` }],
      at: `${t.nodeNotReadyMinutes + 3}m`,
      firing: [{ ...ksm, condition: 'Ready', status: 'true', node: 'aks-user-1' }],
    },
    {
      name: 'a node NotReady for a minute does not',
      alert: 'NodeNotReady',
      series: [{ series: `kube_node_status_condition${labels({ ...ksm, condition: 'Ready', status: 'true', node: 'aks-user-1' })}`, values: '1 1 0 1x10' }],
      at: '10m',
      firing: [],
    },
    {
      name: `a container restarting ${t.podRestarts} times in a few minutes fires PodRestartLoop`,
      alert: 'PodRestartLoop',
      series: [{ series: `kube_pod_container_status_restarts_total${labels({ ...ksm, namespace: ns, pod: 'opik-backend-1', container: 'backend' })}`, values: `0 0+1x${t.podRestarts} ${t.podRestarts}x20` }],
      at: '15m',
      firing: [{ ...ksm, namespace: ns, pod: 'opik-backend-1', container: 'backend' }],
    },
    {
      name: 'a container that restarted once does not',
      alert: 'PodRestartLoop',
      series: [{ series: `kube_pod_container_status_restarts_total${labels({ ...ksm, namespace: ns, pod: 'opik-backend-1', container: 'backend' })}`, values: '0 1x25' }],
      at: '20m',
      firing: [],
    },
    {
      name: `a volume ${t.volumeUsedPercent + 1}% full for 20 minutes fires PersistentVolumeFilling`,
      alert: 'PersistentVolumeFilling',
      series: [
        { series: `kubelet_volume_stats_used_bytes${labels({ namespace: ns, persistentvolumeclaim: 'data-opik-mysql-0' })}`, values: `${t.volumeUsedPercent + 1}x25` },
        { series: `kubelet_volume_stats_capacity_bytes${labels({ namespace: ns, persistentvolumeclaim: 'data-opik-mysql-0' })}`, values: '100x25' },
      ],
      at: '20m',
      firing: [{ namespace: ns, persistentvolumeclaim: 'data-opik-mysql-0' }],
    },
    {
      name: `a volume ${t.volumeUsedPercent - 1}% full does not`,
      alert: 'PersistentVolumeFilling',
      series: [
        { series: `kubelet_volume_stats_used_bytes${labels({ namespace: ns, persistentvolumeclaim: 'data-opik-mysql-0' })}`, values: `${t.volumeUsedPercent - 1}x25` },
        { series: `kubelet_volume_stats_capacity_bytes${labels({ namespace: ns, persistentvolumeclaim: 'data-opik-mysql-0' })}`, values: '100x25' },
      ],
      at: '20m',
      firing: [],
    },
    {
      name: "Opik's MySQL pod Pending for 10 minutes fires OpikDatabasePodFailed",
      alert: 'OpikDatabasePodFailed',
      series: [{ series: `kube_pod_status_phase${labels({ ...ksm, namespace: ns, pod: 'opik-mysql-0', phase: 'Pending' })}`, values: '1x12' }],
      at: '10m',
      firing: [{ namespace: ns, pod: 'opik-mysql-0' }],
    },
    {
      name: "Opik's ClickHouse container in CrashLoopBackOff fires OpikDatabasePodFailed",
      alert: 'OpikDatabasePodFailed',
      series: [{ series: `kube_pod_container_status_waiting_reason${labels({ ...ksm, namespace: ns, pod: 'chi-opik-clickhouse-cluster-0-0-0', container: 'clickhouse', reason: 'CrashLoopBackOff' })}`, values: '1x12' }],
      at: '10m',
      firing: [{ namespace: ns, pod: 'chi-opik-clickhouse-cluster-0-0-0' }],
    },
    {
      name: 'a Pending pod of the backend (not a database) does not',
      alert: 'OpikDatabasePodFailed',
      series: [{ series: `kube_pod_status_phase${labels({ ...ksm, namespace: ns, pod: 'opik-backend-7d9f-abcde', phase: 'Pending' })}`, values: '1x12' }],
      at: '10m',
      firing: [],
    },
    {
      name: 'the ZooKeeper StatefulSet with no ready replica fires OpikDatabaseNotReady',
      alert: 'OpikDatabaseNotReady',
      series: [
        { series: `kube_statefulset_status_replicas${labels({ ...ksm, namespace: ns, statefulset: 'opik-zookeeper' })}`, values: '1x12' },
        { series: `kube_statefulset_status_replicas_ready${labels({ ...ksm, namespace: ns, statefulset: 'opik-zookeeper' })}`, values: '0x12' },
      ],
      at: '10m',
      firing: [{ ...ksm, namespace: ns, statefulset: 'opik-zookeeper' }],
    },
    {
      name: 'the MinIO Deployment with no ready replica fires OpikDatabaseNotReady',
      alert: 'OpikDatabaseNotReady',
      series: [
        { series: `kube_deployment_spec_replicas${labels({ ...ksm, namespace: ns, deployment: 'opik-minio' })}`, values: '1x12' },
        { series: `kube_deployment_status_replicas_ready${labels({ ...ksm, namespace: ns, deployment: 'opik-minio' })}`, values: '0x12' },
      ],
      at: '10m',
      firing: [{ ...ksm, namespace: ns, deployment: 'opik-minio' }],
    },
    {
      name: `a certificate expiring in ${t.certificateExpiryDays - 1} days fires CertificateExpiringSoon`,
      alert: 'CertificateExpiringSoon',
      series: [{ series: `certmanager_certificate_expiration_timestamp_seconds${labels({ namespace: ns, name: 'opik-tls' })}`, values: `${(t.certificateExpiryDays - 1) * 86400}x90` }],
      at: '70m',
      firing: [{ namespace: ns, name: 'opik-tls' }],
    },
    {
      name: `a certificate expiring in ${t.certificateExpiryDays + 1} days does not`,
      alert: 'CertificateExpiringSoon',
      series: [{ series: `certmanager_certificate_expiration_timestamp_seconds${labels({ namespace: ns, name: 'opik-tls' })}`, values: `${(t.certificateExpiryDays + 1) * 86400}x90` }],
      at: '70m',
      firing: [],
    },
  ];

  /** The rule's annotations with `{{ $labels.x }}` filled in: Prometheus must expand them the same way. */
  const expanded = (alert: string, l: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(alerts.find((r) => r.alert === alert)!.annotations ?? {}).map(([k, v]) => [k, v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, name: string) => l[name] ?? '')]),
    );

  const applicable = cases.filter((c) => has(c.alert));
  test('the cases cover every alert rule the stack synthesizes', () => {
    expect([...new Set(applicable.map((c) => c.alert))].sort()).toEqual(alerts.map((r) => r.alert!).sort());
  });

  test.each(applicable.map((c) => [c.name, c] as const))('%s (promtool test rules)', (_name, c) => {
    const file = `test-${c.alert}-${applicable.indexOf(c)}.yaml`;
    fs.writeFileSync(
      path.join(dir, file),
      stringify({
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: c.series,
            alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: c.firing.map((l) => ({ exp_labels: l, exp_annotations: expanded(c.alert, l) })) }],
          },
        ],
      }),
    );
    const result = promtool(['test', 'rules', file], dir);
    if (result.code !== 0) throw new Error(`promtool test rules ${file} failed:\n${result.output}`);
    expect(result.output).toMatch(/SUCCESS/);
  });
});
