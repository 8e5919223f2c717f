/**
 * Proves the lint setup bites: the local `cc81/domain-purity` rule (eslint/domain-purity.mjs) reports
 * impure code in src/domain and nowhere else, and test files may not contain focused/skipped tests.
 * Snippets are linted against the real eslint.config.mjs (./lint-snippets).
 */
import path from 'node:path';
import { lintAll, Message, Job, repoRoot } from './lint-snippets';

const RULE_ID = 'cc81/domain-purity';
const DOMAIN_FILE = path.join(repoRoot, 'src', 'domain', 'fake.ts');
const NESTED_DOMAIN_FILE = path.join(repoRoot, 'src', 'domain', 'sub', 'fake.ts');
const OUTSIDE_FILE = path.join(repoRoot, 'src', 'jira', 'x.ts');
const TEST_FILE = path.join(repoRoot, 'test', 'lint', 'fake.test.ts');

// [description, code, fragment of the expected cc81/domain-purity message]
const VIOLATIONS: Array<[string, string, string]> = [
  // --- imports of every kind whose source is not zod / date-fns / inside src/domain ---
  ['import of a Forge package', "import { storage } from '@forge/api';", "not '@forge/api'"],
  ['import of a Node built-in', "import { readFileSync } from 'node:fs';", "not 'node:fs'"],
  ['import of a look-alike package', "import { formatInTimeZone } from 'date-fns-tz';", "not 'date-fns-tz'"],
  ['import from a sibling layer', "import { getIssue } from '../jira/issues';", "not '../jira/issues'"],
  ['import escaping via the repo root', "import { resolver } from '../../src/forge/resolver';", "not '../../src/forge/resolver'"],
  ['import of a look-alike directory', "import { x } from './../domain-extra/x';", "not './../domain-extra/x'"],
  ['type-only import', "import type { Issue } from '../jira/types';", "not '../jira/types'"],
  ['side-effect import', "import '../forge/setup';", "not '../forge/setup'"],
  ['named re-export', "export { getIssue } from '../jira/issues';", "not '../jira/issues'"],
  ['star re-export', "export * from '../forge/index';", "not '../forge/index'"],
  ['require()', "const jira = require('../jira/issues');\nexport default jira;", "not '../jira/issues'"],
  ['dynamic import()', "export const load = () => import('../jira/issues');", "not '../jira/issues'"],
  ['dynamic import() with a computed specifier', 'export const load = (m: string) => import(m);', 'static string'],
  ['import = require()', "import fs = require('node:fs');\nexport default fs;", "not 'node:fs'"],
  ['import() type', "export type Issue = import('../jira/types').Issue;", "not '../jira/types'"],
  ['escape from a nested domain folder', "import { x } from '../../jira/x';", "not '../../jira/x'"],

  // --- reading the clock ---
  ['Date.now()', 'export const t = Date.now();', 'must take `now: Date` as an argument instead of reading the clock'],
  ['Date.now passed as a function', 'export const clock = Date.now;', 'instead of reading the clock'],
  ['new Date()', 'export const d = new Date();', 'instead of reading the clock'],
  ['new Date without parentheses', 'export const d = new Date;', 'instead of reading the clock'],
  ['Date() called as a function', 'export const s = Date();', 'instead of reading the clock'],
  ['performance.now()', 'export const t = performance.now();', 'instead of reading the clock'],

  // --- nondeterminism and I/O globals ---
  ['Math.random()', 'export const r = Math.random();', 'instead of calling `Math.random`'],
  ["Math['random']()", "export const r = Math['random']();", 'instead of calling `Math.random`'],
  ['process', 'export const tz = process.env.TZ;', 'global `process`'],
  ['fetch', "export const get = () => fetch('https://example.com');", 'global `fetch`'],
  ['setTimeout', 'setTimeout(() => undefined, 10);', 'global `setTimeout`'],
  ['setInterval', 'setInterval(() => undefined, 10);', 'global `setInterval`'],
  ['console', "console.log('transition');", 'global `console`'],
  ['require, even of an allowed module', "const zod = require('zod');\nexport default zod;", 'global `require`'],
  ['globalThis', 'export const g = globalThis;', 'global `globalThis`'],
];

// [description, code] — must produce no cc81/domain-purity message.
const ALLOWED: Array<[string, string]> = [
  ['zod', "import { z } from 'zod';\nexport const S = z.string();"],
  ['date-fns', "import { addHours } from 'date-fns';\nexport const f = (d: Date) => addHours(d, 1);"],
  ['date-fns subpath', "import { addHours } from 'date-fns/addHours';\nexport const f = (d: Date) => addHours(d, 1);"],
  ['sibling domain module', "import { x } from './lifecycle';\nexport const y = x;"],
  ['domain module via ../domain', "import { x } from '../domain/lifecycle';\nexport const y = x;"],
  ['type-only domain import', "import type { Policy } from './policy';\nexport type P = Policy;"],
  ['re-export from the domain', "export * from './states';\nexport { x } from './lifecycle';"],
  ['import() type inside the domain', "export type P = import('./policy').Policy;"],
  ['new Date(iso)', 'export const parse = (iso: string) => new Date(iso);'],
  ['new Date(0)', 'export const epoch = new Date(0);'],
  ['Date.UTC / Date.parse', 'export const t = Date.UTC(2024, 0, 1) + Date.parse("2024-01-01T00:00:00Z");'],
  ['now as an argument', 'export const age = (created: Date, now: Date) => now.getTime() - created.getTime();'],
  ['other Math functions', 'export const m = Math.max(1, Math.floor(2.5));'],
  ['a parameter shadowing a banned global', "export const log = (console: { log(m: string): void }) => console.log('x');"],
  ['a local shadowing Date', 'const Date = { now: () => 0 };\nexport const t = Date.now();'],
];

