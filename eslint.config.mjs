// ESLint flat config. `npm run lint` = `eslint . && tsc --noEmit`.
//
// typescript-eslint `recommended` (not the type-checked variant, to keep lint fast), plus:
//   * test/: no focused or skipped tests;
//   * src/domain/: the local `cc81/domain-purity` rule (see eslint/domain-purity.mjs);
//   * everywhere: `cc81-layers/layer-boundaries` (eslint/layer-boundaries.mjs), dependencies point inward.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import cc81 from './eslint/domain-purity.mjs';
import layers from './eslint/layer-boundaries.mjs';

const TS_FILES = ['src/**/*.ts', 'sandbox/**/*.ts', 'cli/**/*.ts', 'test/**/*.ts', 'test/**/*.tsx', 'bench/**/*.ts', 'tools/**/*.ts', '*.ts'];
const ROOT = path.dirname(fileURLToPath(import.meta.url));
const DOMAIN_DIR = path.join(ROOT, 'src', 'domain');

const FOCUS_OR_SKIP = 'Focused/skipped tests must not be committed; remove `.only` / `.skip` (use `it.todo` for pending work).';
const X_OR_F_PREFIX =
  'Focused/skipped tests must not be committed; use plain `it` / `test` / `describe` instead of xit, xtest, xdescribe, fit or fdescribe.';

export default defineConfig([
  globalIgnores(['node_modules/', 'dist/', 'cli/dist/', 'coverage/', 'static/**/build/', 'static/**/build-sandbox/', 'bench/out/', 'test-results/', 'reports/', '.stryker-tmp/']),

  {
    name: 'cc81/typescript',
    files: TS_FILES,
    extends: [js.configs.recommended, tseslint.configs.recommended],
  },

  {
    name: 'cc81/eslint-config-files',
    files: ['eslint.config.mjs', 'eslint/**/*.mjs'],
    extends: [js.configs.recommended],
  },

  {
    name: 'cc81/tests-no-focus-or-skip',
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['it', 'test', 'describe'].flatMap((object) =>
          ['only', 'skip'].map((property) => ({ object, property, message: FOCUS_OR_SKIP })),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.name=/^(xit|xtest|xdescribe|fit|fdescribe)$/]',
          message: X_OR_F_PREFIX,
        },
        {
          selector: 'MemberExpression[object.name=/^(xit|xtest|xdescribe|fit|fdescribe)$/]',
          message: X_OR_F_PREFIX,
        },
      ],
    },
  },

  {
    name: 'cc81/static-rule-config',
    files: ['static/rule-config/**/*.{ts,tsx}', 'static/issue-panel/**/*.{ts,tsx}', 'static/admin-page/**/*.{ts,tsx}', 'static/shared/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@forge/api', '@forge/kvs', '@forge/resolver', '**/src/forge/**', '**/src/jira/**'],
              message: 'Custom UI runs in the browser: import only src/shared and src/domain, @forge/bridge and @forge/jira-bridge.',
            },
          ],
        },
      ],
    },
  },

  {
    name: 'cc81/layer-boundaries',
    files: TS_FILES,
    plugins: { 'cc81-layers': layers },
    rules: {
      'cc81-layers/layer-boundaries': ['error', { root: ROOT }],
    },
  },

  {
    name: 'cc81/domain-purity',
    files: ['src/domain/**/*.ts'],
    plugins: { cc81 },
    rules: {
      'cc81/domain-purity': ['error', { domainDir: DOMAIN_DIR }],
    },
  },
]);
