// Synthesizes every environment (main.ts) and the bootstrap app (bootstrap.ts) with local state
// into a fresh directory, for the offline checks (validate, policy). Prints nothing on success.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Returns the stack directories, by stack name, of both apps. */
export function synthLocal() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-synth-'));
  const stacks = {};
  for (const app of ['main.ts', 'bootstrap.ts']) {
    const outdir = path.join(out, path.basename(app, '.ts'));
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'app.mjs'), app], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, STATE_BACKEND: 'local', BOOTSTRAP_STATE: 'local', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (const name of fs.readdirSync(path.join(outdir, 'stacks')).sort()) stacks[name] = path.join(outdir, 'stacks', name);
  }
  return { out, stacks };
}

/** Reads the toolchain's env file (tools/toolchain/install.sh) into an object, or fails with a hint. */
export function toolchainEnv() {
  let file;
  try {
    file = execFileSync('bash', [path.join(ROOT, 'tools', 'toolchain', 'install.sh'), '--print-env'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('the offline toolchain is not installed: run `bash tools/toolchain/install.sh` first');
  }
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^export ([A-Z_]+)="?([^"]*)"?$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  return env;
}