const NESTED_ALLOWED = "import { STATES } from '../states';\nexport const s = STATES;";
const OUTSIDE_SNIPPET = "import { getIssue } from '../jira/issues';\nexport const t = Date.now();\nconsole.log(getIssue, t);";

// [description, code, fragment of the expected message] for test files. The snippets are built
// from parts so that this file itself contains no focused or skipped test call.
const call = (callee: string, tail = "('x', () => undefined);") => `${callee}${tail}`;
const FOCUSED_OR_SKIPPED: Array<[string, string, string]> = [
  ['it.only', call(['it', 'only'].join('.')), '`.only` / `.skip`'],
  ['describe.skip', call(['describe', 'skip'].join('.')), '`.only` / `.skip`'],
  ['test.only.each', call(['test', 'only', 'each'].join('.'), "([1])('x %s', () => undefined);"), '`.only` / `.skip`'],
  ['xit', call('x' + 'it'), 'xit, xtest, xdescribe, fit or fdescribe'],
  ['fdescribe', call('f' + 'describe'), 'xit, xtest, xdescribe, fit or fdescribe'],
];

/** The one violation that needs a nested file: escaping src/domain from src/domain/sub. */
const domainFileFor = (description: string): string =>
  description.startsWith('escape from a nested') ? NESTED_DOMAIN_FILE : DOMAIN_FILE;

const key = ({ filePath, code }: Job): string => `${filePath}\n${code}`;
const results = new Map<string, Message[]>();
const messagesFor = (code: string, filePath: string): Message[] => {
  const found = results.get(key({ code, filePath }));
  if (!found) throw new Error(`snippet was not linted: ${code}`);
  return found;
};
const purityMessages = (messages: Message[]): string[] =>
  messages.filter((m) => m.ruleId === RULE_ID).map((m) => m.message);
const fatal = (messages: Message[]): Message[] => messages.filter((m) => m.fatal || m.ruleId === null);

beforeAll(() => {
  const jobs: Job[] = [
    ...VIOLATIONS.map(([description, code]) => ({ code, filePath: domainFileFor(description) })),
    ...ALLOWED.map(([, code]) => ({ code, filePath: DOMAIN_FILE })),
    { code: NESTED_ALLOWED, filePath: NESTED_DOMAIN_FILE },
    { code: OUTSIDE_SNIPPET, filePath: OUTSIDE_FILE },
    ...VIOLATIONS.map(([, code]) => ({ code, filePath: OUTSIDE_FILE })),
    ...FOCUSED_OR_SKIPPED.map(([, code]) => ({ code, filePath: TEST_FILE })),
    { code: "it('x', () => undefined);\ndescribe('y', () => undefined);\nit.todo('z');", filePath: TEST_FILE },
  ];
  const unique = [...new Map(jobs.map((job) => [key(job), job])).values()];
  lintAll(unique).forEach((messages, i) => results.set(key(unique[i]!), messages));
}, 30_000);

describe('cc81/domain-purity in src/domain', () => {
  it.each(VIOLATIONS)('reports %s', (description, code, fragment) => {
    const messages = messagesFor(code, domainFileFor(description));
    expect(fatal(messages)).toEqual([]);
    expect(purityMessages(messages)).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  });

  it.each(ALLOWED)('allows %s', (_description, code) => {
    const messages = messagesFor(code, DOMAIN_FILE);
    expect(fatal(messages)).toEqual([]);
    expect(purityMessages(messages)).toEqual([]);
  });

  it('allows a nested domain file to import from the domain root', () => {
    const messages = messagesFor(NESTED_ALLOWED, NESTED_DOMAIN_FILE);
    expect(fatal(messages)).toEqual([]);
    expect(purityMessages(messages)).toEqual([]);
  });

  it('says what to do instead', () => {
    const [clock] = purityMessages(messagesFor('export const t = Date.now();', DOMAIN_FILE));
    expect(clock).toBe('Domain code must take `now: Date` as an argument instead of reading the clock (found `Date.now`).');
    const [jira] = purityMessages(messagesFor("import { getIssue } from '../jira/issues';", DOMAIN_FILE));
    expect(jira).toContain('pass what the domain needs in as arguments');
  });
});

describe('cc81/domain-purity outside src/domain', () => {
  it('does not report the same banned import, clock read and global in src/jira', () => {
    const messages = messagesFor(OUTSIDE_SNIPPET, OUTSIDE_FILE);
    expect(fatal(messages)).toEqual([]);
    expect(purityMessages(messages)).toEqual([]);
  });

  it.each(VIOLATIONS)('does not report %s', (_description, code) => {
    expect(purityMessages(messagesFor(code, OUTSIDE_FILE))).toEqual([]);
  });
});

describe('focused and skipped tests', () => {
  it.each(FOCUSED_OR_SKIPPED)('reports %s in test/', (_description, code, fragment) => {
    const messages = messagesFor(code, TEST_FILE).filter((m) => m.ruleId?.startsWith('no-restricted-'));
    expect(messages.map((m) => m.message)).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  });

  it('allows plain it / describe / it.todo', () => {
    const messages = messagesFor("it('x', () => undefined);\ndescribe('y', () => undefined);\nit.todo('z');", TEST_FILE);
    expect(messages).toEqual([]);
  });
});
