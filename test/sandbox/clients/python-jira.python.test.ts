// Issue 17: the sandbox as Python's `jira` library sees it with its defaults (Debian's python3-jira
// 3.4.1: REST v2, server info on connect). It connects, reads and transitions a change, and its
// old-style search gets the 410 Jira Cloud gives. Run by `npm run test:python-client` (.ci/run
// installs python3-jira first); never skipped: without the library it fails, saying how to install it.
import { execFileSync } from 'node:child_process';
import { SEARCH_REMOVED } from '../../../sandbox/server/search-routes';
import { startSandbox } from '../../../sandbox/start-sandbox';
import { runClient } from './run-client';

jest.setTimeout(120_000);

const PYTHON = process.env.CC81_PYTHON ?? '/usr/bin/python3';

const pythonJiraVersion = (): string => {
  try {
    return execFileSync(PYTHON, ['-c', 'import jira; print(jira.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`Python's jira library is not installed for ${PYTHON}. Install Debian's package: apt-get install -y python3-jira (or set CC81_PYTHON to a python with jira installed).`);
  }
};

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
});
afterAll(async () => sandbox.close());

describe("python-jira's default JIRA(server, basic_auth) against the sandbox", () => {
  it('connects, reads issues, transitions them as two people, and gets the 410 for the removed search', async () => {
    expect(pythonJiraVersion()).toMatch(/^\d+\.\d+/);
    const run = await runClient(PYTHON, 'python_jira_flow.py', sandbox.url, 90_000);
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((l) => l.startsWith('python-jira flow failed')) }).toEqual({ code: 0, stderr: [] });
    expect(run.seen).toMatchObject({
      deploymentType: 'Cloud',
      me: 'Rita Requester',
      status: 'Draft',
      description: 'They expire next month',
      reporter: 'Rita Requester',
      transitionsForAda: expect.arrayContaining(['Approve']),
      afterApprove: 'Approved',
      comments: 1,
      oldSearch: 410,
      oldSearchText: expect.stringContaining(SEARCH_REMOVED),
    });
  });
});
