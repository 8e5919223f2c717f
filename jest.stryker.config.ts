import type { Config } from 'jest';
import base from './jest.config';

// Jest for Stryker (stryker.config.mjs): the project's config less the tests that need a build
// (`npm test`'s pretest) or a browser. They exercise src through subprocesses or bundles,
// which Stryker's in-process mutants never reach, so they kill nothing in scope.
const config: Config = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/sandbox/browser/', '<rootDir>/test/cli/'],
};

export default config;
