/** The two sites `startSandbox` can start: `demo` (default) and `bare` (`SANDBOX_SITE=bare`). */
import { defaultPolicy, FIELD_KEYS, STATES } from '../../src/domain';
import { loadPolicy } from '../../src/policy/policy-store';
import { DEMO_USERS, demoUsers } from '../../sandbox/demo/demo-users';
import { buildPageConfig } from '../../sandbox/pages/page-config';
import { createSandboxState, fieldOptions, optionId } from '../../sandbox/state/sandbox-state';
import { siteFromEnv, startSandbox } from '../../sandbox/start-sandbox';
import { slotOfAri } from '../../sandbox/workflow/app-modules';

jest.setTimeout(30_000);

const appRulesOf = (state: ReturnType<typeof createSandboxState>) =>
  state.workflow.transitions.flatMap((t) => [...(t.conditions?.conditions ?? []), ...(t.validators ?? []), ...(t.actions ?? [])]).filter((r) => slotOfAri(r.parameters?.key) !== null);

describe('the bare site', () => {
  const bare = createSandboxState(demoUsers(), {}, { site: 'bare' });

  it('is project CHG, company-managed, with issue type Change, the six statuses and only system fields', () => {
    expect(bare.project).toEqual({ id: '10000', key: 'CHG', name: 'Change Management' });
    expect(bare.projectStyle).toBe('classic');
    expect(bare.issueType).toEqual({ id: '10005', name: 'Change' });
    expect(bare.statuses.map((s) => s.name)).toEqual(STATES);
    expect(bare.fields.filter((f) => f.custom)).toEqual([]);
    expect(bare.fields.map((f) => f.id)).toEqual(expect.arrayContaining(['summary', 'description', 'reporter', 'status', 'labels']));
    expect(bare.fieldContexts).toEqual({});
    expect(bare.issues).toEqual([]);
    expect(bare.licensed).toBe(true);
  });

  it('has the lifecycle workflow without any app rule, the default policy, and nothing to store', () => {
    expect(bare.workflow.transitions.map((t) => t.type)).toEqual(['INITIAL', ...Array(16).fill('DIRECTED')]);
    expect(appRulesOf(bare)).toEqual([]);
    expect(bare.workflow.transitions.every((t) => (t.validators ?? []).length === 0 && (t.actions ?? []).length === 0 && (t.conditions?.conditions ?? []).length === 0)).toBe(true);
    expect(bare.policy).toEqual(defaultPolicy());
    expect(bare.initialStoredPolicy).toBeNull();
  });

  it('starts over HTTP with the demo users, no tickets and no stored policy; its screens offer only mapped system fields', async () => {
    const sandbox = await startSandbox({ port: 0, site: 'bare', triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
    try {
      expect(sandbox.state.users.map((u) => u.accountId)).toEqual(Object.values(DEMO_USERS).map((u) => u.accountId));
      expect(sandbox.state.issues).toEqual([]);
      expect(await sandbox.runtime.store.get('cc81:policy')).toBeUndefined();
      expect((await loadPolicy(sandbox.runtime.store)).version).toBe(0);
      const config = buildPageConfig(sandbox.state);
      expect(config.fields.map((f) => f.key).sort()).toEqual(['justification', 'requester', 'summary']);
      const res = await fetch(`${sandbox.url}/rest/api/3/search/jql`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${DEMO_USERS.compliance.emailAddress}:x`).toString('base64')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ jql: 'project = CHG' }),
      });
      expect(((await res.json()) as { issues: unknown[] }).issues).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});

describe('the demo site', () => {
  const demo = createSandboxState(demoUsers());

  it("has every CC8.1 field mapped, select options with the demo's stable ids, and the app's rules installed", () => {
    expect(FIELD_KEYS.every((key) => demo.policy.fields[key] !== undefined)).toBe(true);
    expect(fieldOptions(demo, demo.policy.fields.risk!).map((o) => [o.id, o.value])).toEqual([
      [optionId('risk', 'low'), 'Low'],
      [optionId('risk', 'medium'), 'Medium'],
      [optionId('risk', 'high'), 'High'],
    ]);
    expect(optionId('changeType', 'standard')).toBe('10100');
    expect(appRulesOf(demo).length).toBeGreaterThan(20);
    expect(demo.initialStoredPolicy).toBe(demo.policy);
    expect(demo.policy.scope).toEqual({ projectId: '10000', projectKey: 'CHG', issueTypeId: '10005', issueTypeName: 'Change' });
    expect(demo.workflow.version.versionNumber).toBe(2); // the bare document, then the app's install
  });

  it('starts with the demo tickets and its policy stored where the app reads it', async () => {
    const sandbox = await startSandbox({ port: 0, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
    try {
      expect(sandbox.state.site).toBe('demo');
      expect(sandbox.state.issues.length).toBeGreaterThan(20);
      expect((await loadPolicy(sandbox.runtime.store)).policy).toEqual(sandbox.state.policy);
    } finally {
      await sandbox.close();
    }
  });
});

describe('a field created later', () => {
  it('shows on the transition screens and the page options once the policy maps it, with its own option ids', () => {
    const bare = createSandboxState(demoUsers(), {}, { site: 'bare' });
    bare.fields.push({ id: 'customfield_10040', key: 'customfield_10040', name: 'Risk rating', custom: true, schema: { type: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:select', customId: 10040 } });
    bare.fieldContexts.customfield_10040 = [{ id: '10500', name: 'Default', description: '', projectIds: [], issueTypeIds: [], options: [{ id: '10400', value: 'Low', disabled: false }, { id: '10401', value: 'High', disabled: false }] }];
    expect(buildPageConfig(bare).screens.find((s) => s.edge === 'approve')!.fields).not.toContain('risk');
    bare.policy = { ...bare.policy, fields: { ...bare.policy.fields, risk: 'customfield_10040' } };
    const config = buildPageConfig(bare);
    expect(config.screens.find((s) => s.edge === 'approve')!.fields).toContain('risk');
    expect(config.fields.find((f) => f.key === 'risk')!.options).toEqual([
      { value: 'low', label: 'Low', id: '10400' },
      { value: 'high', label: 'High', id: '10401' },
    ]);
  });
});

describe('SANDBOX_SITE', () => {
  it.each([
    [undefined, 'demo'],
    ['', 'demo'],
    ['bare', 'bare'],
    [' demo ', 'demo'],
  ])('%j starts the %s site', (value, site) => {
    expect(siteFromEnv({ SANDBOX_SITE: value })).toBe(site);
  });

  it('refuses an unknown site, naming the choices', () => {
    expect(() => siteFromEnv({ SANDBOX_SITE: 'prod' })).toThrow(/demo, bare/);
  });
});
