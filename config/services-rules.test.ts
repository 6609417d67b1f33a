/** The `services:` list of an environment file: each bad value fails with file, path, rule and value. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { validateEnvironment } from './load';
import { configProblems } from '../__tests__/helpers';

const files = {
  prod: 'config/environments/prod.yaml',
  dev: 'config/environments/dev.yaml',
} as const;
const committed = (env: keyof typeof files) => parse(fs.readFileSync(path.join(__dirname, 'environments', `${env}.yaml`), 'utf8'));

/** A copy of a committed file with one change applied to it. */
function withChange(change: (doc: any) => void, env: keyof typeof files = 'prod'): any {
  const doc = committed(env);
  change(doc);
  return doc;
}

function problemsOf(doc: any, env: keyof typeof files = 'prod'): string[] {
  return configProblems(doc, files[env]);
}

function expectProblem(doc: any, pathText: string, rule: RegExp, value: string, env: keyof typeof files = 'prod'): void {
  const problems = problemsOf(doc, env);
  const match = problems.find((p) => p.startsWith(`${files[env]}: ${pathText}: `));
  expect({ problems, match: match !== undefined }).toEqual({ problems, match: true });
  expect(match).toMatch(rule);
  expect(match).toContain(`(got ${value})`);
}

const flask = (doc: any) => doc.services[0];
const fastapi = (doc: any) => doc.services[1];

test('the committed dev.yaml and prod.yaml services are valid', () => {
  expect(problemsOf(committed('prod'))).toEqual([]);
  expect(problemsOf(committed('dev'), 'dev')).toEqual([]);
});

test('absent services: valid, an empty list', () => {
  const doc = withChange((d) => delete d.services);
  expect(problemsOf(doc)).toEqual([]);
  expect(validateEnvironment(doc, files.prod).services).toEqual([]);
});

test('defaults: internal exposure, /health probes, Application Insights on, a CPU limit, UID 10001', () => {
  const doc = withChange((d) => {
    d.services = [{ name: 'api', image: 'api:1.0.0@sha256:' + 'a'.repeat(64), port: 8080, replicas: 2 }];
  });
  const [service] = validateEnvironment(doc, files.prod).services;
  expect(service).toEqual(
    expect.objectContaining({
      exposure: { type: 'internal' },
      applicationInsights: true,
      runAsUser: 10001,
      servicePort: 80,
      resources: { cpu: '100m', memory: '256Mi', cpuLimit: '500m' },
      probes: {
        liveness: { type: 'http', path: '/health', initialDelaySeconds: 10, periodSeconds: 10 },
        readiness: { type: 'http', path: '/health', initialDelaySeconds: 10, periodSeconds: 10 },
      },
      settings: {},
      secrets: {},
      networkPolicy: { ingressFrom: [], egressTo: [] },
    }),
  );
});

describe('field rules', () => {
  test('fails if the image has no digest', () => {
    expectProblem(withChange((d) => (flask(d).image = 'openml-flask:v1.0.0')), 'services.0.image', /pinned by digest/, '"openml-flask:v1.0.0"');
  });
  test('fails if the image names another registry', () => {
    const image = `docker.io/library/nginx:1.27@sha256:${'b'.repeat(64)}`;
    expectProblem(withChange((d) => (flask(d).image = image)), 'services.0.image', /registry host/, `"${image}"`);
  });
  test('fails if a name is not a DNS-1035 label', () => {
    expectProblem(withChange((d) => (flask(d).name = '1-api')), 'services.0.name', /starting with a letter/, '"1-api"');
  });
  test('fails if the CPU limit is missing', () => {
    expectProblem(withChange((d) => delete flask(d).resources.cpuLimit), 'services.0.resources.cpuLimit', /expected string/i, 'nothing');
  });
  test('fails if a key is misspelt, in resources too', () => {
    expectProblem(withChange((d) => (flask(d).resources.cpuLimits = '2')), 'services.0.resources.cpuLimits', /not a known field/, '"2"');
    expectProblem(withChange((d) => (flask(d).replica = 2)), 'services.0.replica', /not a known field/, '2');
  });
  test('fails if runAsUser is a UID a node user could have', () => {
    expectProblem(withChange((d) => (flask(d).runAsUser = 1000)), 'services.0.runAsUser', />=10001|10001/, '1000');
  });
  test('fails if an exposure type is unknown', () => {
    expectProblem(withChange((d) => (flask(d).exposure = { type: 'nodePort' })), 'services.0.exposure.type', /ingress|internal|loadBalancer/, '{"type":"nodePort"}');
  });
  test('fails if a secret name is not a Key Vault secret name', () => {
    expectProblem(withChange((d) => (flask(d).secrets.SMTP_PASS = 'smtp_pass')), 'services.0.secrets.SMTP_PASS', /Key Vault secret name/, '"smtp_pass"');
  });
  test('fails if an ingress peer names neither a namespace nor pod labels', () => {
    expectProblem(withChange((d) => (flask(d).networkPolicy.ingressFrom = [{}])), 'services.0.networkPolicy.ingressFrom.0', /namespace, podLabels or both/, '{}');
  });
});

