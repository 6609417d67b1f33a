#!/usr/bin/env node
// The cdktf app runner (cdktf.json "app"), chosen by measurement (`npm run bench`, figures in the
// README): esbuild bundles the entry file and its dependencies into one file, then this process
// runs it. A bundle starts faster than tsx, which resolves and transforms ~300 modules through
// loader hooks in a second node process, and needs no build step to remember, unlike tsc.
// The bundle is reused while none of its input files changed (size and mtime of each), so a
// second `cdktf synth`, `diff` or `deploy` skips the build, and V8's code cache for it skips
// most of the compiling.
//
//   node scripts/app.mjs [entry.ts]     (default main.ts; bootstrap.ts for the state storage)
//
// Stack traces of unexpected errors point into dist/app/*.js; `npx tsx main.ts` runs the same app
// from source when you need TypeScript positions. Type errors are `npm run typecheck`'s job.
import { buildSync, version as esbuildVersion } from 'esbuild';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import vm from 'node:vm';
import * as path from 'node:path';

// A Node.js outside package.json's range stops here, in one line, before any stack is built.
const nodeCheck = createRequire(import.meta.url)('./check-node.cjs');
const nodeVerdict = nodeCheck.verdict(nodeCheck.engineRange(), process.version);
if (nodeVerdict?.fatal) {
  process.stderr.write(`${nodeVerdict.line}\n`);
  process.exit(1);
}

const entry = process.argv[2] ?? 'main.ts';
const dir = path.resolve('dist', 'app');
const bundle = path.join(dir, `${path.basename(entry, '.ts')}.js`);
const stampFile = `${bundle}.inputs.json`;

/** Size and mtime of every input, plus what else shapes the bundle. */
function stampOf(inputs) {
  const files = inputs.map((file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat ? [file, stat.size, stat.mtimeMs] : [file, -1, -1];
  });
  return JSON.stringify({ esbuild: esbuildVersion, node: process.version, entry, files });
}

function upToDate() {
  try {
    const saved = fs.readFileSync(stampFile, 'utf8');
    return fs.existsSync(bundle) && saved === stampOf(JSON.parse(saved).files.map(([file]) => file));
  } catch {
    return false;
  }
}

if (!upToDate()) {
  // Build under a private name, then rename: a parallel run never sees a half-written bundle.
  fs.mkdirSync(dir, { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: temporary,
    metafile: true,
    logLevel: 'warning',
  });
  fs.renameSync(temporary, bundle);
  fs.writeFileSync(stampFile, stampOf(Object.keys(result.metafile.inputs).sort()));
}
// Run the bundle with V8's code cache, kept beside it and made for exactly this bundle: reading
// compiled code back is cheaper than compiling 6 MB of JavaScript on every synth.
const cacheFile = `${bundle}.v8cache`;
const bundleHash = createHash('sha256').update(fs.readFileSync(stampFile)).digest('hex');
let cachedData;
try {
  if (fs.readFileSync(`${cacheFile}.for`, 'utf8') === bundleHash) cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined; // no cache yet
}
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dir);
// After the run, so the cache also holds the functions V8 compiled lazily along the way.
if (!cachedData || script.cachedDataRejected) {
  fs.writeFileSync(`${cacheFile}.${process.pid}.tmp`, script.createCachedData());
  fs.renameSync(`${cacheFile}.${process.pid}.tmp`, cacheFile);
  fs.writeFileSync(`${cacheFile}.for`, bundleHash);
}
