/** The sandbox's admin page host: jira:adminPage sessions for Jira admins only, context from the server, invoke to the app's admin resolver. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminStateSchema } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { DEMO_USERS, demoUsers } from '../../../sandbox/demo/demo-users';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import { createForgeUiHandler, type AdminResolverFunction, type ForgeUiHandlerOptions } from '../../../sandbox/forge-ui';
import { createPagesHandler } from '../../../sandbox/pages';
import { createRouter } from '../../../sandbox/server';
import { createSandboxState, SandboxState } from '../../../sandbox/state/sandbox-state';
import { createWorkflowEngine } from '../../../sandbox/workflow';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../../../sandbox/workflow/workflow-port';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const quiet = () => undefined;
const basic = (email: string) => `Basic ${Buffer.from(`${email}:x`).toString('base64')}`;
const ADMIN = basic(DEMO_USERS.admin.emailAddress);
const APPROVER = basic(DEMO_USERS.approver.emailAddress);
const SESSION = 'x-cc81-sandbox-session';

const request = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {}): RouterRequest => ({
  method,
  path,
  query: options.query ?? {},
  headers: { host: 'sandbox.test', ...options.headers },
  body: options.body,
});

const setup = (extra: Partial<ForgeUiHandlerOptions> = {}) => {
  const state: SandboxState = createSandboxState(demoUsers());
  seedDemo(state, NOW);
  const workflow = createWorkflowEngine({ state, router: (): SandboxRouter => router, clock: () => NOW, log: quiet });
  const router = createRouter({ state, workflow, clock: () => NOW, log: quiet });
  let n = 0;
  const handler = createForgeUiHandler({ state, workflow, router: () => router, log: quiet, token: () => `token-${++n}`, clock: () => NOW, ...extra });
  const call = async (req: RouterRequest): Promise<RouterResponse> => {
    const response = await handler(req);
    if (!response) throw new Error(`no answer for ${req.method} ${req.path}`);
    return response;
  };
  const open = async (authorization = ADMIN, body: Record<string, unknown> = {}) => call(request('POST', '/sandbox/forge/sessions', { headers: { authorization }, body: { module: 'jira:adminPage', ...body } }));
  const invoke = (token: string, functionKey: string, payload: unknown = {}, moduleKey = 'cc81-admin-page') =>
    call(request('POST', '/sandbox/forge/invoke', { headers: { [SESSION]: token }, body: { moduleKey, functionKey, payload } }));
  return { state, call, open, invoke };
};

/** A fake admin resolver that records what Forge would hand it. */
const recordingResolver = () => {
  const calls: { user: string; args: Parameters<AdminResolverFunction> }[] = [];
  const adminResolverFor = (user: { accountId: string }): AdminResolverFunction => async (...args) => {
    calls.push({ user: user.accountId, args });
    if (args[0].call.functionKey === 'explode') throw new Error('boom');
    return { ok: true, data: { echo: args[0].call.functionKey } };
  };
  return { calls, adminResolverFor };
};

