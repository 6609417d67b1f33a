/**
 * The backstop: every stack of every committed environment, as synthesized JSON. A change here
 * is a change to what Terraform will plan; read the diff before accepting it (`npm run test:update`).
 */
import { Testing } from 'cdktf';
import { withExampleDelivery } from '../scripts/example-delivery';
import { buildPipelineIdentityStacks } from '../stacks/pipeline-identity-stack';
import { buildStacks, ENVIRONMENT_NAMES, loadCommittedConfig } from './helpers';

describe.each(ENVIRONMENT_NAMES)('%s', (environment) => {
  const stacks = buildStacks(loadCommittedConfig(environment));
  test.each(Object.values(stacks).map((stack) => [stack.node.id, stack] as const))('%s matches its snapshot', (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});

// The bootstrap's pipeline identities, built with the example delivery (no committed file has one).
describe.each(ENVIRONMENT_NAMES)('pipeline identities of %s', (environment) => {
  test(`pipeline-identity-${environment} matches its snapshot`, () => {
    const [stack] = buildPipelineIdentityStacks(Testing.app(), [withExampleDelivery(loadCommittedConfig(environment))], 'azurerm');
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
