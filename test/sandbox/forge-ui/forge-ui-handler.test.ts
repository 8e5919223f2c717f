import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileEdge, RuleConfig } from '../../../src/domain/expression';
import { DEMO_USERS, demoUsers } from '../../../sandbox/demo/demo-users';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import { createForgeUiHandler, CUSTOM_UI_CSP } from '../../../sandbox/forge-ui';
import { createRouter } from '../../../sandbox/server';
import { createSandboxState, SandboxState } from '../../../sandbox/state/sandbox-state';
import { createWorkflowEngine } from '../../../sandbox/workflow';
import type { RouterRequest, RouterResponse, SandboxRouter } from '../../../sandbox/workflow/workflow-port';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const APPROVE = '21';
const quiet = () => undefined;

const basic = (email: string) => `Basic ${Buffer.from(`${email}:x`).toString('base64')}`;
const ADMIN = basic(DEMO_USERS.admin.emailAddress);
const APPROVER = basic(DEMO_USERS.approver.emailAddress);

const request = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {}): RouterRequest => ({
  method,
  path,
  query: options.query ?? {},
  headers: { host: 'sandbox.test', ...options.headers },
  body: options.body,
});

const setup = (options: { buildDir?: string } = {}) => {
  const state: SandboxState = createSandboxState(demoUsers());
  seedDemo(state, NOW);
  const workflow = createWorkflowEngine({ state, router: (): SandboxRouter => router, clock: () => NOW, log: quiet });
  const router = createRouter({ state, workflow, clock: () => NOW, log: quiet });
  let n = 0;
  const handler = createForgeUiHandler({ state, workflow, router: () => router, log: quiet, token: () => `token-${++n}`, ruleConfigBuildDir: options.buildDir });
  const call = async (req: RouterRequest): Promise<RouterResponse> => {
    const response = await handler(req);
    if (!response) throw new Error(`no answer for ${req.method} ${req.path}`);
    return response;
  };
  const openSession = async (authorization: string, body: Record<string, unknown> = { transitionId: APPROVE, kind: 'validator' }) => {
    const response = await call(request('POST', '/sandbox/forge/sessions', { headers: { authorization }, body }));
    expect(response.status).toBe(201);
    return (response.body as { token: string }).token;
  };
  const invoke = (token: string, functionKey: string, payload: unknown, moduleKey = 'cc81-transition-validator') =>
    call(request('POST', '/sandbox/forge/invoke', { headers: { 'x-cc81-sandbox-session': token }, body: { moduleKey, functionKey, payload } }));
  const saveConfig = (authorization: string, body: Record<string, unknown>) => call(request('POST', '/sandbox/forge/rule-config', { headers: { authorization }, body }));
  const approveRules = () => workflow.installedRules().find((r) => r.transitionId === APPROVE)!;
  return { state, workflow, router, handler, call, openSession, invoke, saveConfig, approveRules };
};

const configJson = (config: RuleConfig): string => JSON.stringify(config);

describe('Forge UI handler: sessions and context', () => {
  it('opens a session only for an authenticated user, and the context comes from it', async () => {
    const s = setup();
    expect((await s.call(request('POST', '/sandbox/forge/sessions', { body: { transitionId: APPROVE, kind: 'validator' } }))).status).toBe(401);
    const token = await s.openSession(APPROVER);
    const context = await s.call(request('GET', '/sandbox/forge/context', { query: { session: token } }));
    expect(context.status).toBe(200);
    expect(context.body).toMatchObject({
      accountId: DEMO_USERS.approver.accountId,
      moduleKey: 'cc81-transition-validator',
      extension: {
        type: 'jira:workflowValidator',
        entryPoint: 'edit',
        validatorConfig: expect.any(String),
        transition: { id: APPROVE, name: 'Approve', from: { name: 'Assessment' }, to: { name: 'Approved' } },
      },
    });
    const saved = JSON.parse((context.body as { extension: { validatorConfig: string } }).extension.validatorConfig) as RuleConfig;
    expect(saved).toMatchObject({ edge: 'approve', kind: 'validator', part: 1 });
  });

  it('a condition session: conditionConfig, and create when nothing is saved for that part', async () => {
    const s = setup();
    const token = await s.openSession(ADMIN, { transitionId: APPROVE, kind: 'condition', part: 2 });
    const context = (await s.call(request('GET', '/sandbox/forge/context', { headers: { 'x-cc81-sandbox-session': token } }))).body as { extension: Record<string, unknown> };
    expect(context.extension).toMatchObject({ type: 'jira:workflowCondition', entryPoint: 'create' });
    expect(context.extension).not.toHaveProperty('conditionConfig');
  });

  it('refuses unknown transitions, bad kinds, and unknown or missing sessions', async () => {
    const s = setup();
    expect((await s.call(request('POST', '/sandbox/forge/sessions', { headers: { authorization: ADMIN }, body: { transitionId: '999', kind: 'validator' } }))).status).toBe(404);
    expect((await s.call(request('POST', '/sandbox/forge/sessions', { headers: { authorization: ADMIN }, body: { transitionId: APPROVE, kind: 'postFunction' } }))).status).toBe(400);
    expect((await s.call(request('GET', '/sandbox/forge/context', { query: { session: 'nope' } }))).status).toBe(401);
    expect((await s.call(request('GET', '/sandbox/forge/context'))).status).toBe(401);
    expect((await s.invoke('nope', 'getRuleOptions', {})).status).toBe(401);
  });
});

