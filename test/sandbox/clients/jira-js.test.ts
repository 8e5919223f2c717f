// Issue 17: the sandbox as a real Jira Cloud client sees it. jira.js (pinned in package.json), with
// its response schemas set to throw on any mismatch, runs a whole change: connect, read the site,
// create, read back with names, schema and rendered fields, search, transition, properties, comments.
import { startSandbox } from '../../../sandbox/start-sandbox';
import { runClient } from './run-client';

jest.setTimeout(90_000);

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
});
afterAll(async () => sandbox.close());

describe('jira.js 6.2 against the sandbox, schema validation on', () => {
  it('runs the whole flow with every response matching its schemas', async () => {
    const run = await runClient(process.execPath, 'jira-js-flow.mjs', sandbox.url);
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((l) => l.startsWith('jira.js flow failed') || l.includes('[jira.js]')) }).toEqual({ code: 0, stderr: [] });
    expect(run.seen).toMatchObject({
      deploymentType: 'Cloud',
      me: 'Rita Requester',
      project: 'CHG',
      statuses: 6,
      reporter: 'Rita Requester',
      namesHasSummary: true,
      status: 'Draft',
      searchCount: 1,
      searchNames: ['status', 'summary'],
      pagedHasToken: true,
      afterApprove: 'Approved',
      invalidTransition: 400,
      propertyKeys: expect.arrayContaining(['team.note']),
      property: { by: 'jira.js' },
      comments: 1,
    });
  });
});