describe('sandbox admin page host', () => {
  it('opens a session only for a Jira admin: 401 without auth, 403 for anyone else', async () => {
    const s = setup();
    expect((await s.call(request('POST', '/sandbox/forge/sessions', { body: { module: 'jira:adminPage' } }))).status).toBe(401);
    const refused = await s.open(APPROVER);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('Only Jira admins');
    const opened = await s.open();
    expect(opened.status).toBe(201);
    const { token, url } = opened.body as { token: string; url: string };
    expect(url).toBe(`/sandbox/custom-ui/admin-page/index.html?session=${token}`);
  });

  it('builds the context on the server from the session and the sandbox license, whatever the page sent', async () => {
    const s = setup();
    const { token } = (await s.open(ADMIN, { accountId: 'someone-else', license: { isActive: true }, extension: { type: 'jira:issuePanel' } })).body as { token: string };
    const context = async () => (await s.call(request('GET', '/sandbox/forge/context', { query: { session: token } }))).body as Record<string, unknown>;
    expect(await context()).toMatchObject({ accountId: DEMO_USERS.admin.accountId, moduleKey: 'cc81-admin-page', license: { isActive: true }, extension: { type: 'jira:adminPage' } });
    s.state.licensed = false;
    expect((await context()).license).toEqual({ isActive: false });
  });

  it("invokes the admin resolver as the session's user with Forge's backend payload, and refuses another module", async () => {
    const fake = recordingResolver();
    const s = setup({ adminResolverFor: fake.adminResolverFor });
    const { token } = (await s.open()).body as { token: string };
    s.state.licensed = false;
    expect((await s.invoke(token, 'getAdminState', {}, 'cc81-issue-panel')).status).toBe(400);
    const answer = await s.invoke(token, RESOLVER_KEYS.admin.savePolicy, { policy: {}, baseVersion: 2, accountId: 'someone-else' });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, data: { echo: 'savePolicy' } } });
    expect(fake.calls).toHaveLength(1);
    const [payload, backend] = fake.calls[0]!.args;
    expect(fake.calls[0]!.user).toBe(DEMO_USERS.admin.accountId);
    expect(payload.call).toEqual({ functionKey: 'savePolicy', payload: { policy: {}, baseVersion: 2, accountId: 'someone-else' } });
    expect(payload.context).toMatchObject({ accountId: DEMO_USERS.admin.accountId, moduleKey: 'cc81-admin-page' });
    expect(backend).toMatchObject({ principal: { accountId: DEMO_USERS.admin.accountId }, license: { isActive: false } });
    expect((await s.invoke(token, 'explode')).status).toBe(500);
  });

  it('refuses a session whose user is no longer an admin, and an unknown or expired token', async () => {
    const fake = recordingResolver();
    const s = setup({ adminResolverFor: fake.adminResolverFor });
    const { token } = (await s.open()).body as { token: string };
    const admin = s.state.users.find((u) => u.accountId === DEMO_USERS.admin.accountId)!;
    admin.groups = admin.groups.filter((g) => g !== 'jira-administrators');
    expect((await s.invoke(token, 'getAdminState')).status).toBe(403);
    expect((await s.call(request('GET', '/sandbox/forge/context', { query: { session: token } }))).status).toBe(403);
    admin.active = false;
    expect((await s.invoke(token, 'getAdminState')).status).toBe(401);
    expect(fake.calls).toHaveLength(0);
    // Not an admin session at all: the rule config routes answer (and know no such session either).
    expect((await s.invoke('no-such-token', 'getAdminState')).status).toBe(401);
  });

  it("reaches the app's real admin resolver over the sandbox runtime by default", async () => {
    const s = setup();
    const { token } = (await s.open()).body as { token: string };
    const answer = await s.invoke(token, RESOLVER_KEYS.admin.getAdminState);
    expect(answer.status).toBe(200);
    const body = answer.body as { ok: boolean; data?: unknown; error?: unknown };
    expect(body.error).toBeUndefined();
    expect(body.ok).toBe(true);
    const parsed = AdminStateSchema.safeParse(body.data);
    expect(parsed.success).toBe(true);
    if (parsed.success) expect(parsed.data.site.projects.map((p) => p.key)).toContain(s.state.project.key);
    expect((await s.invoke(token, 'noSuchResolver')).status).toBe(404);
  });

  it("serves the page's sandbox build, says how to build it when missing, and never leaves the build folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc81-admin-build-'));
    const missing = setup({ adminPageBuildDir: join(dir, 'none') });
    const absent = await missing.call(request('GET', '/sandbox/custom-ui/admin-page/index.html'));
    expect(absent.status).toBe(503);
    expect(String(absent.body)).toContain('vite build --config static/admin-page/vite.sandbox.config.mts');
    mkdirSync(join(dir, 'build', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'build', 'index.html'), '<!doctype html><title>admin</title>');
    writeFileSync(join(dir, 'secret.txt'), 'no');
    const s = setup({ adminPageBuildDir: join(dir, 'build') });
    const page = await s.call(request('GET', '/sandbox/custom-ui/admin-page/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers?.['Content-Security-Policy']).toContain("frame-ancestors 'self'");
    expect((await s.call(request('GET', '/sandbox/custom-ui/admin-page/..%2Fsecret.txt'))).status).toBe(404);
  });

  it('has a /sandbox/admin page (Jira settings → Apps), linked from every sandbox page, that asks for the admin page session', async () => {
    const s = setup();
    const pages = createPagesHandler({ state: s.state, rules: () => [] });
    const get = async (path: string) => String((await pages(request('GET', path)))?.body ?? '');
    const admin = await get('/sandbox/admin');
    expect(admin).toContain('<a href="/sandbox/admin" aria-current="page">Jira settings → Apps → CC8.1 Change Control</a>');
    expect(admin).toContain('"module":"jira:adminPage"');
    expect(admin).toContain('<script src="/sandbox/assets/sandbox-admin.js" defer></script>');
    for (const path of ['/', '/sandbox/rules']) expect(await get(path)).toContain('<a href="/sandbox/admin">Jira settings → Apps → CC8.1 Change Control</a>');
    expect(await get('/sandbox/assets/sandbox-admin.js')).toContain("setStatus('', 'admin-page-status', false)");
  });
});