describe('Forge UI handler: invoke runs the real rule config resolver', () => {
  it("answers an admin's getRuleOptions and compileRule as the resolver does", async () => {
    const s = setup();
    const token = await s.openSession(ADMIN);
    const options = await s.invoke(token, 'getRuleOptions', {});
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({ ok: true, data: { kind: 'validator', policyVersion: s.state.policy.version } });
    const compiled = await s.invoke(token, 'compileRule', { edge: 'approve', part: 2 });
    expect(compiled.body).toMatchObject({ ok: true, data: { edge: 'approve', kind: 'validator', part: 2, parts: 3 } });
  });

  it('takes the acting user from the session, never the payload: a non-admin gets FORBIDDEN', async () => {
    const s = setup();
    const token = await s.openSession(APPROVER);
    const spoofed = { edge: 'approve', part: 1, accountId: DEMO_USERS.admin.accountId, context: { accountId: DEMO_USERS.admin.accountId } };
    const answer = await s.invoke(token, 'compileRule', spoofed);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('Only Jira admins') } });
  });

  it("takes the rule kind from the session's module: another module key is refused", async () => {
    const s = setup();
    const token = await s.openSession(ADMIN);
    expect((await s.invoke(token, 'getRuleOptions', {}, 'cc81-transition-condition')).status).toBe(400);
  });

  it('an unknown resolver function is a 404 naming it', async () => {
    const s = setup();
    const token = await s.openSession(ADMIN);
    const answer = await s.invoke(token, 'dropTables', {});
    expect(answer).toMatchObject({ status: 404, body: { errorMessages: [expect.stringContaining("'dropTables'")] } });
  });

  it('requestJira: REST as the session user', async () => {
    const s = setup();
    const token = await s.openSession(APPROVER);
    const me = await s.call(request('GET', '/sandbox/forge/jira/rest/api/3/myself', { headers: { 'x-cc81-sandbox-session': token } }));
    expect(me).toMatchObject({ status: 200, body: { accountId: DEMO_USERS.approver.accountId } });
  });
});

describe('Forge UI handler: saving a rule config installs it in the engine', () => {
  const custom = (expression: string, part = 1): RuleConfig => ({ edge: 'approve', kind: 'validator', part, parts: 2, expression, policyVersion: 1 });

  it('only Jira admins may save', async () => {
    const s = setup();
    const answer = await s.saveConfig(APPROVER, { transitionId: APPROVE, kind: 'validator', config: configJson(custom('true')) });
    expect(answer.status).toBe(403);
    expect((await s.saveConfig('', { transitionId: APPROVE, kind: 'validator', config: configJson(custom('true')) })).status).toBe(401);
  });

  it.each([
    ['not JSON', '{edge:'],
    ['not a rule config', JSON.stringify({ edge: 'approve', kind: 'validator', part: 0, parts: 1, expression: '', policyVersion: 1 })],
    ['an unknown edge', JSON.stringify({ edge: 'teleport', kind: 'validator', part: 1, parts: 1, expression: 'true', policyVersion: 1 })],
  ])('rejects a saved config that is %s, and installs nothing', async (_, config) => {
    const s = setup();
    const before = JSON.stringify(s.workflow.installedRules());
    const answer = await s.saveConfig(ADMIN, { transitionId: APPROVE, kind: 'validator', config });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(s.workflow.installedRules())).toBe(before);
  });

  it('rejects an object instead of the string onConfigure returned, a kind mismatch, and an unknown transition', async () => {
    const s = setup();
    expect((await s.saveConfig(ADMIN, { transitionId: APPROVE, kind: 'validator', config: custom('true') })).status).toBe(400);
    expect((await s.saveConfig(ADMIN, { transitionId: APPROVE, kind: 'condition', config: configJson(custom('true')) })).status).toBe(400);
    expect((await s.saveConfig(ADMIN, { transitionId: '999', kind: 'validator', config: configJson(custom('true')) })).status).toBe(404);
  });

  it('a custom expression replaces that part only, and the engine enforces it', async () => {
    const s = setup();
    const part2 = s.approveRules().validators[1]!;
    const answer = await s.saveConfig(ADMIN, { transitionId: APPROVE, kind: 'validator', config: configJson(custom('"Blocked by the saved CC8.1 config."')) });
    expect(answer.status).toBe(200);
    const validators = s.approveRules().validators;
    expect(validators).toHaveLength(3);
    expect(validators[0]).toMatchObject({ part: 1, source: 'saved', expression: '"Blocked by the saved CC8.1 config."', checks: [] });
    expect(validators[1]).toEqual(part2);

    const issue = s.state.issues.find((i) => i.fields.summary === 'Tune JVM heap for search nodes')!; // in Assessment
    const approver = s.state.users.find((u) => u.accountId === DEMO_USERS.approver.accountId)!;
    const outcome = await s.workflow.transition(issue, APPROVE, approver, {});
    expect(outcome).toMatchObject({ ok: false, status: 400, body: { errorMessages: expect.arrayContaining(['Blocked by the saved CC8.1 config.']) } });
  });

  it('a config compiled for another policy version: its expression and version are installed, with a warning', async () => {
    const s = setup();
    // Policy v2: only high-risk changes need a CAB reference (the default also asks it of medium).
    const next = { ...s.state.policy, version: s.state.policy.version + 1, cab: { ...s.state.policy.cab, requiredForRisks: ['high' as const] } };
    const compiled = compileEdge(next, 'approve', 'validator');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const rule = compiled.rules.find((r) => r.checks.includes('CAB reference when the risk needs a CAB'))!;
    const config: RuleConfig = { edge: 'approve', kind: 'validator', part: rule.part, parts: rule.parts, expression: rule.expression, policyVersion: next.version };
    const before = s.approveRules().validators[rule.part - 1]!.expression;
    expect(rule.expression).not.toBe(before);
    const answer = await s.saveConfig(ADMIN, { transitionId: APPROVE, kind: 'validator', config: configJson(config) });
    expect(answer.status).toBe(200);
    expect((answer.body as { warnings: string[] }).warnings).toEqual([expect.stringContaining(`policy version ${next.version}`)]);
    expect(s.approveRules().validators[rule.part - 1]).toMatchObject({ expression: rule.expression, config: { policyVersion: next.version }, source: 'saved' });
  });

  it('installing on another transition than the config guards works, as in Jira, with a warning', async () => {
    const s = setup();
    const answer = await s.saveConfig(ADMIN, { transitionId: '11', kind: 'validator', config: configJson(custom('true')) });
    expect(answer.status).toBe(200);
    expect((answer.body as { warnings: string[] }).warnings[0]).toMatch(/guards the approve step/);
  });
});

