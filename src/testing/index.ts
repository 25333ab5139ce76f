// `lokstra/testing`: helpers for tests of Lokstra apps. Loaded only by tests (not by `require('lokstra')`).
import 'reflect-metadata';
export { createTestApp, type TestApp, type TestAppOptions } from './create-test-app';
export { createTestAppClient, type TestAppClient, type TestRequestOptions } from './client';
export { expectOk, expectError, EnvelopeAssertionError, type TestResponse } from './envelope';
