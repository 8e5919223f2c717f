import type { Config } from 'jest';

const DIFFERENTIAL = '<rootDir>/test/domain/expression/differential.test.ts';

const configFor = (folder: string | undefined): Config => {
  const saved = process.env.CC81_MUTATE_FOLDER;
  if (folder === undefined) delete process.env.CC81_MUTATE_FOLDER;
  else process.env.CC81_MUTATE_FOLDER = folder;
  try {
    let config: Config | undefined;
    jest.isolateModules(() => {
      config = (jest.requireActual('../../jest.stryker.config') as { default: Config }).default;
    });
    return config!;
  } finally {
    if (saved === undefined) delete process.env.CC81_MUTATE_FOLDER;
    else process.env.CC81_MUTATE_FOLDER = saved;
  }
};

describe('jest for Stryker', () => {
  it.each([
    ['src/domain', true],
    ['src/domain/expression', false],
    ['src/panel', false],
    [undefined, false],
  ])('folder %p leaves out the differential test: %p', (folder, left) => {
    expect(configFor(folder).testPathIgnorePatterns?.includes(DIFFERENTIAL)).toBe(left);
    expect(configFor(folder).testPathIgnorePatterns).toEqual(expect.arrayContaining(['<rootDir>/test/sandbox/browser/', '<rootDir>/test/cli/']));
  });
});
