import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  // Tests of clients that npm does not install (python-jira, from Debian): `npm run test:python-client`.
  testPathIgnorePatterns: ['/node_modules/', '\\.python\\.test\\.ts$'],
  // Fails any test that runs no assertion.
  setupFilesAfterEnv: ['<rootDir>/test/jest-setup.ts'],
  transform: {
    // The Custom UI component tests (JSX: test/static/issue-panel, test/static/admin-page): transpiled by test/static/issue-panel/tsx-transform.cjs.
    '^.+\\.tsx$': '<rootDir>/test/static/issue-panel/tsx-transform.cjs',
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  clearMocks: true,
};

export default config;
