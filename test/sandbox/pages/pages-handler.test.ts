import { DEMO_USERS, demoUsers } from '../../../sandbox/demo/demo-users';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import { createPagesHandler, PageConfig, PAGE_PATHS } from '../../../sandbox/pages';
import { renderAppPage } from '../../../sandbox/pages/app-page';
import { createSandboxState, SandboxState } from '../../../sandbox/state/sandbox-state';
import type { RouterRequest, RouterResponse } from '../../../sandbox/workflow/workflow-port';
import { MALICIOUS_SUMMARY } from './fake-jira-api';

const NOW = new Date('2026-11-23T12:00:00.000Z');

const seeded = (policy: Record<string, unknown> = {}): SandboxState => {
  const state = createSandboxState(demoUsers(), policy);
  seedDemo(state, NOW);
  return state;
};

const get = (path: string, method = 'GET'): RouterRequest => ({ method, path, query: {}, headers: {}, body: undefined });

const contentType = (response: RouterResponse | null): string | undefined => response?.headers['Content-Type'];

/** The config the page hands its script, read back from the HTML. */
const configOf = (html: string): PageConfig => {
  const json = /<script type="application\/json" id="cc81-config">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('no config block');
  return JSON.parse(json) as PageConfig;
};

const MALICIOUS_NAME = '"><img src=x onerror=alert(1)></script><script>alert(2)</script>';

