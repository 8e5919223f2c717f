/** The sandbox's issue panel host: sessions for jira:issuePanel, context from the server, invoke to the app's panel resolver. */
import { DEMO_USERS, demoUsers } from '../../../sandbox/demo/demo-users';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import { createForgeUiHandler } from '../../../sandbox/forge-ui';
import { createRouter } from '../../../sandbox/server';
import { createSandboxState, SandboxState } from '../../../sandbox/state/sandbox-state';
import { createWorkflowEngine } from '../../../sandbox/workflow';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../../../sandbox/workflow/workflow-port';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const quiet = () => undefined;
const basic = (email: string) => `Basic ${Buffer.from(`${email}:x`).toString('base64')}`;
const APPROVER = basic(DEMO_USERS.approver.emailAddress);

const request = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {}): RouterRequest => ({
  method,
  path,
  query: options.query ?? {},
  headers: { host: 'sandbox.test', ...options.headers },
  body: options.body,
});

const setup = () => {
  const state: SandboxState = createSandboxState(demoUsers());
  seedDemo(state, NOW);
  const workflow = createWorkflowEngine({ state, router: (): SandboxRouter => router, clock: () => NOW, log: quiet });
  const router = createRouter({ state, workflow, clock: () => NOW, log: quiet });
  let n = 0;
  const handler = createForgeUiHandler({ state, workflow, router: () => router, log: quiet, token: () => `token-${++n}`, clock: () => NOW });
  const call = async (req: RouterRequest): Promise<RouterResponse> => {
    const response = await handler(req);
    if (!response) throw new Error(`no answer for ${req.method} ${req.path}`);
    return response;
  };
  const key = (summary: string) => state.issues.find((i) => i.fields.summary === summary)!.key;
  return { state, call, key };
};

describe('sandbox issue panel host', () => {
  it('opens a jira:issuePanel session as the authenticated user; the context is built by the server, not the page', async () => {
    const s = setup();
    const issueKey = s.key('Self-approved: logging level change');
    expect((await s.call(request('POST', '/sandbox/forge/sessions', { body: { module: 'jira:issuePanel', issueKey } }))).status).toBe(401);
    expect((await s.call(request('POST', '/sandbox/forge/sessions', { headers: { authorization: APPROVER }, body: { module: 'jira:issuePanel', issueKey: 'CHG-99999' } }))).status).toBe(404);
    const opened = await s.call(
      request('POST', '/sandbox/forge/sessions', {
        headers: { authorization: APPROVER },
        body: { module: 'jira:issuePanel', issueKey, extension: { issue: { key: 'CHG-1' } }, accountId: 'someone-else' },
      }),
    );
    expect(opened.status).toBe(201);
    const { token, url } = opened.body as { token: string; url: string };
    expect(url).toBe(`/sandbox/custom-ui/issue-panel/index.html?session=${token}`);
    const context = (await s.call(request('GET', '/sandbox/forge/context', { query: { session: token } }))).body as Record<string, unknown>;
    expect(context).toMatchObject({
      accountId: DEMO_USERS.approver.accountId,
      moduleKey: 'cc81-issue-panel',
      extension: { type: 'jira:issuePanel', issue: { key: issueKey }, project: { key: 'CHG' } },
    });
  });

  it("routes invoke to the app's panel resolver for the session's issue and user, and refuses another module key", async () => {
    const s = setup();
    const issueKey = s.key('Self-approved: logging level change');
    const { token } = (await s.call(request('POST', '/sandbox/forge/sessions', { headers: { authorization: APPROVER }, body: { module: 'jira:issuePanel', issueKey } }))).body as { token: string };
    const invoke = (moduleKey: string) =>
      s.call(request('POST', '/sandbox/forge/invoke', { headers: { 'x-cc81-sandbox-session': token }, body: { moduleKey, functionKey: 'getPanel', payload: { issueKey: 'CHG-1' } } }));
    expect((await invoke('cc81-transition-validator')).status).toBe(400);
    const answer = await invoke('cc81-issue-panel');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, data: { status: 'ok', view: { issueKey, pairs: expect.arrayContaining([expect.objectContaining({ pair: 'approver-implementer', verdict: 'conflict' })]) } } });
  });

  it('leaves rule config sessions to the rule config routes', async () => {
    const s = setup();
    const opened = await s.call(request('POST', '/sandbox/forge/sessions', { headers: { authorization: APPROVER }, body: { transitionId: '21', kind: 'validator' } }));
    expect(opened.status).toBe(201);
    expect((opened.body as { url: string }).url).toMatch(/^\/sandbox\/custom-ui\/rule-config\//);
  });
});
