/**
 * The validation suite (`npm run test:validate`): cdktf's toBeValidTerraform() with the offline
 * toolchain (tools/toolchain/install.sh), and the rehearsal's chart tests, which need its Helm.
 * Separate from `npm test`, which needs no Terraform.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  // The stand-in chart and chart-repository tests need Helm too; under `npm test` they skip.
  testMatch: ['**/__tests__/validate/**/*.test.ts', '**/tools/rehearsal/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/'],
  // Before cdktf loads: its matchers read TERRAFORM_BINARY_NAME once, at import.
  setupFiles: ['<rootDir>/__tests__/validate/toolchain-env.ts'],
  testTimeout: 300000,
};