describe('sandbox pages handler', () => {
  const state = seeded();
  const rules = [
    {
      transitionId: '21',
      transitionName: 'Approve',
      from: { id: '10001', name: 'Assessment' },
      to: { id: '10002', name: 'Approved' },
      validators: [{ module: 'cc81-transition-validator', expression: "issue.customfield_10053 != null ? true : 'Fill in Test plan to Approve.'", expensiveOps: 1 }],
      postFunctions: [],
    },
  ];
  const handler = createPagesHandler({ state, rules: () => rules });

  describe('GET /', () => {
    it('serves the single page as HTML with a strict CSP, loading only its own script and stylesheet', async () => {
      const response = await handler(get('/'));
      expect(response).toMatchObject({ status: 200 });
      expect(contentType(response)).toBe('text/html; charset=utf-8');
      expect(response!.headers['Content-Security-Policy']).toContain("script-src 'self'");
      expect(response!.headers['X-Content-Type-Options']).toBe('nosniff');
      const html = response!.body as string;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('<h1 class="brand" data-testid="app-title">CC8.1 sandbox</h1>');
      expect(html).toContain('<label for="user-switcher">Acting as</label>');
      expect(html).toContain('<div id="transition-error" class="banner banner-error" role="alert" data-testid="transition-error" hidden></div>');
      expect(html).toContain(`<script src="${PAGE_PATHS.script}" defer></script>`);
      expect(html).toContain(`<link rel="stylesheet" href="${PAGE_PATHS.style}">`);
      expect(html).not.toMatch(/<script>|\sstyle="|\son[a-z]+=/); // no inline script, style or handlers
    });

    it('tells the script the policy field mapping, option ids and each transition screen', async () => {
      const config = configOf((await handler(get('/')))!.body as string);
      expect(config).toMatchObject({ projectKey: 'CHG', jql: 'project = CHG ORDER BY key ASC', evidenceProperty: 'cc81.evidence' });
      const byKey = Object.fromEntries(config.fields.map((f) => [f.key, f]));
      expect(byKey.justification).toEqual({ key: 'justification', label: 'Justification', type: 'richtext', fieldId: 'description' });
      expect(byKey.testPlan).toMatchObject({ label: 'Test plan', type: 'richtext', fieldId: state.policy.fields.testPlan });
      expect(byKey.risk!.options).toEqual([
        { value: 'low', label: 'Low', id: '10200' },
        { value: 'medium', label: 'Medium', id: '10201' },
        { value: 'high', label: 'High', id: '10202' },
      ]);
      const approve = config.screens.find((s) => s.edge === 'approve');
      expect(approve).toEqual({
        edge: 'approve',
        name: 'Approve',
        from: 'Assessment',
        to: 'Approved',
        fields: ['risk', 'implementer', 'approver', 'cabReference', 'testPlan', 'rollbackPlan'],
        required: ['risk', 'implementer', 'approver', 'testPlan', 'rollbackPlan'],
      });
      expect(config.screens.find((s) => s.edge === 'schedule')?.fields).toEqual(['windowStart', 'windowEnd', 'recurringWindow']);
      expect(config.screens.find((s) => s.edge === 'sendBack')?.fields).toEqual([]);
    });

    it('puts fields the policy adds to a step on its screen', async () => {
      const custom = createPagesHandler({ state: seeded({ additionalRequiredFields: { schedule: ['testPlan'] } }) });
      const config = configOf((await custom(get('/')))!.body as string);
      expect(config.screens.find((s) => s.edge === 'schedule')).toMatchObject({
        fields: ['windowStart', 'windowEnd', 'recurringWindow', 'testPlan'],
        required: ['testPlan'],
      });
    });
  });

  it('serves the client script and stylesheet with their content types', async () => {
    const script = await handler(get(PAGE_PATHS.script));
    expect(script).toMatchObject({ status: 200 });
    expect(contentType(script)).toBe('text/javascript; charset=utf-8');
    expect(script!.body as string).toContain('Cc81SandboxHelpers');
    const style = await handler(get(PAGE_PATHS.style));
    expect(contentType(style)).toBe('text/css; charset=utf-8');
    expect(style!.body as string).toContain('.lozenge');
  });

  it('lists the demo users for the switcher, without auth, with their demo role', async () => {
    const response = await handler(get('/sandbox/api/users'));
    expect(response).toMatchObject({ status: 200 });
    expect(contentType(response)).toBe('application/json; charset=utf-8');
    const users = response!.body as Record<string, unknown>[];
    expect(users).toHaveLength(Object.keys(DEMO_USERS).length);
    expect(users[0]).toEqual({
      accountId: DEMO_USERS.requester.accountId,
      displayName: 'Rita Requester',
      emailAddress: 'rita.requester@example.com',
      groups: ['jira-users'],
      active: true,
      role: 'requester',
    });
    expect(users.find((u) => u.role === 'former')).toMatchObject({ displayName: 'Former user', active: false });
    expect(users.find((u) => u.role === 'cab')).toMatchObject({ groups: ['jira-users', 'cab-members', 'change-verifiers'] });
  });

  describe('rules', () => {
    it('renders the installed rules per transition as HTML, expressions as code', async () => {
      const response = await handler(get('/sandbox/rules'));
      expect(response).toMatchObject({ status: 200 });
      expect(contentType(response)).toBe('text/html; charset=utf-8');
      const html = response!.body as string;
      expect(html).toContain('<h1 data-testid="rules-title">Installed CC8.1 rules</h1>');
      expect(html).toContain('Approve <span class="muted small">Assessment → Approved · transition 21</span>');
      expect(html).toContain('<pre class="code"><code>issue.customfield_10053 != null ? true : &#39;Fill in Test plan to Approve.&#39;</code></pre>');
      expect(html).toContain('<dt>expensiveOps</dt><dd><code>1</code></dd>');
    });

    it('serves the same data as JSON', async () => {
      const response = await handler(get('/sandbox/api/rules'));
      expect(response).toEqual({ status: 200, headers: expect.objectContaining({ 'Content-Type': 'application/json; charset=utf-8' }), body: rules });
    });

    it('says so when no rules source was given, or when it fails', async () => {
      const none = createPagesHandler({ state });
      expect(await none(get('/sandbox/rules'))).toMatchObject({ status: 200, body: expect.stringContaining('started without a rules source') });
      expect(await none(get('/sandbox/api/rules'))).toMatchObject({ status: 404, body: { errorMessages: ['No rules source is configured in this sandbox.'], errors: {} } });
      const failing = createPagesHandler({
        state,
        rules: () => {
          throw new Error('compile <b>failed</b>');
        },
      });
      const page = await failing(get('/sandbox/rules'));
      expect(page).toMatchObject({ status: 500 });
      expect(page!.body as string).toContain('Reading the installed rules failed: compile &lt;b&gt;failed&lt;/b&gt;');
      expect(await failing(get('/sandbox/api/rules'))).toMatchObject({ status: 500, body: { errorMessages: ['compile <b>failed</b>'] } });
    });
  });

  describe('escaping', () => {
    it('never puts issue data into the page: summaries reach the browser only over REST, as text', async () => {
      const evil = seeded();
      evil.issues[0]!.fields.summary = MALICIOUS_SUMMARY;
      evil.users[0]!.displayName = MALICIOUS_NAME;
      const html = (await createPagesHandler({ state: evil })(get('/')))!.body as string;
      expect(html).not.toContain('<img');
      expect(html).not.toContain('onerror');
      expect(html).not.toContain('data-pwned');
    });

    it('escapes rule data on the rules page', async () => {
      const evil = createPagesHandler({
        state,
        rules: () => [{ transitionName: MALICIOUS_SUMMARY, from: { name: MALICIOUS_NAME }, to: { name: 'x' }, [MALICIOUS_NAME]: [MALICIOUS_SUMMARY], expression: MALICIOUS_NAME }],
      });
      const html = (await evil(get('/sandbox/rules')))!.body as string;
      expect(html).not.toMatch(/<img|<script>|<\/script><script>/);
      expect(html).toContain('&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&quot;&gt;');
      expect(html).toContain('<dt>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</dt>');
    });

    it('writes the page config so no value can close its script element', () => {
      const html = renderAppPage({ projectKey: MALICIOUS_NAME, jql: `project = "${MALICIOUS_NAME}"`, evidenceProperty: 'cc81.evidence', fields: [], screens: [] });
      expect(html).not.toContain('</script><script>alert(2)');
      expect(html).not.toContain('<img');
      expect(configOf(html).projectKey).toBe(MALICIOUS_NAME);
      expect(html).toContain('(&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;)');
    });
  });

  it.each([
    ['GET', '/rest/api/3/field'],
    ['GET', '/rest/api/3/issue/CHG-1'],
    ['POST', '/rest/api/3/search/jql'],
    ['POST', '/'],
    ['PUT', '/sandbox/api/users'],
    ['GET', '/index.html'],
    ['GET', '/sandbox/rules/extra'],
    ['GET', '/sandbox/assets/other.js'],
    ['GET', '/sandbox/assets/../pages-handler.ts'],
  ])('answers null for %s %s, so the server falls through to the REST router', async (method, path) => {
    await expect(handler(get(path, method))).resolves.toBeNull();
  });
});
