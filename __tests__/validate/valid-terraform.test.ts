/**
 * cdktf's own toBeValidTerraform() with the offline toolchain: each prod stack is synthesized with
 * local state (the matcher runs a plain `terraform init`), adapted to the mirror's provider
 * versions (scripts/offline-terraform.ts), and must then pass init + validate. The negative cases
 * prove the provider's validators really run: a bad value must fail.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, TerraformStack } from 'cdktf';
import { loadToolchain, validateStackDir } from '../../scripts/offline-terraform';
import { buildStacks, loadCommittedConfig } from '../helpers';

const tool = loadToolchain(path.join(__dirname, '..', '..'));
const pluginCache = fs.mkdtempSync(path.join(os.tmpdir(), 'opik-plugin-cache-'));
afterAll(() => fs.rmSync(pluginCache, { recursive: true, force: true }));

/** Synthesizes `stack` for the matcher and adapts it to the mirror; returns the synth directory. */
function prepare(stack: TerraformStack): { dir: string; firstError: string } {
  const dir = Testing.fullSynth(stack);
  const result = validateStackDir(path.join(dir, 'stacks', stack.node.id), tool, pluginCache);
  return { dir, firstError: result.firstError };
}

describe.each(Object.entries(buildStacks(loadCommittedConfig('prod'), 'local')))('%s stack of prod', (_key, stack) => {
  test('is valid Terraform for the real providers', () => {
    const { dir } = prepare(stack as TerraformStack);
    expect(dir).toBeValidTerraform();
  });
});

describe('the providers\u2019 own validators run', () => {
  test('fails if a disk has a storage type Azure does not know', () => {
    const { dataDisks } = buildStacks(loadCommittedConfig('prod'), 'local');
    dataDisks.disks.mysql.disk.addOverride('storage_account_type', 'Premium_Fast');
    const { dir, firstError } = prepare(dataDisks);
    expect(firstError).toMatch(/storage_account_type/);
    expect(dir).not.toBeValidTerraform();
  });

  test('fails if the public IP asks for a SKU Azure does not offer', () => {
    const { network } = buildStacks(loadCommittedConfig('prod'), 'local');
    const ip = network.node.findAll().find((c) => c.node.path.endsWith('application-gateway/public-ip')) as any;
    ip.addOverride('sku', 'Gold');
    const { dir, firstError } = prepare(network);
    expect(firstError).toMatch(/sku/);
    expect(dir).not.toBeValidTerraform();
  });
});
