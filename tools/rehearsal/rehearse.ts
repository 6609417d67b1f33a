/**
 * npm run rehearse [-- <env>] [--keep] [--serve]
 *
 * Deploys one environment (dev by default) from nothing with the real cdktf CLI, Terraform and
 * providers against stand-ins on 127.0.0.1, with its optional stacks (the team's services,
 * monitoring) when it has them, then walks the paths a platform team walks: re-plan,
 * inspect state, upgrade Opik, try to lose data, adopt a script-era disk, recover from an
 * interrupted deploy, check every claim's disk, grow a disk. Prints one table and exits non-zero
 * if any scenario failed. `--keep` leaves the work directory (logs, state, stand-in request log).
 * `--serve` deploys the environment (scenario 1), then keeps the stand-ins running and writes the
 * environment a shell needs to use them (`npm run plan`, cdktf, terraform), until Ctrl-C.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatReport, type ScenarioResult } from './report';
import { startRehearsal } from './rehearsal';
import { SCENARIOS, seedScriptDisk } from './scenarios';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep') || args.includes('--serve');
  const serve = args.includes('--serve');
  const environment = args.find((a) => !a.startsWith('--')) ?? 'dev';
  const started = Date.now();
  const r = await startRehearsal(environment);
  const setUp = (Date.now() - started) / 1000;
  const results: ScenarioResult[] = [];
  try {
    seedScriptDisk(r);
    if (serve) return await serveUntilStopped(r);
    for (const s of SCENARIOS) {
      const t = Date.now();
      process.stderr.write(`[rehearse] scenario ${s.id}: ${s.name}\n`);
      let passed = true;
      let detail: string;
      try {
        detail = await s.run(r);
      } catch (e) {
        passed = false;
        detail = (e as Error).message;
        process.stderr.write(`[rehearse] scenario ${s.id} FAILED: ${detail}\n`);
      }
      results.push({ id: s.id, name: s.name, stacks: s.stacks(r), passed, seconds: (Date.now() - t) / 1000, detail });
      process.stderr.write(`[rehearse] scenario ${s.id}: ${passed ? 'passed' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
    }
    console.log(formatReport(r, results, setUp));
  } finally {
    await r.stop();
    if (keep) process.stderr.write(`[rehearse] kept ${r.work}\n`);
    else fs.rmSync(r.work, { recursive: true, force: true });
  }
  return results.every((x) => x.passed) ? 0 : 1;
}

/** Deploys, then keeps the stand-ins up for hand-run commands. */
async function serveUntilStopped(r: Awaited<ReturnType<typeof startRehearsal>>): Promise<number> {
  const deploy = await SCENARIOS[0].run(r);
  const file = path.join(r.work, 'rehearsal.env');
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(file, Object.entries(r.commandEnv).map(([k, v]) => `export ${k}=${quote(v)}`).join('\n') + '\n');
  console.log(`${deploy}\n\nThe stand-ins are running. In another shell:\n  source ${file}\n  npm run plan -- ${r.environment}\nCtrl-C stops them.`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`rehearse: ${(e as Error).message}`);
    process.exit(2);
  },
);
