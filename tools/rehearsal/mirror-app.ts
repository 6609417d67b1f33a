/**
 * The cdktf app the rehearsal runs (`cdktf deploy --app "npx tsx tools/rehearsal/mirror-app.ts"`):
 * the project's own app (scripts/app.mjs main.ts, with whatever STATE_BACKEND and
 * PLATFORM_CONFIG the rehearsal set), then each synthesized stack adapted to the providers the
 * toolchain mirror holds, exactly as `npm run validate` adapts them: newer provider versions, schema
 * drift taken out (found by `terraform validate`, not by a list of our own), and the Entra ID
 * (azuread) resources left out, since no azuread provider can be built here. What was adapted is
 * written to $REHEARSAL_WORK/adaptations.json for the rehearsal's report.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { describeAdaptations, describeDrift, loadToolchain, validateStackDir } from '../../scripts/offline-terraform';

const ROOT = path.join(__dirname, '..', '..');

function main(): number {
  const outdir = process.env.CDKTF_OUTDIR;
  const work = process.env.REHEARSAL_WORK;
  if (!outdir || !work) {
    console.error('mirror-app: run by `npm run rehearse` through cdktf (CDKTF_OUTDIR and REHEARSAL_WORK unset)');
    return 2;
  }
  const app = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'app.mjs'), 'main.ts'], { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (app.status !== 0) return app.status ?? 1;

  const tool = loadToolchain(ROOT);
  const cache = path.join(work, 'mirror-adapted');
  const pluginCache = path.join(work, 'plugin-cache');
  fs.mkdirSync(cache, { recursive: true });
  fs.mkdirSync(pluginCache, { recursive: true });
  const reportFile = path.join(work, 'adaptations.json');
  const report: Record<string, string> = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : {};

  for (const stack of fs.readdirSync(path.join(outdir, 'stacks')).sort()) {
    const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
    const original = fs.readFileSync(file, 'utf8');
    // Adapting runs init and validate; the same input always adapts the same way, so reuse it.
    const key = createHash('sha256').update(original).digest('hex').slice(0, 24);
    const cached = path.join(cache, `${stack}-${key}.json`);
    if (!fs.existsSync(cached)) {
      const scratch = fs.mkdtempSync(path.join(work, `adapt-${stack}-`));
      fs.writeFileSync(path.join(scratch, 'cdk.tf.json'), original);
      const result = validateStackDir(scratch, tool, pluginCache);
      if (!result.valid) {
        console.error(`mirror-app: ${stack} is not valid for the mirror's providers: ${result.firstError}`);
        return 1;
      }
      fs.copyFileSync(path.join(scratch, 'cdk.tf.json'), cached);
      fs.writeFileSync(`${cached}.report`, [describeAdaptations(result.adaptations), result.drift.length ? `schema drift taken out: ${describeDrift(result.drift)}` : ''].filter(Boolean).join('; '));
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    fs.copyFileSync(cached, file);
    report[stack] = fs.readFileSync(`${cached}.report`, 'utf8');
  }
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
  return 0;
}

process.exit(main());
