#!/usr/bin/env node
// npm run bench: how long and how much memory synthesizing every environment takes, per runner,
// side by side with the floor (an empty cdktf app). Median of BENCH_RUNS runs (default 5);
// peak memory is the largest max-RSS of any process in the run (tsx starts a child node).
// Measures only; asserts nothing. Numbers depend on the machine: compare rows, not runs.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`BENCH_RUNS must be a whole number of runs, 1 or more (got "${process.env.BENCH_RUNS}")`);
  process.exit(1);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-bench-'));

// Every node process of a run appends its max RSS (KiB) here on exit.
const rssFile = path.join(work, 'rss');
const preload = path.join(work, 'rss-preload.cjs');
fs.writeFileSync(
  preload,
  `process.on('exit', () => require('fs').appendFileSync(${JSON.stringify(rssFile)}, process.resourceUsage().maxRSS + '\\n'));\n`,
);

const floorApp = path.join(work, 'empty-app.js');
fs.writeFileSync(floorApp, `const { App } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdktf'))});\nnew App().synth();\n`);

const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
// Inside the project so that the compiled files resolve node_modules; dist/ is git-ignored.
const dist = path.join(ROOT, 'dist', 'bench');
console.error(`compiling to ${dist} for the precompiled runner...`);
const compileStart = process.hrtime.bigint();
execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT, '--outDir', dist, '--noEmit', 'false'], { stdio: 'inherit' });
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;

// tsc does not copy the issuers chart; the app finds it from the working directory (ROOT) anyway.
const runners = [
  { name: 'floor: empty cdktf app (node)', argv: [floorApp] },
  { name: 'scripts/app.mjs, bundle and code cache reused (cdktf.json; nothing changed)', argv: [path.join(ROOT, 'scripts', 'app.mjs'), 'main.ts'] },
  {
    name: 'scripts/app.mjs, bundle rebuilt (first synth after an edit)',
    argv: [path.join(ROOT, 'scripts', 'app.mjs'), 'main.ts'],
    before: () => fs.rmSync(path.join(ROOT, 'dist', 'app', 'main.js.inputs.json'), { force: true }),
  },
  { name: 'tsx main.ts', argv: [tsx, 'main.ts'] },
  { name: 'node on tsc output (tsc build not counted)', argv: [path.join(dist, 'main.js')] },
];

function runOnce({ argv, before }) {
  before?.();
  const outdir = fs.mkdtempSync(path.join(work, 'out-'));
  fs.rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', NODE_OPTIONS: `--require ${preload}` },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${result.stderr}`);
  const rssKiB = Math.max(...fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ms, mb: rssKiB / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const rows = [];
for (const runner of runners) {
  runOnce(runner); // warm the file cache; not counted
  const samples = Array.from({ length: RUNS }, () => runOnce(runner));
  rows.push({
    runner: runner.name,
    medianMs: median(samples.map((s) => s.ms)),
    minMs: Math.min(...samples.map((s) => s.ms)),
    maxMs: Math.max(...samples.map((s) => s.ms)),
    peakMb: Math.max(...samples.map((s) => s.mb)),
  });
}

const floor = rows[0].medianMs;
console.log(`synth of all environments, ${RUNS} runs each (node ${process.version}, ${os.cpus().length} cores)`);
console.log('| runner | median ms | min ms | max ms | x floor | peak RSS MB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.runner} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${(r.medianMs / floor).toFixed(2)} | ${r.peakMb.toFixed(0)} |`);
}
console.log(`(precompiling with tsc took ${compileMs.toFixed(0)} ms once, not included above)`);
fs.rmSync(work, { recursive: true, force: true });
fs.rmSync(dist, { recursive: true, force: true });