describe('Forge UI handler: the Custom UI build and the admin routes', () => {
  it('serves the build with content types and a CSP that allows framing by the sandbox only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc81-build-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./assets/a.js"></script>');
    writeFileSync(join(dir, 'assets', 'a.js'), 'export {};');
    writeFileSync(join(dir, 'assets', 'a.css'), 'body{}');
    const s = setup({ buildDir: dir });
    const html = await s.call(request('GET', '/sandbox/custom-ui/rule-config/index.html'));
    expect(html).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CUSTOM_UI_CSP } });
    expect(CUSTOM_UI_CSP).toContain("frame-ancestors 'self'");
    expect(await s.call(request('GET', '/sandbox/custom-ui/rule-config/'))).toMatchObject({ status: 200, body: expect.stringContaining('<!doctype html>') });
    expect(await s.call(request('GET', '/sandbox/custom-ui/rule-config/assets/a.js'))).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
    expect(await s.call(request('GET', '/sandbox/custom-ui/rule-config/assets/a.css'))).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/css; charset=utf-8' } });
    expect((await s.call(request('GET', '/sandbox/custom-ui/rule-config/../../../package.json'))).status).toBe(404);
    expect((await s.call(request('GET', '/sandbox/custom-ui/rule-config/assets/missing.js'))).status).toBe(404);
  });

  it('says how to build the page when the build is missing', async () => {
    const s = setup({ buildDir: join(tmpdir(), 'cc81-no-such-build') });
    const answer = await s.call(request('GET', '/sandbox/custom-ui/rule-config/index.html'));
    expect(answer).toMatchObject({ status: 503, body: expect.stringContaining('vite build --config static/rule-config/vite.sandbox.config.mts') });
  });

  it('POST /sandbox/admin/triggers/posthoc-sweep runs the handler and counts invocations', async () => {
    const s = setup();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const first = await s.call(request('POST', '/sandbox/admin/triggers/posthoc-sweep'));
      expect(first).toMatchObject({ status: 200, body: { result: { statusCode: 204 }, invocations: 1 } });
      const second = await s.call(request('POST', '/sandbox/admin/triggers/posthoc-sweep'));
      expect(second.body).toMatchObject({ invocations: 2, invocation: { function: 'posthoc-sweep', moduleKey: 'cc81-posthoc-sweep', validResponse: true } });
      expect((await s.call(request('GET', '/sandbox/admin/triggers'))).body).toMatchObject({
        invocations: [expect.anything(), expect.anything()],
        lastSweepRun: expect.objectContaining({ scanned: expect.any(Number) }),
      });
      expect((await s.call(request('POST', '/sandbox/admin/triggers/nope'))).status).toBe(404);
      expect((await s.call(request('GET', '/sandbox/admin/triggers/posthoc-sweep'))).status).toBe(405);
    } finally {
      log.mockRestore();
    }
  });

  it('falls through (null) for everything else', async () => {
    const s = setup();
    await expect(s.handler(request('GET', '/rest/api/3/myself'))).resolves.toBeNull();
    await expect(s.handler(request('GET', '/sandbox/admin/faults'))).resolves.toBeNull();
    await expect(s.handler(request('GET', '/sandbox/rules'))).resolves.toBeNull();
  });
});
