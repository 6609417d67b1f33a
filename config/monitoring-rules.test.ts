/** The rules of `monitoring:`: each part's switch, and what a part needs from the others. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ConfigError, validateEnvironment } from './load';
import { monitoringParts } from './monitoring-parts';

const FILE = 'config/environments/prod.yaml';
const prod = parse(fs.readFileSync(path.join(__dirname, 'environments', 'prod.yaml'), 'utf8'));

/** prod.yaml with its `monitoring:` block replaced. */
function withMonitoring(monitoring: unknown): any {
  return { ...JSON.parse(JSON.stringify(prod)), monitoring };
}

function problemsOf(doc: any): string[] {
  try {
    validateEnvironment(doc, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const GROUP = '6f1c2a4e-0000-4000-8000-000000000020';

describe('defaults', () => {
  test('without a monitoring block: Prometheus and diagnostics on, Grafana and alerts off', () => {
    const doc = withMonitoring(undefined);
    delete doc.monitoring;
    expect(monitoringParts(validateEnvironment(doc, FILE).monitoring)).toEqual({
      prometheus: true,
      grafana: false,
      alerts: false,
      clusterAlerts: false,
      gatewayAlerts: false,
      diagnostics: true,
    });
  });
  test('the alert thresholds default to 5 min NotReady, 3 restarts, 80% full, 21 days, 10 5xx', () => {
    const config = validateEnvironment(withMonitoring({ alerts: { email: 'a@example.com' } }), FILE);
    expect(config.monitoring.alerts.thresholds).toEqual({ nodeNotReadyMinutes: 5, podRestarts: 3, volumeUsedPercent: 80, certificateExpiryDays: 21, gateway5xxCount: 10 });
  });
  test('Grafana turns on when a group is given, alerts when an e-mail is', () => {
    const config = validateEnvironment(withMonitoring({ grafana: { adminGroupObjectIds: [GROUP] }, alerts: { email: 'a@example.com' } }), FILE);
    expect(monitoringParts(config.monitoring)).toMatchObject({ grafana: true, alerts: true, clusterAlerts: true, gatewayAlerts: true });
  });
  test('an explicit enabled: false wins over groups and e-mail', () => {
    const config = validateEnvironment(
      withMonitoring({ grafana: { enabled: false, adminGroupObjectIds: [GROUP] }, alerts: { enabled: false, email: 'a@example.com' } }),
      FILE,
    );
    expect(monitoringParts(config.monitoring)).toMatchObject({ grafana: false, alerts: false });
  });
});

describe('rules', () => {
  test('fails if Grafana is on without Prometheus', () => {
    expect(problemsOf(withMonitoring({ prometheus: { enabled: false }, grafana: { adminGroupObjectIds: [GROUP] } }))).toContain(
      `${FILE}: monitoring.grafana.enabled: needs monitoring.prometheus.enabled: true: Grafana is wired to the Prometheus workspace; turn Grafana off or Prometheus on (got true)`,
    );
  });
  test('fails if Grafana is switched on with no admin group', () => {
    expect(problemsOf(withMonitoring({ grafana: { enabled: true, viewerGroupObjectIds: [GROUP] } }))).toContain(
      `${FILE}: monitoring.grafana.adminGroupObjectIds: needs at least one group when Grafana is on: without a Grafana Admin nobody can manage its dashboards (got [])`,
    );
  });
  test('fails if alerts are switched on with no e-mail', () => {
    expect(problemsOf(withMonitoring({ alerts: { enabled: true } }))).toContain(
      `${FILE}: monitoring.alerts.email: is required when monitoring.alerts.enabled is true: the action group needs an address to e-mail (got nothing)`,
    );
  });
  test('fails if cluster alerts are on without Prometheus', () => {
    expect(problemsOf(withMonitoring({ prometheus: { enabled: false }, alerts: { email: 'a@example.com' } }))).toContain(
      `${FILE}: monitoring.alerts.cluster: needs monitoring.prometheus.enabled: true: these rules query the Prometheus workspace; set monitoring.alerts.cluster: false or turn Prometheus on (got true)`,
    );
  });
  test('accepts gateway alerts alone without Prometheus', () => {
    expect(problemsOf(withMonitoring({ prometheus: { enabled: false }, alerts: { email: 'a@example.com', cluster: false } }))).toEqual([]);
  });
  test('fails if alerts are on with neither cluster nor gateway rules', () => {
    const problems = problemsOf(withMonitoring({ alerts: { email: 'a@example.com', cluster: false, gateway: false } }));
    expect(problems.some((p) => p.startsWith(`${FILE}: monitoring.alerts: has neither cluster nor gateway alerts`))).toBe(true);
  });
  test('fails if the Grafana name would be longer than Azure allows, only when Grafana is on', () => {
    const long = { ...withMonitoring({ grafana: { adminGroupObjectIds: [GROUP] } }), workload: 'opikplat', instance: 'abcdef' };
    expect(problemsOf(long)).toContain(
      `${FILE}: instance: gives the Grafana name "amg-opikplat-prod-weu-abcdef", which breaks Azure's rule: 2-23 letters, digits and hyphens, starting with a letter and ending with a letter or digit (got "abcdef")`,
    );
    const off = { ...withMonitoring({}), workload: 'opikplat', instance: 'abcdef' };
    expect(problemsOf(off).filter((p) => p.includes('Grafana'))).toEqual([]);
  });
  test('fails if the alert e-mail is not an address', () => {
    expect(problemsOf(withMonitoring({ alerts: { email: 'platform team' } }))).toContain(`${FILE}: monitoring.alerts.email: must be an e-mail address (got "platform team")`);
  });
  test('fails if the volume threshold is outside 50-99', () => {
    const problems = problemsOf(withMonitoring({ alerts: { email: 'a@example.com', thresholds: { volumeUsedPercent: 100 } } }));
    expect(problems.some((p) => p.startsWith(`${FILE}: monitoring.alerts.thresholds.volumeUsedPercent: `) && p.endsWith('(got 100)'))).toBe(true);
  });
  test('fails if a monitoring key is misspelt', () => {
    const problems = problemsOf(withMonitoring({ grafana: { adminGroups: [GROUP] } }));
    expect(problems.some((p) => p.startsWith(`${FILE}: monitoring.grafana.adminGroups: is not a known field`))).toBe(true);
  });
});
