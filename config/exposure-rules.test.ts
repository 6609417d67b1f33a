/**
 * Issue 17's settings: what a production environment may not leave open (the API server, the
 * state, Key Vault and the registry, a team service on a public IP, the audit trail), and the bad
 * values of the new fields. Each bad value fails naming the file, the field, the rule and the value.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { validateEnvironment } from './load';
import { configProblems } from '../__tests__/helpers';
import { podSecurityBaselineEffect, privateEndpointsEnabled } from './schema';

const files = { prod: 'config/environments/prod.yaml', dev: 'config/environments/dev.yaml', staging: 'config/environments/staging.yaml' } as const;
type Env = keyof typeof files;
const committed = (env: Env) => parse(fs.readFileSync(path.join(__dirname, 'environments', `${env}.yaml`), 'utf8'));

function problemsOf(doc: any, env: Env): string[] {
  return configProblems(doc, files[env]);
}

/** The committed file of `env` with one change, expected to fail on `field` with `rule` and `value`. */
function expectProblem(env: Env, change: (doc: any) => void, field: string, rule: RegExp, value: string): void {
  const doc = committed(env);
  change(doc);
  const problems = problemsOf(doc, env);
  const match = problems.find((p) => p.startsWith(`${files[env]}: ${field}: `));
  expect({ problems, match: match !== undefined }).toEqual({ problems, match: true });
  expect(match).toMatch(rule);
  // A prefix: a long value (a resource ID) is named by its start.
  expect(match).toContain(`(got ${value}`);
}

test('the committed files pass', () => {
  for (const env of Object.keys(files) as Env[]) expect(problemsOf(committed(env), env)).toEqual([]);
});

describe('the Kubernetes API server', () => {
  test('production refuses an empty authorized range list', () => {
    expectProblem('prod', (d) => (d.cluster.apiServerAuthorizedIpRanges = []), 'cluster.apiServerAuthorizedIpRanges', /open to the internet/, '"[]")');
  });
  test('a development environment may leave it empty', () => {
    const doc = committed('dev');
    doc.cluster.apiServerAuthorizedIpRanges = [];
    expect(problemsOf(doc, 'dev')).toEqual([]);
  });
  test('no environment may authorize 0.0.0.0/0', () => {
    expectProblem('dev', (d) => (d.cluster.apiServerAuthorizedIpRanges = ['0.0.0.0/0']), 'cluster.apiServerAuthorizedIpRanges.0', /must not be a \/0/, '"0.0.0.0/0"');
  });
});

describe('the audit trail', () => {
  test('production refuses diagnostics off', () => {
    expectProblem('prod', (d) => (d.monitoring.diagnostics.enabled = false), 'monitoring.diagnostics.enabled', /audit trail/, 'false');
  });
});

describe('the state account', () => {
  test('production refuses public network access', () => {
    expectProblem('prod', (d) => (d.state.networkAccess = { type: 'public' }), 'state.networkAccess.type', /must be allow-list or private-endpoint/, '"public"');
  });
  test('an allow-list refuses a /0', () => {
    expectProblem('dev', (d) => (d.state.networkAccess.ipRanges = ['0.0.0.0/0']), 'state.networkAccess.ipRanges.0', /must not be a \/0/, '"0.0.0.0/0"');
  });
  test('an allow-list needs a range', () => {
    expectProblem('dev', (d) => (d.state.networkAccess.ipRanges = []), 'state.networkAccess.ipRanges', /at least one range/, '[]');
  });
  test('a private endpoint needs a subnet resource ID', () => {
    expectProblem('prod', (d) => (d.state.networkAccess.subnetId = 'snet-runners'), 'state.networkAccess.subnetId', /must be a resource ID/, '"snet-runners"');
  });
  test('and the blob privatelink zone, not another zone', () => {
    expectProblem(
      'prod',
      (d) => (d.state.networkAccess.privateDnsZoneId = d.state.networkAccess.privateDnsZoneId.replace('privatelink.blob.core.windows.net', 'privatelink.vaultcore.azure.net')),
      'state.networkAccess.privateDnsZoneId',
      /privatelink\.blob\.core\.windows\.net/,
      '"/subscriptions/',
    );
  });
  test('an unknown type names the ones there are', () => {
    expectProblem('dev', (d) => (d.state.networkAccess = { type: 'vpn' }), 'state.networkAccess.type', /'public' \| 'allow-list' \| 'private-endpoint'/, '{"type":"vpn"})');
  });
});

