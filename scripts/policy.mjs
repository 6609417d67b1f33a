#!/usr/bin/env node
// npm run policy: Checkov's Azure and Kubernetes policies over every synthesized stack of every
// environment (and the bootstrap stack). Prints passed / failed / skipped per stack and every
// failure; exits 1 on any failure. Checkov runs every check; a finding whose check is listed (with
// its reason) in policy/checkov.yaml counts as skipped, so the table shows what each skip hides.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT, synthLocal, toolchainEnv } from './synth-local.mjs';

const env = toolchainEnv();
const config = parse(fs.readFileSync(path.join(ROOT, 'policy', 'checkov.yaml'), 'utf8'));
const skipped = new Set(config['skip-check']);
const { out, stacks } = synthLocal();
const counts = Object.fromEntries(Object.keys(stacks).map((name) => [name, { passed: 0, failed: 0, skipped: 0 }]));
const failures = [];

for (const app of ['main', 'bootstrap']) {
  const result = spawnSync(
    env.CHECKOV_BIN,
    ['-d', path.join(out, app, 'stacks'), '--framework', ...config.framework, '--skip-download', '--output', 'json', '--compact'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BC_SKIP_MAPPING: 'TRUE', CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false' } },
  );
  if (result.status !== 0 && result.status !== 1) {
    console.error(result.stderr);
    throw new Error(`checkov exited with ${result.status}`);
  }
  const reports = [JSON.parse(result.stdout)].flat();
  for (const report of reports) {
    for (const [outcome, key] of [['passed', 'passed_checks'], ['failed', 'failed_checks']]) {
      for (const check of report.results?.[key] ?? []) {
        const stack = check.file_path.split('/').filter(Boolean)[0];
        const kind = outcome === 'failed' && skipped.has(check.check_id) ? 'skipped' : outcome;
        counts[stack][kind] += 1;
        if (kind === 'failed') failures.push(`${stack}: ${check.check_id} ${check.resource}: ${check.check_name}`);
      }
    }
  }
}
fs.rmSync(out, { recursive: true, force: true });

console.log('| stack | passed | failed | skipped |');
console.log('|---|---:|---:|---:|');
const total = { passed: 0, failed: 0, skipped: 0 };
for (const [name, c] of Object.entries(counts)) {
  console.log(`| ${name} | ${c.passed} | ${c.failed} | ${c.skipped} |`);
  for (const k of Object.keys(total)) total[k] += c[k];
}
console.log(`| all ${Object.keys(counts).length} stacks | ${total.passed} | ${total.failed} | ${total.skipped} |`);
for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`policy: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
