/**
 * The app as `cdktf synth` runs it: a bad environment file stops it with a readable error and
 * writes nothing; a good one always writes the same bytes.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
/** Exactly the command cdktf runs (cdktf.json "app"). */
const APP_COMMAND: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app;

function runApp(env: Record<string, string>) {
  return spawnSync(APP_COMMAND, {
    shell: true,
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** Every file under `dir` with the SHA-256 of its bytes. */
function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('two synths of the same config write byte-identical files', () => {
  const first = path.join(tmp, 'first');
  const second = path.join(tmp, 'second');
  expect(runApp({ CDKTF_OUTDIR: first }).status).toBe(0);
  expect(runApp({ CDKTF_OUTDIR: second }).status).toBe(0);
  const a = digest(first);
  expect(Object.keys(a).filter((f) => f.endsWith('cdk.tf.json')).length).toBeGreaterThanOrEqual(9);
  expect(digest(second)).toEqual(a);
}, 240_000);

describe('a bad environment file', () => {
  const file = path.join(tmp, 'prod.yaml');
  const outdir = path.join(tmp, 'bad-out');
  let result: ReturnType<typeof runApp>;

  beforeAll(() => {
    const good = fs.readFileSync(path.join(ROOT, 'config', 'environments', 'prod.yaml'), 'utf8');
    fs.writeFileSync(file, good.replace('aksSubnetCidr: 10.30.0.0/20', 'aksSubnetCidr: 10.99.0.0/20'));
    result = runApp({ PLATFORM_CONFIG: file, CDKTF_OUTDIR: outdir });
  });

  test('exits non-zero', () => expect(result.status).toBe(1));

  test('names the file, the field path, the rule and the value', () => {
    expect(result.stderr).toContain(`prod.yaml: network.aksSubnetCidr: must lie inside network.vnetCidr (10.30.0.0/16) (got "10.99.0.0/20")`);
  });

  test('prints no stack trace', () => {
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  test('writes nothing', () => expect(fs.existsSync(outdir)).toBe(false));
});

test('PLATFORM_CONFIG synthesizes only that environment', () => {
  const outdir = path.join(tmp, 'only-dev');
  const result = runApp({ PLATFORM_CONFIG: path.join(ROOT, 'config', 'environments', 'dev.yaml'), CDKTF_OUTDIR: outdir });
  expect(result.status).toBe(0);
  const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
  expect(stacks.length).toBeGreaterThanOrEqual(3);
  for (const stack of stacks) expect(stack).toMatch(/-dev$/);
}, 120_000);
