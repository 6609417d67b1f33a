/**
 * The validation suite (`npm run test:validate`): cdktf's toBeValidTerraform() with the offline
 * toolchain (tools/toolchain/install.sh). Separate from `npm test`, which needs no Terraform.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['**/__tests__/validate/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/'],
  // Before cdktf loads: its matchers read TERRAFORM_BINARY_NAME once, at import.
  setupFiles: ['<rootDir>/__tests__/validate/toolchain-env.ts'],
  testTimeout: 300000,
};
