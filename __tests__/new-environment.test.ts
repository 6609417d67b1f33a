/**
 * Environments are data: a new config/environments/<name>.yaml loads and synthesizes with no code
 * change. The file is written into a temporary copy of config/environments, never committed (a
 * committed one would also need snapshots and `npm run addresses:update`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { loadEnvironments } from '../config/load';
import { buildEnvironment } from '../stacks/environment';
import { ENVIRONMENTS_DIR, synthStack } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-new-env-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  for (const name of fs.readdirSync(ENVIRONMENTS_DIR)) fs.copyFileSync(path.join(ENVIRONMENTS_DIR, name), path.join(dir, name));
  const staging = fs.readFileSync(path.join(ENVIRONMENTS_DIR, 'staging.yaml'), 'utf8');
  const qa = staging
    .replace(/^environment: staging$/m, 'environment: qa')
    .replace(/\b10\.20\./g, '10.40.')
    .replace('opik-staging.example.com', 'opik-qa.example.com');
  expect(qa).toContain('vnetCidr: 10.40.0.0/16');
  fs.writeFileSync(path.join(dir, 'qa.yaml'), qa);
});

test('a qa.yaml copied from staging loads next to the committed files', () => {
  const loaded = loadEnvironments(dir);
  expect(loaded.map((e) => e.config.environment)).toEqual(['dev', 'prod', 'qa', 'staging']);
});

test('qa synthesizes with its own names, state keys and stack ids', () => {
  const qa = loadEnvironments(dir, path.join(dir, 'qa.yaml'))[0].config;
  const stacks = buildEnvironment(Testing.app(), qa, 'azurerm');
  const ids = Object.values(stacks).map((stack) => stack.node.id);
  expect(ids.length).toBeGreaterThanOrEqual(4);
  for (const id of ids) expect(id).toMatch(/-qa$/);
  for (const stack of Object.values(stacks)) {
    const json = synthStack(stack);
    expect(json.terraform.backend.azurerm.key).toBe(`qa/${stack.node.id.replace(/-qa$/, '')}.tfstate`);
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/-staging-weu|opik-staging|"environment":"staging"/);
  }
  expect(JSON.stringify(synthStack(stacks.network))).toContain('rg-opik-qa-weu');
});
