/**
 * packages/terraform-over-pipes, which package.json's `overrides` installs in place of cdktf-cli's
 * node-pty: real child processes, for the promises cdktf relies on. Every byte a process writes is
 * delivered before its exit is reported (what node-pty broke), stdout and stderr in the order
 * written, answers reach its stdin, Ctrl-C stops it like a terminal would, and nothing native is
 * left in the install.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
// Through node_modules, exactly as cdktf-cli's bundle requires it.
const pty: typeof import('../packages/terraform-over-pipes/index.js') = require(require.resolve('@cdktf/node-pty-prebuilt-multiarch', { paths: [path.join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cmds')] }));

function runToExit(file: string, args: string[], input?: (p: ReturnType<typeof pty.spawn>) => void): Promise<{ output: string; exitCode: number; signal?: number; outputAtExit: number }> {
  return new Promise((resolve) => {
    const p = pty.spawn(file, args, { cwd: ROOT, env: process.env });
    let output = '';
    p.onData((d) => (output += d));
    p.onExit((e) => resolve({ output, exitCode: e.exitCode, signal: e.signal, outputAtExit: output.length }));
    input?.(p);
  });
}

test('cdktf-cli loads this package, not the native node-pty', () => {
  const resolved = require.resolve('@cdktf/node-pty-prebuilt-multiarch', { paths: [path.join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cmds')] });
  expect(fs.realpathSync(resolved)).toBe(path.join(ROOT, 'packages', 'terraform-over-pipes', 'index.js'));
});

test('no native pty module is installed (the Node.js 24 crash came from loading pty.node)', () => {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'pty.node') found.push(path.join(dir, entry.name));
      else if (entry.isDirectory() && !entry.isSymbolicLink() && depth < 8) walk(path.join(dir, entry.name), depth + 1);
    }
  };
  walk(path.join(ROOT, 'node_modules'), 0);
  expect(found).toEqual([]);
});

test('all of a large output arrives before the exit is reported, with a non-zero exit code', async () => {
  // 4 MB, then exit 1 at once: the shape of a failed plan whose errors come last.
  const run = await runToExit('sh', ['-c', 'head -c 4194304 /dev/zero | tr "\\0" x; echo "Error: the reason" >&2; exit 1']);
  expect(run.exitCode).toBe(1);
  expect(run.outputAtExit).toBe(4 * 1024 * 1024 + 'Error: the reason\n'.length);
  expect(run.output.endsWith('Error: the reason\n')).toBe(true);
});

test('the exit is reported only once the output has ended, even when it ends after the process exits', async () => {
  // The process exits at once; a child it left holding stdout writes 0.3 s later. A report on
  // `exit` instead of `close` comes before that line, every time.
  const run = await runToExit('sh', ['-c', '(sleep 0.3; echo "Error: written last") & exit 1']);
  expect({ exitCode: run.exitCode, outputAtExit: run.output.slice(0, run.outputAtExit) }).toEqual({ exitCode: 1, outputAtExit: 'Error: written last\n' });
});

test('stdout and stderr arrive in the order they were written, as on a terminal', async () => {
  const run = await runToExit('sh', ['-c', 'for i in 1 2 3; do echo "out $i"; echo "err $i" >&2; done']);
  expect(run.output).toBe('out 1\nerr 1\nout 2\nerr 2\nout 3\nerr 3\n');
  expect(run.exitCode).toBe(0);
});

test("an answer written by cdktf reaches the process's stdin (Terraform's approval prompt)", async () => {
  const run = await runToExit('sh', ['-c', 'printf "Enter a value: "; read answer; echo "got $answer"'], (p) => p.write('yes\n'));
  expect(run.output).toBe('Enter a value: got yes\n');
});

test('Ctrl-C stops the process with SIGINT and a shell-style exit code', async () => {
  const run = await runToExit('sleep', ['30'], (p) => setTimeout(() => p.write('\x03'), 100));
  expect({ exitCode: run.exitCode, signal: run.signal }).toEqual({ exitCode: 130, signal: 2 });
});

test('a binary that cannot be started says so and exits 127', async () => {
  const run = await runToExit('terraform-that-does-not-exist', ['plan']);
  expect(run.exitCode).toBe(127);
  expect(run.output).toMatch(/terraform-that-does-not-exist: not found/);
});
