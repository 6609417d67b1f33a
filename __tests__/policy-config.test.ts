/** The Checkov configuration: every skipped check carries its reason. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ACCEPTANCE_CONDITIONS, isAccepted } from '../scripts/policy';
import { ENVIRONMENT_NAMES, loadCommittedConfig } from './helpers';

const FILE = path.join(__dirname, '..', 'policy', 'checkov.yaml');
const text = fs.readFileSync(FILE, 'utf8');
const config = parse(text);

test('every skipped check has a one-line reason beside it', () => {
  const lines = text.split('\n').filter((line) => /^\s+- CKV/.test(line));
  expect(lines.length).toBe(config['skip-check'].length);
  for (const line of lines) expect(line).toMatch(/^\s+- CKV2?_[A-Z0-9_]+\s+# .{15,}$/);
});

test('no check is skipped twice and no Kubernetes check is skipped', () => {
  const skips: string[] = config['skip-check'];
  expect(new Set(skips).size).toBe(skips.length);
  expect(skips.filter((id) => id.startsWith('CKV_K8S'))).toEqual([]);
});

test('the number of skips is pinned: 11 Azure checks everywhere, 4 only where the file chose it, no Kubernetes check', () => {
  // The anchor (Azure/terraform-azurerm-aks) skips 11 Azure checks and the whole Kubernetes
  // framework. A new skip here is a visible decision, made in this file and the README together.
  expect(config['skip-check']).toHaveLength(11);
  expect(Object.keys(config['accepted-where']).sort()).toEqual(['CKV2_AZURE_32', 'CKV2_AZURE_33', 'CKV_AZURE_139', 'CKV_AZURE_59']);
});

test('every scoped acceptance names a known condition and has a reason, and is not also skipped everywhere', () => {
  const lines = text.split('\n').filter((line) => /^\s+CKV2?_[A-Z0-9_]+:/.test(line));
  expect(lines).toHaveLength(Object.keys(config['accepted-where']).length);
  for (const line of lines) expect(line).toMatch(/^\s+CKV2?_[A-Z0-9_]+: [a-z-]+\s+# .{15,}$/);
  for (const [check, condition] of Object.entries<string>(config['accepted-where'])) {
    expect(Object.keys(ACCEPTANCE_CONDITIONS)).toContain(condition);
    expect(config['skip-check']).not.toContain(check);
  }
});

describe('where a scoped acceptance holds', () => {
  const configs = ENVIRONMENT_NAMES.map(loadCommittedConfig);
  const accepted = (check: string, stack: string) => isAccepted(check, stack, config, configs);

  test('the private endpoint checks: in dev and staging (their files turn them off), never in prod', () => {
    expect(accepted('CKV_AZURE_139', 'cluster-and-registry-dev')).toBe(true);
    expect(accepted('CKV_AZURE_139', 'cluster-and-registry-staging')).toBe(true);
    expect(accepted('CKV_AZURE_139', 'cluster-and-registry-prod')).toBe(false);
    expect(accepted('CKV2_AZURE_32', 'cluster-and-registry-prod')).toBe(false);
  });

  test("the state account checks: in the account dev and staging share (an allow-list), never in prod's", () => {
    expect(accepted('CKV_AZURE_59', 'state-storage-stopiktfstateweu')).toBe(true);
    expect(accepted('CKV_AZURE_59', 'state-storage-stopikprodtfstateweu')).toBe(false);
    expect(accepted('CKV2_AZURE_33', 'state-storage-stopikprodtfstateweu')).toBe(false);
    // Not a state account at all: the condition does not hold.
    expect(accepted('CKV_AZURE_59', 'cluster-and-registry-dev')).toBe(false);
  });

  test('a global skip holds everywhere; an unlisted check nowhere; an unknown condition is an error', () => {
    expect(accepted('CKV_AZURE_93', 'data-disks-prod')).toBe(true);
    expect(accepted('CKV_AZURE_1', 'cluster-and-registry-dev')).toBe(false);
    expect(() => isAccepted('CKV_X', 'a-dev', { 'skip-check': [], 'accepted-where': { CKV_X: 'sometimes' as never } }, configs)).toThrow(/accepted-where\.CKV_X: unknown condition sometimes/);
  });
});
