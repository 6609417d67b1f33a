/**
 * npm run apply:reviewed's command line and its comparison of change sets. The applying itself,
 * with real plans, a swapped plan file and an overtaken review, is rehearsal scenario 12.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { changeSet, changeSetDifference, parseArguments } from '../scripts/apply-reviewed';

const ROOT = path.join(__dirname, '..');
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'apply-reviewed.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TERRAFORM_BINARY_NAME: '/nonexistent/terraform' } });

test('--help prints the usage and exits 0, touching nothing', () => {
  const run = cli('--help');
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  expect(run.stdout).toMatch(/^usage: npm run apply:reviewed -- <env>/);
  expect(run.stdout).toMatch(/never|fresh plan/);
});

test('an unknown flag is refused by name, exit 2, nothing run', () => {
  const run = cli('dev', '--auto-approve');
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n')[0]).toBe('apply:reviewed: unknown flag --auto-approve');
});

test('a missing environment, or a flag without its value, is a usage error', () => {
  expect(() => parseArguments([])).toThrow('which environment?');
  expect(() => parseArguments(['dev', '--plans'])).toThrow('--plans needs a value');
  expect(() => parseArguments(['dev', 'prod'])).toThrow('one environment, not dev prod');
  expect(parseArguments(['prod', '--plans', 'p', '--config', 'c.yaml'])).toEqual({ help: false, environment: 'prod', plans: 'p', config: 'c.yaml' });
});

test('no reviewed plan: refused with what to run, exit 2', () => {
  const run = cli('dev', '--plans', path.join(ROOT, 'does-not-exist'));
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/no reviewed plan in .*does-not-exist\/dev: run npm run plan -- dev/);
});

const planOf = (changes: Array<[string, string[], unknown, unknown]>) => ({ resource_changes: changes.map(([address, actions, before, after]) => ({ address, change: { actions, before, after } })) });

test('change sets: no-ops and reads drop out, and the same change in any order compares equal', () => {
  const a = changeSet(planOf([['b.x', ['update'], { n: 1 }, { n: 2 }], ['a.y', ['no-op'], {}, {}], ['c.z', ['read'], null, {}]]));
  const b = changeSet(planOf([['b.x', ['update'], { n: 1 }, { n: 2 }]]));
  expect(a).toEqual(b);
  expect(a).toHaveLength(1);
});

test('a swapped plan of another value at the same address is a different change set, named by address', () => {
  const reviewed = changeSet(planOf([['helm_release.opik', ['update'], { replicas: 2 }, { replicas: 3 }]]));
  const shipped = changeSet(planOf([['helm_release.opik', ['update'], { replicas: 2 }, { replicas: 6 }], ['azurerm_role_assignment.extra', ['create'], null, { role: 'Owner' }]]));
  expect(shipped).not.toEqual(reviewed);
  expect(changeSetDifference(reviewed, shipped)).toEqual({ onlyActual: ['azurerm_role_assignment.extra', 'helm_release.opik'], onlyExpected: ['helm_release.opik'] });
});
