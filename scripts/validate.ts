/**
 * npm run validate: `terraform init -backend=false` (from the offline mirror) and `terraform
 * validate` for every stack of every environment and the bootstrap stack, with real provider
 * binaries: their schemas and their own validators (names, enums, CIDRs, conflicting arguments).
 * One row per stack: its result, the provider versions it was checked with (and any schema drift
 * between those and the pinned ones), and the first error. Exits 1 if any stack fails.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describeAdaptations, describeDrift, loadToolchain, synthAllLocal, validateStackDir } from './offline-terraform';

const ROOT = path.join(__dirname, '..');

function main(): number {
  const tool = loadToolchain(ROOT);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-validate-'));
  const pluginCache = path.join(work, 'plugin-cache');
  fs.mkdirSync(pluginCache);
  const rows: string[] = [];
  let failed = 0;
  for (const [name, dir] of Object.entries(synthAllLocal(ROOT, path.join(work, 'synth')))) {
    const result = validateStackDir(dir, tool, pluginCache);
    const versions = [describeAdaptations(result.adaptations) || 'exact versions'];
    if (result.drift.length > 0) versions.push(`schema drift: ${describeDrift(result.drift)}`);
    if (!result.valid) failed++;
    rows.push(`| ${name} | ${result.valid ? 'valid' : `INVALID (${result.errorCount} errors)`} | ${versions.join('; ')} | ${result.firstError.replace(/\|/g, '/')} |`);
    console.error(`${name}: ${result.valid ? 'valid' : 'INVALID'}`);
  }
  fs.rmSync(work, { recursive: true, force: true });

  console.log('| stack | result | provider versions used | first error |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`validate: ${rows.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

process.exit(main());
