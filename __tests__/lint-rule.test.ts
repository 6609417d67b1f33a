/** The lint rule that keeps synth fast: provider classes come by resource path, never the package root. */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

function lint(source: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', 'stacks/probe.ts'], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
  });
}

test('fails if a provider is imported from its package root', () => {
  const result = lint("import { KubernetesCluster } from '@cdktf/provider-azurerm';\nexport const x = KubernetesCluster;\n");
  expect(result.status).toBe(1);
  expect(result.stdout).toContain('Import by resource path');
});

test('fails if a provider is imported from its lib folder', () => {
  const result = lint("import * as helm from '@cdktf/provider-helm/lib';\nexport const x = helm;\n");
  expect(result.status).toBe(1);
});

test('accepts an import by resource path', () => {
  const result = lint("import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';\nexport const x = KubernetesCluster;\n");
  expect(result.stdout).toBe('');
  expect(result.status).toBe(0);
});
