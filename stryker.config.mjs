// Mutation testing (issue 13). Run it through `npm run mutate` (tools/mutation/mutate.ts), see the README.
// CC81_MUTATE_CHANGED=1 (set by `npm run mutate -- --changed`): a partial run with its own report and
// incremental files, so it never overwrites the full run's.
// CC81_MUTATE_FOLDER=src/x (set by `npm run mutate -- --folder src/x`): that folder alone, with its own
// report and incremental files, so the whole scope can be run folder by folder (.ci/nightly).
const changed = process.env.CC81_MUTATE_CHANGED === '1';
const folder = process.env.CC81_MUTATE_FOLDER;
const slug = folder ? folder.replace(/\//g, '-') : undefined;
const reportDir = changed ? 'reports/mutation-changed' : slug ? `reports/mutation-folders/${slug}` : 'reports/mutation';

const SCOPE = [
  'src/domain/**/*.ts',
  'src/domain/expression/**/*.ts',
  'src/evidence/**/*.ts',
  'src/evidence-log/**/*.ts',
  'src/sweep/**/*.ts',
  'src/setup/**/*.ts',
  'src/panel/**/*.ts',
  'src/policy/**/*.ts',
  'src/privacy/**/*.ts',
  'src/schedule/**/*.ts',
  'src/forge/**/*.ts',
  'src/deployments/**/*.ts',
];
const nestedIn = (f) => SCOPE.map((g) => g.replace('/**/*.ts', '')).filter((d) => d.startsWith(`${f}/`)).map((d) => `!${d}/**/*.ts`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // jest.stryker.config.ts: jest.config.ts less the browser and CLI-subprocess tests.
  // findRelatedTests limits the initial run to the tests that import the mutated files.
  jest: { projectType: 'custom', configFile: 'jest.stryker.config.ts', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tools/mutation/tsconfig.checker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Keep in step with SCOPE_FOLDERS in tools/mutation/mutate.ts. A folder run leaves out the folders of
  // the scope nested in it (src/domain without src/domain/expression).
  mutate: folder ? [`${folder}/**/*.ts`, ...nestedIn(folder)] : SCOPE,
  ignoreStatic: true,
  concurrency: 2,
  incremental: true,
  incrementalFile: changed ? 'reports/stryker-incremental-changed.json' : slug ? `reports/stryker-incremental-${slug}.json` : 'reports/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${reportDir}/mutation.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  timeoutMS: 10000,
  // The initial run is the whole related test suite with per-test coverage: minutes on 2 busy cores.
  dryRunTimeoutMinutes: 30,
};
