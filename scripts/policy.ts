/**
 * npm run policy: Checkov's Azure and Kubernetes policies over every synthesized stack of every
 * environment (and the bootstrap stack). Prints passed / failed / skipped per stack and every
 * failure; exits 1 on any failure. Checkov runs every check; a finding whose check is listed (with
 * its reason) in policy/checkov.yaml counts as skipped, so the table shows what each skip hides.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { loadToolchain, synthAllLocal } from './offline-terraform';
import { loadEnvironments } from '../config/load';
import { privateEndpointsEnabled, type PlatformConfig } from '../config/schema';
import { stateBackendFor } from '../stacks/environment';

const ROOT = path.join(__dirname, '..');

interface CheckResult {
  readonly check_id: string;
  readonly check_name: string;
  readonly resource: string;
  readonly file_path: string;
}

/**
 * The conditions `accepted-where` may name: each holds for a stack when its environment file turned
 * that protection off on purpose. Everywhere else a finding of the check is a failure.
 */
export const ACCEPTANCE_CONDITIONS = {
  /** Key Vault and the registry keep public access (behind their firewalls): privateEndpoints off. */
  'private-endpoints-off': (stack: string, configs: readonly PlatformConfig[]) => {
    const config = configs.find((c) => stack.endsWith(`-${c.environment}`) && !stack.startsWith('state-storage-'));
    return config !== undefined && !privateEndpointsEnabled(config);
  },
  /** The state account is reached from an allow-list, not a private endpoint (state.networkAccess). */
  'state-not-private': (stack: string, configs: readonly PlatformConfig[]) =>
    configs.some((c) => stack === `state-storage-${stateBackendFor(c, 'azurerm').props.azure.storageAccountName}` && c.state.networkAccess.type !== 'private-endpoint'),
} as const;
export type AcceptanceCondition = keyof typeof ACCEPTANCE_CONDITIONS;

/** Whether a finding of `check` in `stack` is skipped: always (skip-check) or where its condition holds. */
export function isAccepted(check: string, stack: string, policy: { 'skip-check': readonly string[]; 'accepted-where'?: Record<string, AcceptanceCondition> }, configs: readonly PlatformConfig[]): boolean {
  if (policy['skip-check'].includes(check)) return true;
  const condition = policy['accepted-where']?.[check];
  if (!condition) return false;
  if (!(condition in ACCEPTANCE_CONDITIONS)) throw new Error(`policy/checkov.yaml: accepted-where.${check}: unknown condition ${condition} (one of ${Object.keys(ACCEPTANCE_CONDITIONS).join(', ')})`);
  return ACCEPTANCE_CONDITIONS[condition](stack, configs);
}

function main(): number {
  const tool = loadToolchain(ROOT);
  const config = parse(fs.readFileSync(path.join(ROOT, 'policy', 'checkov.yaml'), 'utf8'));
  const configs = loadEnvironments(path.join(ROOT, 'config', 'environments')).map((e) => e.config);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-policy-'));
  const stacks = synthAllLocal(ROOT, work);
  const counts = Object.fromEntries(Object.keys(stacks).map((name) => [name, { passed: 0, failed: 0, skipped: 0 }]));
  const failures: string[] = [];

  for (const app of ['main', 'bootstrap']) {
    const result = spawnSync(
      tool.CHECKOV_BIN,
      ['-d', path.join(work, app, 'stacks'), '--framework', ...config.framework, '--skip-download', '--output', 'json', '--compact'],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    // Checkov exits 1 when a check fails; anything else is Checkov itself failing.
    if (result.status !== 0 && result.status !== 1) throw new Error(`checkov exited with ${result.status}:\n${result.stderr}`);
    for (const report of [JSON.parse(result.stdout)].flat()) {
      for (const [outcome, key] of [['passed', 'passed_checks'], ['failed', 'failed_checks']] as const) {
        for (const check of (report.results?.[key] ?? []) as CheckResult[]) {
          const stack = check.file_path.split('/').filter(Boolean)[0];
          const kind = outcome === 'failed' && isAccepted(check.check_id, stack, config, configs) ? 'skipped' : outcome;
          counts[stack][kind] += 1;
          if (kind === 'failed') failures.push(`${stack}: ${check.check_id} ${check.resource}: ${check.check_name}`);
        }
      }
    }
  }
  fs.rmSync(work, { recursive: true, force: true });

  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log('| stack | passed | failed | skipped |');
  console.log('|---|---:|---:|---:|');
  for (const [name, c] of Object.entries(counts)) {
    console.log(`| ${name} | ${c.passed} | ${c.failed} | ${c.skipped} |`);
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  console.log(`| all ${Object.keys(counts).length} stacks | ${total.passed} | ${total.failed} | ${total.skipped} |`);
  for (const failure of failures) console.log(`FAILED ${failure}`);
  console.log(`policy: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main());
