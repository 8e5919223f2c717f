/**
 * Proves `cc81-layers/layer-boundaries` (eslint/layer-boundaries.mjs) bites: one forbidden import per
 * layer pair, each linted as a file in that layer against the real eslint.config.mjs, and the imports
 * the architecture allows pass. The expected layers are written out here, not read from the rule.
 */
import path from 'node:path';
import { Job, lintAll, Message, repoRoot } from './lint-snippets';

const RULE_ID = 'cc81-layers/layer-boundaries';
const file = (rel: string): string => path.join(repoRoot, ...rel.split('/'));

// [file in a layer, import statement, fragment of the expected message]
const FORBIDDEN: Array<[string, string, string]> = [
  // application code (src/ outside domain and forge) stays below the handlers
  ['src/sweep/x.ts', "import { createPanelResolver } from '../forge/create-panel-resolver';", "application code may not import forge"],
  ['src/setup/x.ts', "import { kvsStore } from '../forge/kvs-store';", 'application code may not import forge'],
  ['src/evidence/x.ts', "export { adminResolver } from '../index';", 'application code may not import index'],
  ['src/panel/x.ts', "import { startSandbox } from '../../sandbox/start-sandbox';", 'application code may not import sandbox'],
  ['src/jira/x.ts', "import { runCli } from '../../cli/run-cli';", 'application code may not import cli'],
  ['src/policy/x.ts', "import { aChange } from '../../test/builders/change.builder';", 'application code may not import test'],
  ['src/shared/x.ts', "import { stats } from '../../bench/stats';", 'application code may not import bench'],
  ['src/ports/x.ts', "import api from '@forge/api';", "may not import '@forge/api'"],
  ['src/sweep/x.ts', "import { Queue } from '@forge/events';", "may not import '@forge/events'"],
  ['src/jira/x.ts', "const m = require('../forge/forge-transport');\nexport default m;", 'application code may not import forge'],
  ['src/panel/x.ts', "export const load = () => import('../forge/kvs-store');", 'application code may not import forge'],
  // the handlers never reach into the harness
  ['src/forge/x.ts', "import { startSandbox } from '../../sandbox/start-sandbox';", 'forge code may not import sandbox'],
  ['src/forge/x.ts', "import { runCli } from '../../cli/run-cli';", 'forge code may not import cli'],
  ['src/forge/x.ts', "import { x } from '../index';", 'forge code may not import index'],
  // src/index.ts re-exports handlers only
  ['src/index.ts', "export { STATES } from './domain';", 'index code may not import domain'],
  ['src/index.ts', "export { runPostHocSweep } from './sweep/sweep';", 'index code may not import application'],
  // the CLI is a client of src/, never of the sandbox or the handlers
  ['cli/x.ts', "import { createSandboxState } from '../sandbox/state/sandbox-state';", 'cli code may not import sandbox'],
  ['cli/x.ts', "import { kvsStore } from '../src/forge/kvs-store';", 'cli code may not import forge'],
  ['cli/x.ts', "import { adminResolver } from '../src';", 'cli code may not import index'],
  ['cli/x.ts', "import api from '@forge/api';", "may not import '@forge/api'"],
  ['cli/x.ts', "import { aChange } from '../test/builders/change.builder';", 'cli code may not import test'],
  // the sandbox runs the app, but not through src/index.ts, and never the CLI
  ['sandbox/x.ts', "import { runCli } from '../cli/run-cli';", 'sandbox code may not import cli'],
  ['sandbox/x.ts', "import { historyGate } from '../src/index';", 'sandbox code may not import index'],
  // nothing but a test imports a handler entry file (a module src/index.ts re-exports)
  ['sandbox/x.ts', "import { panelResolver } from '../src/forge/panel-resolver.handler';", 'Nothing may import the handler entry file'],
  ['src/forge/x.ts', "import { adminResolver } from './admin-resolver.handler';", 'Nothing may import the handler entry file'],
  ['bench/x.ts', "import { panelResolver } from '../src/forge/panel-resolver.handler';", 'Nothing may import the handler entry file'],
];

// [file, import statement]: what the architecture allows.
const ALLOWED: Array<[string, string]> = [
  ['src/sweep/x.ts', "import { STATES } from '../domain';"],
  ['src/sweep/x.ts', "import type { KeyValueStore } from '../ports/key-value-store';"],
  ['src/forge/x.ts', "import { runPostHocSweep } from '../sweep/sweep';"],
  ['src/forge/x.ts', "import api from '@forge/api';"],
  ['src/forge/x.ts', "import { createPanelResolver } from './create-panel-resolver';"],
  ['src/index.ts', "export { panelResolver } from './forge/panel-resolver.handler';"],
  ['cli/x.ts', "import { auditChange } from '../src/domain';"],
  ['cli/x.ts', "import { createJiraClient } from '../src/jira/jira-client';"],
  ['sandbox/x.ts', "import { createPanelResolver } from '../src/forge/create-panel-resolver';"],
  ['test/forge/x.test.ts', "import { panelResolver } from '../../src/forge/panel-resolver.handler';"],
  ['test/x.test.ts', "import * as handlers from '../src/index';"],
  ['bench/x.ts', "import { aChange } from '../test/builders/change.builder';"],
];

const key = ({ filePath, code }: Job): string => `${filePath}\n${code}`;
const results = new Map<string, Message[]>();
const ruleMessages = (rel: string, code: string): string[] => {
  const found = results.get(key({ filePath: file(rel), code }));
  if (!found) throw new Error(`snippet was not linted: ${code}`);
  expect(found.filter((m) => m.fatal || m.ruleId === null)).toEqual([]);
  return found.filter((m) => m.ruleId === RULE_ID).map((m) => m.message);
};

beforeAll(() => {
  const jobs: Job[] = [...FORBIDDEN, ...ALLOWED].map(([rel, code]) => ({ filePath: file(rel), code }));
  lintAll(jobs).forEach((messages, i) => results.set(key(jobs[i]!), messages));
}, 30_000);

describe('cc81-layers/layer-boundaries', () => {
  it.each(FORBIDDEN)('in %s reports %s', (rel, code, fragment) => {
    expect(ruleMessages(rel, code)).toEqual([expect.stringContaining(fragment)]);
  });

  it.each(ALLOWED)('in %s allows %s', (rel, code) => {
    expect(ruleMessages(rel, code)).toEqual([]);
  });

  it('says where the code belongs instead', () => {
    const [message] = ruleMessages('src/setup/x.ts', "import { kvsStore } from '../forge/kvs-store';");
    expect(message).toContain('move what you need below them');
  });
});
