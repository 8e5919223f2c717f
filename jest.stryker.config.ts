import type { Config } from 'jest';
import base from './jest.config';

// Jest for Stryker (stryker.config.mjs): jest.config.ts less
//  - test/sandbox/browser, test/cli: they need `npm test`'s pretest build or a browser, and reach src only
//    through bundles and child processes, where no mutant is switched on;
//  - the React component tests (*.test.tsx, `@jest-environment jsdom` docblocks that bypass Stryker's
//    coverage environment): they test static/; the src code they import is also run by the node tests.
const config: Config = {
  ...base,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/sandbox/browser/', '<rootDir>/test/cli/'],
};

export default config;
