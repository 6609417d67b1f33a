// @ts-check
'use strict';
/**
 * What cdktf-cli 0.21 asks of `@cdktf/node-pty-prebuilt-multiarch` (`spawn`, then `onData`,
 * `onExit` and `write` on the result), answered with a child process on pipes. package.json's
 * `overrides` installs this package in that one's place.
 *
 * Why not the pseudo-terminal:
 * - node-pty reports the exit before it has read all the terminal's output, so the last lines
 *   Terraform writes (its `Error:` blocks, which come last) can be lost: `cdktf deploy` then ends
 *   at "Invoking Terraform CLI failed with exit code 1" with no reason. Here the exit is reported
 *   on `close`, after both pipes have ended, so every byte is delivered first.
 * - its prebuilt binaries stop at Node.js 22 (ABI 127); on Node.js 24 loading it crashes the CLI.
 *   This package has no native code and no install script.
 * CDK Terrain 0.23 made the same move (child_process instead of node-pty, open-constructs/cdk-terrain
 * issue 169), so moving to that fork drops this package rather than changing it.
 *
 * Terraform needs no terminal: it colours output unless told `-no-color`, reads the approval
 * ("yes") and variable prompts from standard input, and stops gracefully on SIGINT.
 */
const { spawn: spawnChild } = require('child_process');

/** What cdktf sends to stop Terraform: Ctrl-C, which a terminal would turn into SIGINT. */
const CTRL_C = '\x03';

/** Signal numbers for the exit code a shell would report (128 + n) when Terraform is killed. */
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/**
 * @typedef {{ exitCode: number, signal?: number }} ExitEvent
 * @typedef {{ dispose(): void }} Disposable
 */

/**
 * @param {string} file
 * @param {string[] | string} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, encoding?: string | null }} [options]
 */
function spawn(file, args, options = {}) {
  if (typeof args === 'string') throw new TypeError('terraform-over-pipes: arguments must be an array (a command-line string is a Windows pseudo-terminal feature)');
  // A terminal gives a program one output stream; cdktf splits what it reads into lines. On POSIX
  // the shell points Terraform's stderr at its stdout, so both arrive in the order written, in one
  // pipe, and a diagnostic never lands inside a half-read line. `exec` leaves no shell behind:
  // the child is Terraform itself, and a signal reaches it directly.
  const posix = process.platform !== 'win32';
  const child = posix
    ? spawnChild('/bin/sh', ['-c', 'exec "$@" 2>&1', 'terraform-over-pipes', file, ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawnChild(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  /** @type {Set<(data: string) => void>} */
  const dataListeners = new Set();
  /** @type {Set<(e: ExitEvent) => void>} */
  const exitListeners = new Set();
  /** @type {ExitEvent | undefined} */
  let exited;

  // One decoder per pipe: a multi-byte character split across two chunks stays whole.
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (/** @type {string} */ chunk) => {
      for (const listener of dataListeners) listener(chunk);
    });
  }
  // Terraform gone while cdktf still writes an answer: nothing to tell it any more.
  child.stdin.on('error', () => {});

  /** @param {ExitEvent} event */
  const finish = (event) => {
    if (exited) return;
    exited = event;
    for (const listener of exitListeners) listener(event);
  };
  // `close` comes after the exit and after stdout and stderr have both ended.
  child.once('close', (code, signal) => {
    const number = signal ? (SIGNAL_NUMBERS[/** @type {keyof typeof SIGNAL_NUMBERS} */ (signal)] ?? 1) : undefined;
    finish({ exitCode: code ?? 128 + (number ?? 0), signal: number });
  });
  // The binary could not be started (not on PATH, not executable): say so, as a terminal would.
  child.once('error', (error) => {
    const message = `${file}: ${error.message}\n`;
    for (const listener of dataListeners) listener(message);
    finish({ exitCode: 127 });
  });

  return {
    get pid() {
      return child.pid ?? -1;
    },
    process: file,
    cols: 80,
    rows: 24,
    /** @param {(data: string) => void} listener @returns {Disposable} */
    onData(listener) {
      dataListeners.add(listener);
      return { dispose: () => dataListeners.delete(listener) };
    },
    /** @param {(e: ExitEvent) => void} listener @returns {Disposable} */
    onExit(listener) {
      if (exited) {
        const event = exited;
        setImmediate(() => listener(event));
        return { dispose: () => {} };
      }
      exitListeners.add(listener);
      return { dispose: () => exitListeners.delete(listener) };
    },
    /** @param {string} data */
    write(data) {
      if (data === CTRL_C) {
        child.kill('SIGINT');
        return;
      }
      if (!child.stdin.destroyed) child.stdin.write(data);
    },
    /** @param {NodeJS.Signals} [signal] */
    kill(signal = 'SIGHUP') {
      child.kill(signal);
    },
    resize() {},
    clear() {},
    pause() {
      child.stdout.pause();
      child.stderr.pause();
    },
    resume() {
      child.stdout.resume();
      child.stderr.resume();
    },
  };
}

module.exports = { spawn };
