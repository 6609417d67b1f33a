/**
 * The backstop: every stack of every committed environment, as synthesized JSON. A change here
 * is a change to what Terraform will plan; read the diff before accepting it (`npm run test:update`).
 */
import { Testing } from 'cdktf';
import { buildStacks, ENVIRONMENT_NAMES, loadCommittedConfig } from './helpers';

describe.each(ENVIRONMENT_NAMES)('%s', (environment) => {
  const stacks = buildStacks(loadCommittedConfig(environment));
  test.each(Object.values(stacks).map((stack) => [stack.node.id, stack] as const))('%s matches its snapshot', (_id, stack) => {
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
