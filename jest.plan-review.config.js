/**
 * npm run test:plan-review: the plan review (scripts/plan-review) on plans Terraform produces here,
 * through the rehearsal's stand-ins and the offline toolchain. Separate from `npm test`, which needs
 * no Terraform and runs the renderer unit tests on fixtures derived from these plans.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/__tests__/plan-review/**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/'],
  // One deploy (~3 min) and a handful of plans; the stand-ins answer from this process's event loop.
  testTimeout: 1800000,
  maxWorkers: 1,
};
