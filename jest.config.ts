import type { Config } from 'jest';

const ESM_ONLY = ['cookie', 'content-disposition'];

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false, ignoreCodes: [151002] } }],
    // ESM-only dependencies (cookie@2 via Fastify's inject, content-disposition@2 via @fastify/static):
    // Node 20 can require() them, Jest's module system cannot, so Jest compiles them to CJS.
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['babel-jest', { plugins: ['@babel/plugin-transform-modules-commonjs'] }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
};

export default config;