describe('cross-field rules', () => {
  test('fails if two services share a name', () => {
    expectProblem(withChange((d) => (fastapi(d).name = 'openml-backend')), 'services.1.name', /must be unique \(services\.0\.name/, '"openml-backend"');
  });
  test('fails if two services share a namespace', () => {
    expectProblem(withChange((d) => (fastapi(d).namespace = 'openml-prod')), 'services.1.namespace', /services\.0 already uses/, '"openml-prod"');
  });
  test("fails if a service's namespace is Opik's", () => {
    expectProblem(withChange((d) => (flask(d).namespace = 'opik')), 'services.0.namespace', /Opik's \(application\.namespace\)/, '"opik"');
  });
  test('fails if a service name becomes a platform namespace', () => {
    expectProblem(withChange((d) => (fastapi(d).name = 'cert-manager')), 'services.1.name', /which the platform uses/, '"cert-manager"');
  });
  test('fails if replicas and autoscaling are both set', () => {
    expectProblem(withChange((d) => (flask(d).replicas = 3)), 'services.0.autoscaling', /not both/, '{"minReplicas":3,"maxReplicas":10,"cpuUtilization":70,"memoryUtilization":80}');
  });
  test('fails if neither replicas nor autoscaling is set', () => {
    expectProblem(withChange((d) => delete fastapi(d).replicas), 'services.1.replicas', /or autoscaling is required/, 'nothing');
  });
  test('fails if minReplicas exceeds maxReplicas', () => {
    expectProblem(withChange((d) => (flask(d).autoscaling.minReplicas = 11)), 'services.0.autoscaling.minReplicas', /<= autoscaling\.maxReplicas \(10\)/, '11');
  });
  test("fails if an ingress host is Opik's domain", () => {
    expectProblem(withChange((d) => (flask(d).exposure.host = 'opik.example.com')), 'services.0.exposure.host', /Opik's host \(opik\.example\.com\)/, '"opik.example.com"');
  });
  test("fails if an ingress host is Opik's Azure DNS name when no domain is set", () => {
    const host = 'opik-dev-weu.westeurope.cloudapp.azure.com';
    expectProblem(withChange((d) => (flask(d).exposure = { type: 'ingress', host }), 'dev'), 'services.0.exposure.host', /Opik's host/, `"${host}"`, 'dev');
  });
  test('fails if two ingresses claim the same host and path', () => {
    expectProblem(
      withChange((d) => (fastapi(d).exposure = { type: 'ingress', host: 'openml-api.example.com', path: '/' })),
      'services.1.exposure.path',
      /services\.0's route on the same host/,
      '"/"',
    );
  });
  test('fails if an ingress asks for TLS but the application installs no ClusterIssuer', () => {
    expectProblem(withChange((d) => (d.application.autoSsl = false)), 'services.0.exposure.tls', /application\.autoSsl: true/, 'true');
  });
  test('fails if a setting looks like a credential, without printing its value', () => {
    const doc = withChange((d) => (flask(d).settings.DB_PASSWORD = 'hunter2'));
    expectProblem(doc, 'services.0.settings.DB_PASSWORD', /Key Vault/, '"(not shown)"');
    expect(problemsOf(doc).join('\n')).not.toContain('hunter2');
  });
  test.each(['APP_SECRET_KEY', 'JWT_SECRET', 'SMTP_PASS', 'API_TOKEN', 'STORAGE_ACCOUNT_KEY', 'DB_CONNECTION_STRING'])('fails if a setting is named like a credential: %s', (key) => {
    expectProblem(withChange((d) => (flask(d).settings[key] = 'x')), `services.0.settings.${key}`, /looks like a credential/, '"(not shown)"');
  });
  test.each(['LOG_LEVEL', 'CACHE_KEY_PREFIX', 'PASSTHROUGH_MODE', 'BYPASS_CACHE'])('accepts a plain setting: %s', (key) => {
    expect(problemsOf(withChange((d) => (flask(d).settings[key] = 'x')))).toEqual([]);
  });
  test('fails if an egress CIDR does not start at its network address', () => {
    expectProblem(withChange((d) => (flask(d).networkPolicy.egressTo[0].cidr = '10.30.20.5/24')), 'services.0.networkPolicy.egressTo.0.cidr', /network address/, '"10.30.20.5/24"');
  });
});
