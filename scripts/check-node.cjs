#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Refuses a Node.js outside package.json's `engines.node` in one line, before anything else runs:
 * `npm ci` runs it first (the `preinstall` script, before any dependency is fetched), and so does
 * the cdktf app (scripts/app.mjs), for a shell that switched Node after installing.
 * Plain CommonJS with no dependency, because at `preinstall` nothing is installed yet.
 *
 *   node scripts/check-node.cjs            exit 1 with one line when this Node is outside the range
 *   node scripts/check-node.cjs --help
 *
 * The range's grammar is deliberately small: space-separated `>=X.Y.Z` and `<N` comparators, every
 * one of which must hold. A range in any other form is a mistake in package.json, said as such.
 */
const fs = require('fs');
const path = require('path');

/** End of life of each Node.js major that the range admits (nodejs.org release schedule). */
const END_OF_LIFE = { 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

/** @param {string} v */
const parse = (v) => v.replace(/^v/, '').split('.').map((n) => Number(n));
/** @param {number[]} a @param {number[]} b */
const compare = (a, b) => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};

/**
 * @param {string} range
 * @param {string} version e.g. process.version
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
function satisfies(range, version) {
  const have = parse(version);
  for (const comparator of range.trim().split(/\s+/)) {
    const m = /^(>=|<)(\d+(?:\.\d+){0,2})$/.exec(comparator);
    if (!m) return { ok: false, reason: `package.json: engines.node: "${range}" is not a range this check reads (space-separated ">=X.Y.Z" and "<N" only)` };
    const bound = parse(m[2]);
    const holds = m[1] === '>=' ? compare(have, bound) >= 0 : compare(have, bound) < 0;
    if (!holds) return { ok: false, reason: 'outside' };
  }
  return { ok: true };
}

/**
 * The one line to print for this Node, or undefined when there is nothing to say.
 * @param {string} range @param {string} version @param {Date} today
 * @returns {{ fatal: boolean, line: string } | undefined}
 */
function verdict(range, version, today = new Date()) {
  const result = satisfies(range, version);
  if (!result.ok) {
    if (result.reason !== 'outside') return { fatal: true, line: result.reason };
    return { fatal: true, line: `opik-on-aks needs Node.js ${range} (found ${version}); install Node.js 22 LTS (see .nvmrc) and run the command again` };
  }
  const major = /** @type {keyof typeof END_OF_LIFE} */ (parse(version)[0]);
  const eol = END_OF_LIFE[major];
  if (eol && today >= new Date(`${eol}T00:00:00Z`)) return { fatal: false, line: `warning: Node.js ${major} reached end of life on ${eol} (found ${version}); it still works here, but move to Node.js 22 LTS (see .nvmrc)` };
  return undefined;
}

function engineRange() {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  return String(pkg.engines?.node ?? '');
}

module.exports = { satisfies, verdict, engineRange, END_OF_LIFE };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: node scripts/check-node.cjs\n  Exits 1 with one line when this Node.js is outside package.json engines.node; warns once when it is past end of life.\n');
    process.exit(0);
  }
  if (args.length) {
    process.stderr.write(`check-node: unknown argument ${args[0]} (see --help)\n`);
    process.exit(2);
  }
  const said = verdict(engineRange(), process.version);
  if (said) process.stderr.write(`${said.line}\n`);
  if (said?.fatal) process.exit(1);
}
