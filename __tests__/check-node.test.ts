/**
 * The Node.js range: one place (package.json engines.node), stated where users meet it (.nvmrc,
 * README, the workflows), and a Node outside it refused in one line by the real script.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const { satisfies, verdict, engineRange, END_OF_LIFE } = require('../scripts/check-node.cjs');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test('the supported range is Node.js 20.19 up to, not including, 27', () => {
  expect(pkg.engines.node).toBe('>=20.19.0 <27');
  expect(engineRange()).toBe(pkg.engines.node);
});

test('.nvmrc names Node.js 22, a major inside the range', () => {
  const nvmrc = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
  expect(nvmrc).toBe('22');
  expect(satisfies(pkg.engines.node, `v${nvmrc}.0.0`)).toEqual({ ok: true });
});

test('npm ci checks the Node.js version first (preinstall), and so does the cdktf app', () => {
  expect(pkg.scripts.preinstall).toBe('node scripts/check-node.cjs');
  expect(fs.readFileSync(path.join(ROOT, 'scripts', 'app.mjs'), 'utf8')).toMatch(/require\)?\(?'\.\/check-node\.cjs'\)|createRequire\(import\.meta\.url\)\('\.\/check-node\.cjs'\)/);
});

test.each([
  ['v20.19.0', true],
  ['v20.18.3', false],
  ['v22.23.3', true],
  ['v24.21.0', true],
  ['v26.10.0', true],
  ['v27.0.0', false],
  ['v18.20.8', false],
])('%s is inside the range: %s', (version, inside) => {
  expect(satisfies('>=20.19.0 <27', version).ok).toBe(inside);
});

test('outside the range: one fatal line naming the version found and the range needed', () => {
  expect(verdict('>=20.19.0 <27', 'v27.1.0')).toEqual({ fatal: true, line: 'opik-on-aks needs Node.js >=20.19.0 <27 (found v27.1.0); install Node.js 22 LTS (see .nvmrc) and run the command again' });
});

test('a major past its end of life is allowed with a warning; a supported one says nothing', () => {
  expect(END_OF_LIFE[20]).toBe('2026-04-30');
  expect(verdict('>=20.19.0 <27', 'v20.20.2', new Date('2026-12-07'))).toEqual({ fatal: false, line: expect.stringMatching(/^warning: Node\.js 20 reached end of life on 2026-04-30 \(found v20\.20\.2\)/) });
  expect(verdict('>=20.19.0 <27', 'v20.20.2', new Date('2026-04-29'))).toBeUndefined();
  expect(verdict('>=20.19.0 <27', 'v22.23.3', new Date('2026-12-07'))).toBeUndefined();
});

test('a range in a form the check cannot read is refused as a package.json mistake, not passed', () => {
  expect(verdict('^22 || ^24', 'v22.1.0')).toEqual({ fatal: true, line: expect.stringMatching(/^package\.json: engines\.node: "\^22 \|\| \^24" is not a range this check reads/) });
});

test('the real script on this Node: refused in exactly one line, exit 1, when the range excludes it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-node-'));
  try {
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'check-node.cjs'), path.join(dir, 'scripts', 'check-node.cjs'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ engines: { node: '>=99.0.0 <100' } }));
    const run = spawnSync(process.execPath, [path.join(dir, 'scripts', 'check-node.cjs')], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, lines: run.stderr.trimEnd().split('\n').length }).toEqual({ status: 1, stdout: '', lines: 1 });
    expect(run.stderr).toBe(`opik-on-aks needs Node.js >=99.0.0 <100 (found ${process.version}); install Node.js 22 LTS (see .nvmrc) and run the command again\n`);
    const help = spawnSync(process.execPath, [path.join(dir, 'scripts', 'check-node.cjs'), '--help'], { encoding: 'utf8' });
    expect({ status: help.status, usage: /^usage: /.test(help.stdout) }).toEqual({ status: 0, usage: true });
    const unknown = spawnSync(process.execPath, [path.join(dir, 'scripts', 'check-node.cjs'), '--fast'], { encoding: 'utf8' });
    expect({ status: unknown.status, stderr: unknown.stderr }).toEqual({ status: 2, stderr: 'check-node: unknown argument --fast (see --help)\n' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the workflows run the Node.js that .nvmrc names', () => {
  const dir = path.join(ROOT, '.github', 'workflows');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/node-version(-file)?:\s*['"]?([^'"\s]+)/g)) expect({ file, setting: m[0] }).toEqual({ file, setting: expect.stringMatching(/node-version-file:\s*['"]?\.nvmrc/) });
  }
});
