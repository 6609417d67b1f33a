/**
 * The app as `cdktf synth` runs it: a bad environment file stops it with a readable error and
 * writes nothing; a good one always writes the same bytes.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { removeStaleSynthOutput } from '../config/load';

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

describe('a bad environment file after a good synth', () => {
  const outdir = path.join(tmp, 'stale-out');
  const bad = path.join(tmp, 'stale', 'dev.yaml');
  let result: ReturnType<typeof runApp>;
  let unrelated: string;

  beforeAll(() => {
    const devFile = path.join(ROOT, 'config', 'environments', 'dev.yaml');
    expect(runApp({ PLATFORM_CONFIG: devFile, CDKTF_OUTDIR: outdir }).status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'stacks')).length).toBeGreaterThanOrEqual(4);
    // Something in the output directory that is not a synthesized stack must survive.
    unrelated = path.join(outdir, 'notes.txt');
    fs.writeFileSync(unrelated, 'keep me');
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    fs.writeFileSync(bad, fs.readFileSync(devFile, 'utf8').replace('aksSubnetCidr: 10.10.0.0/22', 'aksSubnetCidr: 10.99.0.0/22'));
    result = runApp({ PLATFORM_CONFIG: bad, CDKTF_OUTDIR: outdir });
  }, 240_000);

  test('exits non-zero and says which stacks it removed', () => {
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Removed the previous synth's stacks from .*stale-out \(application-dev, cluster-and-registry-dev, data-disks-dev, monitoring-dev, network-dev, services-dev\)/);
  });

  test('leaves no stack of the previous synth for a later plan to use', () => {
    expect(fs.existsSync(path.join(outdir, 'stacks'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(false);
  });

  test('touches nothing else', () => {
    expect(fs.readFileSync(unrelated, 'utf8')).toBe('keep me');
  });
});

describe('removeStaleSynthOutput', () => {
  test('leaves a directory that is not a cdktf output alone', () => {
    const dir = path.join(tmp, 'not-cdktf');
    fs.mkdirSync(path.join(dir, 'stacks', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', 'x', 'cdk.tf.json'), '{}');
    expect(removeStaleSynthOutput(dir)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'stacks', 'x', 'cdk.tf.json'))).toBe(true);
  });

  test('removes only stack directories that hold cdk.tf.json', () => {
    const dir = path.join(tmp, 'partly-cdktf');
    fs.mkdirSync(path.join(dir, 'stacks', 'network-dev'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'stacks', 'mine'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');
    fs.writeFileSync(path.join(dir, 'stacks', 'network-dev', 'cdk.tf.json'), '{}');
    fs.writeFileSync(path.join(dir, 'stacks', 'mine', 'keep.txt'), 'keep');
    expect(removeStaleSynthOutput(dir)).toEqual(['network-dev']);
    expect(fs.readdirSync(path.join(dir, 'stacks'))).toEqual(['mine']);
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(false);
  });
});

test('PLATFORM_CONFIG synthesizes only that environment', () => {
  const outdir = path.join(tmp, 'only-dev');
  const result = runApp({ PLATFORM_CONFIG: path.join(ROOT, 'config', 'environments', 'dev.yaml'), CDKTF_OUTDIR: outdir });
  expect(result.status).toBe(0);
  const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
  expect(stacks.length).toBeGreaterThanOrEqual(3);
  for (const stack of stacks) expect(stack).toMatch(/-dev$/);
}, 120_000);
