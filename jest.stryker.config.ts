import type { Config } from 'jest';
import base from './jest.config';

// Jest for Stryker (stryker.config.mjs): jest.config.ts less
//  - test/sandbox/browser, test/cli: they need `npm test`'s pretest build or a browser, and reach src only
//    through bundles and child processes, where no mutant is switched on;
//  - the React component tests (*.test.tsx, `@jest-environment jsdom` docblocks that bypass Stryker's
//    coverage environment): they test static/; the src code they import is also run by the node tests.
//  - in the `src/domain` folder run only, the differential test (compiled expressions = TypeScript rules):
//    it covers every rule mutant and costs about 20 s a run, which made that run longer than a night's
//    job on 2 cores. The domain's own tables and properties judge its mutants, so its score is a lower
//    bound; the `src/domain/expression` run keeps the differential test for the compiler's mutants.
const withoutDifferential = process.env.CC81_MUTATE_FOLDER === 'src/domain' ? ['<rootDir>/test/domain/expression/differential.test.ts'] : [];

const config: Config = {
  ...base,
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/sandbox/browser/', '<rootDir>/test/cli/', ...withoutDifferential],
};

export default config;