describe('private endpoints for Key Vault and the registry', () => {
  test('on by default in production, off in development, as the files say otherwise', () => {
    const resolve = (env: Env) => {
      const doc = committed(env);
      return privateEndpointsEnabled(validateEnvironment(doc, files[env]));
    };
    expect(resolve('prod')).toBe(true);
    expect(resolve('dev')).toBe(false);
    expect(resolve('staging')).toBe(false);
  });
  test('production without a subnet fails, and says the default turned them on', () => {
    expectProblem('prod', (d) => delete d.privateEndpoints.subnetCidr, 'privateEndpoints.subnetCidr', /purpose: production/, '"absent"');
  });
  test('the subnet lies inside the VNet and clear of the other subnets', () => {
    expectProblem('prod', (d) => (d.privateEndpoints.subnetCidr = '10.31.0.0/24'), 'privateEndpoints.subnetCidr', /inside network\.vnetCidr/, '"10.31.0.0/24"');
    expectProblem('prod', (d) => (d.privateEndpoints.subnetCidr = '10.30.16.0/26'), 'privateEndpoints.subnetCidr', /must not overlap network\.appGatewaySubnetCidr/, '"10.30.16.0/26"');
    expectProblem('prod', (d) => (d.privateEndpoints.subnetCidr = '10.30.17.0/29'), 'privateEndpoints.subnetCidr', /\/28 or larger/, '"10.30.17.0/29"');
  });
  test('they need a Premium registry', () => {
    expectProblem('prod', (d) => (d.registry.sku = 'Standard'), 'registry.sku', /must be Premium with private endpoints/, '"Standard"');
  });
  test("Key Vault's IP allow-list is refused beside them: it could admit nobody", () => {
    expectProblem('prod', (d) => (d.keyVault = { allowedIpRanges: ['198.51.100.7/32'] }), 'keyVault.allowedIpRanges', /public network access is off/, '"[\\"198.51.100.7/32\\"]"');
  });
  test('linked VNets are VNet resource IDs', () => {
    expectProblem('prod', (d) => (d.privateEndpoints.linkedVnetIds = ['vnet-runners']), 'privateEndpoints.linkedVnetIds.0', /virtualNetworks/, '"vnet-runners"');
  });
});

describe('team services on a public IP', () => {
  test('a public LoadBalancer must say it has no TLS and no WAF', () => {
    expectProblem('dev', (d) => delete d.services[1].exposure.publicWithoutTlsOrWaf, 'services.1.exposure.publicWithoutTlsOrWaf', /without TLS or WAF/, 'nothing)');
  });
  test('production refuses one even when it says so', () => {
    expectProblem('prod', (d) => (d.services[1].exposure = { type: 'loadBalancer', publicWithoutTlsOrWaf: true }), 'services.1.exposure.type', /unless the file says purpose: development/, '"loadBalancer"');
  });
});

describe('guardrails', () => {
  test('the pod security baseline policy: deny in production, audit in development, unless the file says', () => {
    expect(podSecurityBaselineEffect(validateEnvironment(committed('prod'), files.prod))).toBe('deny');
    expect(podSecurityBaselineEffect(validateEnvironment(committed('dev'), files.dev))).toBe('audit');
    const doc = committed('prod');
    doc.cluster.podSecurityBaselinePolicy = 'audit';
    expect(podSecurityBaselineEffect(validateEnvironment(doc, files.prod))).toBe('audit');
    expectProblem('prod', (d) => (d.cluster.podSecurityBaselinePolicy = 'warn'), 'cluster.podSecurityBaselinePolicy', /audit|deny/, '"warn"');
  });
  test('Defender for Containers is a boolean, off unless set', () => {
    expect(validateEnvironment(committed('prod'), files.prod).cluster.defender).toBe(false);
    expectProblem('prod', (d) => (d.cluster.defender = 'yes'), 'cluster.defender', /boolean/, '"yes"');
  });
  test("Opik's network policy: the LLM providers' egress is a boolean", () => {
    expectProblem('prod', (d) => (d.application.networkPolicy = { llmProviderEgress: 'no' }), 'application.networkPolicy.llmProviderEgress', /boolean/, '"no"');
    expectProblem('prod', (d) => (d.application.networkPolicy = { allowAll: true }), 'application.networkPolicy.allowAll', /not a known field/, 'true)');
  });
});
