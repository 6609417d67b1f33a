/**
 * npm run test:rehearsal: the rehearsal's scenarios (tools/rehearsal/rehearsal.e2e.ts) against the
 * stand-ins, with the offline toolchain. Separate from `npm test`, which needs no Terraform.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/tools/rehearsal/rehearsal.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/'],
  testTimeout: 1800000,
  // Scenarios build on each other: one file, in order, and jest's own timers must not cut a deploy short.
  maxWorkers: 1,
};
