// Jest runs the tests as CommonJS through ts-jest (also in an ESM project): decorator metadata is
// emitted by TypeScript itself, and `.js` import specifiers are mapped back to the `.ts` sources.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
