/** Tests run TypeScript through SWC: no type-check here (that is `npm run typecheck`), and no ts-node. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/__tests__/**/*.test.ts', '**/constructs/**/*.test.ts', '**/config/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/', '/__tests__/validate/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
};
