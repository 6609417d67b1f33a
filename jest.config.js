/**
 * Tests run TypeScript through ts-jest in isolatedModules mode: each file is transpiled on its own,
 * without a type-check (that is `npm run typecheck`). Jest 29 and ts-jest are pure JavaScript, so
 * `npm ci` needs no platform-specific binary packages.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/__tests__/**/*.test.ts', '**/constructs/**/*.test.ts', '**/config/**/*.test.ts', '**/tools/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/', '/dist/', '/__tests__/validate/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.js'],
  // A timeout here only catches a hang; it asserts no speed (that is `npm run bench`). Jest's 5 s
  // default failed the ARM stand-in's start (it signs certificates) on a machine busy compiling.
  testTimeout: 120_000,
};
