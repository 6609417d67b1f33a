/**
 * A refused `cdktf deploy`, `diff` or `destroy` shows Terraform's reason, every time: the real cdktf
 * CLI (as installed, with packages/terraform-over-pipes in node-pty's place) and the toolchain's
 * Terraform, on a stack of terraform_data resources that prevent_destroy guards. Before the
 * override, cdktf 0.21 lost the tail of Terraform's output in 2 of 28 deploys measured here (29 and
 * 18 of 30 errors shown), because node-pty reported the exit before the terminal was drained.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { refusalShown } from '../../tools/rehearsal/terraform-output';

const ROOT = path.join(__dirname, '..', '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const APP = path.join(ROOT, '__tests__', 'fixtures', 'prevent-destroy', 'app.js');
const RESOURCES = 30;
const RUNS = 3;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-refusal-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function cdktf(args: string[], generation: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(CDKTF, args, {
      cwd: work,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', RESOURCES: String(RESOURCES), GENERATION: String(generation), STATE_FILE: path.join(work, 'guarded.tfstate') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Every guarded resource is named in a prevent_destroy error the user can read. */
function expectEveryRefusalShown(command: string, run: { code: number; output: string }) {
  const shown = refusalShown(run.output, Array.from({ length: RESOURCES }, (_, i) => `terraform_data.disk${i}`));
  expect({ command, code: run.code, resourcesNotNamed: shown.notNamed }).toEqual({ command, code: 1, resourcesNotNamed: [] });
  expect(shown.errors).toBeGreaterThanOrEqual(RESOURCES);
}

beforeAll(async () => {
  fs.writeFileSync(path.join(work, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `node ${APP}`, projectId: 'cdktf-refusal', sendCrashReports: 'false' }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));
  const first = await cdktf(['deploy', 'guarded', '--auto-approve'], 1);
  if (first.code !== 0) throw new Error(`the first deploy failed:\n${first.output.slice(-3000)}`);
});

test('cdktf resolves node-pty to terraform-over-pipes (the override is installed)', () => {
  const handlers = path.join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cmds', 'handlers.js');
  const resolved = require.resolve('@cdktf/node-pty-prebuilt-multiarch', { paths: [path.dirname(handlers)] });
  expect(fs.realpathSync(resolved)).toBe(path.join(ROOT, 'packages', 'terraform-over-pipes', 'index.js'));
});

test(`a deploy that would replace guarded resources shows Terraform's prevent_destroy error for each of them, ${RUNS} runs in a row`, async () => {
  for (let i = 0; i < RUNS; i++) expectEveryRefusalShown(`cdktf deploy (run ${i + 1})`, await cdktf(['deploy', 'guarded', '--auto-approve'], 2));
});

test("a diff of the same change shows Terraform's reason and exits non-zero", async () => {
  expectEveryRefusalShown('cdktf diff', await cdktf(['diff', 'guarded'], 2));
});

test("a destroy shows Terraform's reason and exits non-zero; the state is untouched", async () => {
  const before = fs.readFileSync(path.join(work, 'guarded.tfstate'), 'utf8');
  expectEveryRefusalShown('cdktf destroy', await cdktf(['destroy', 'guarded', '--auto-approve'], 1));
  expect(fs.readFileSync(path.join(work, 'guarded.tfstate'), 'utf8')).toBe(before);
});
