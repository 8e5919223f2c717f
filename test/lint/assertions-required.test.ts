/**
 * Guard for issue 13: every test must run an assertion. jest.config.ts registers test/jest-setup.ts,
 * which calls expect.hasAssertions() before each test, and no test file switches that off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import config from '../../jest.config';

const root = path.join(__dirname, '..', '..');
const SETUP = '<rootDir>/test/jest-setup.ts';

const testFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return /\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });

describe('every test must assert', () => {
  it('jest.config.ts registers test/jest-setup.ts after the environment', () => {
    expect(config.setupFilesAfterEnv).toEqual([SETUP]);
  });

  it('the setup file calls expect.hasAssertions() before each test', () => {
    const text = readFileSync(path.join(root, 'test', 'jest-setup.ts'), 'utf8');
    expect(text).toMatch(/^beforeEach\(\(\) => \{\s*expect\.hasAssertions\(\);\s*\}\);$/m);
  });

  it('is in force for this very test', () => {
    expect(expect.getState().isExpectingAssertions).toBe(true);
  });

  it('no test file switches the check off', () => {
    const offenders = testFiles(path.join(root, 'test')).filter((file) => /isExpectingAssertions\s*:\s*false|expect\.assertions\(\s*0\s*\)/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
