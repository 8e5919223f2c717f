/**
 * Issue 16's "done when", end to end in the sandbox's `jsm` site style: a project that tracked
 * changes before the app, in its own fields (JSM's Change type and Change risk with Critical, its
 * start and completion dates, a multi-user Approvers field, a group picker for the verification
 * team, Components for target systems, radio buttons labelled Pass / Failed - rolled back). The
 * admin points the app at those fields on the admin page, with no new field, maps the site's option
 * labels, installs the rules; then the workflow is enforced for real users over REST and the panel
 * shows who counts.
 */
import { AdminStateSchema, type AdminState, type ApplySetupResult, type SelfTestReport, type SiteOptions, type WorkflowPlanView } from '../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import { DEMO_USERS, type DemoRole } from '../../sandbox/demo/demo-users';
import { JSM_VERIFICATION_GROUP } from '../../sandbox/state/jsm-site';
import { startSandbox } from '../../sandbox/start-sandbox';
import { adf, sandboxClient } from './sandbox-client';
import { adminCall, invokeAdmin, JSM_OPTION_LABELS, jsmChangeFields, jsmFieldId, jsmMapping } from './jsm-site-setup';
import { compliancePanelView } from './panel-view';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-23T12:00:00.000Z');
let tick = NOW.getTime();
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, site: 'jsm', clock: () => new Date((tick += 1_000)), triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
});
afterAll(async () => sandbox.close());

const K = RESOLVER_KEYS.admin;
const invoke = <T = AdminState>(role: DemoRole, key: string, payload: unknown = {}) => invokeAdmin<T>(sandbox, role, key, payload, () => new Date(tick));
const admin = <T = AdminState>(key: string, payload: unknown = {}) => adminCall(sandbox, () => new Date(tick))<T>(key, payload);

const client = sandboxClient(() => sandbox.url, () => sandbox.state);
const byName = (name: string) => jsmFieldId(sandbox, name);
const move = async (as: DemoRole, key: string, name: string, fields: Record<string, unknown> = {}) => {
  const res = await client.move(as, key, name, fields);
  return { status: res.status, message: ((res.body?.errorMessages as string[] | undefined) ?? []).join(' ') + JSON.stringify(res.body?.errors ?? {}) };
};
const names = async (as: DemoRole, key: string) => (await client.transitions(as, key)).map((t) => t.name);
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const status = async (key: string) => ((await client.call('compliance', 'GET', `/rest/api/3/issue/${key}?fields=status`)).body!.fields as { status: { name: string } }).status.name;

const panelView = (key: string) => compliancePanelView(sandbox, key, () => new Date(tick));

describe('a site with its own change fields (JSM style), mapped without creating any', () => {
  let state: AdminState;
  const customCount = () => sandbox.state.fields.filter((f) => f.custom).length;
  let customAtStart = 0;

  it('offers the site\'s own fields for each CC8.1 field, and says why a look-alike is not offered', async () => {
    customAtStart = customCount();
    state = AdminStateSchema.parse(await admin(K.getAdminState));
    const field = (name: string) => state.site.fields.find((f) => f.name === name)!;
    expect(field('Approvers')).toMatchObject({ typeLabel: 'multi-user picker', suitableFor: ['requester', 'implementer', 'approver', 'verifier'] });
    expect(field('Verification team')).toMatchObject({ typeLabel: 'group picker', suitableFor: ['approver', 'verifier'] });
    expect(field('Components').suitableFor).toEqual(['targetSystems']);
    expect(field('Change risk').suitableFor).toEqual(['changeType', 'risk', 'verificationResult']);
    expect(field('Verification').typeLabel).toBe('radio buttons');
    expect(field('Implementer sign-off').unsuitableWhy.implementer).toMatch(/checkboxes field, which cannot hold Implementer: it needs a user picker or multi-user picker field/);
  });

  it('saves the mapping to the site\'s fields; Jira\'s types are recorded for every reader', async () => {
    if (state.policy.state !== 'default') throw new Error('expected no policy yet');
    const policy = jsmMapping(sandbox, state);
    // Mapping the implementer to the checkboxes is refused, saying why.
    const refused = await invoke('admin', K.savePolicy, { policy: { ...policy, fields: { ...policy.fields, implementer: byName('Implementer sign-off') } }, baseVersion: 0 });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_POLICY', fieldErrors: [{ path: 'fields.implementer', message: expect.stringMatching(/"Implementer sign-off" is a checkboxes field, which cannot hold Implementer/) }] }) });

    state = await admin(K.savePolicy, { policy, baseVersion: 0, reason: 'Point CC8.1 at our JSM change fields' });
    if (state.policy.state !== 'saved') throw new Error('expected a saved policy');
    expect(state.policy.policy.fieldTypes).toEqual({ approver: 'multiuser', verifier: 'group', targetSystems: 'components' });
    expect(customCount()).toBe(customAtStart);
  });

  it('lists the site\'s option labels and maps them (Critical → high, Pass → passed), as a new policy version', async () => {
    const options = await admin<SiteOptions>(K.getSiteOptions);
    expect(options.fields.find((f) => f.field === 'risk')!.labels).toEqual(['Low', 'Medium', 'High', 'Critical']);
    expect(options.fields.find((f) => f.field === 'verificationResult')!.labels).toEqual(['Pass', 'Failed - rolled back']);
    if (state.policy.state !== 'saved') throw new Error('expected a saved policy');
    state = await admin(K.savePolicy, { policy: { ...state.policy.policy, optionLabels: JSM_OPTION_LABELS }, baseVersion: 1, reason: 'Our labels' });
    expect(state.policy).toEqual(expect.objectContaining({ state: 'saved', version: 2 }));
    expect(state.history[0]!.changes).toEqual(expect.arrayContaining([expect.stringMatching(/^optionLabels/)]));
  });

  it('installs the rules, and the self-test passes', async () => {
    const plan = await admin<WorkflowPlanView>(K.planWorkflowSetup);
    if (plan.state !== 'ready') throw new Error(plan.message);
    expect(plan.problems).toEqual([]);
    await admin<ApplySetupResult>(K.applyWorkflowSetup, { workflowVersionId: plan.workflow.versionId, policyVersion: plan.policyVersion });
    const { report } = await admin<{ report: SelfTestReport }>(K.runSelfTest);
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });

  let key = '';
  it('enforces it for real users: a Critical change needs its CAB reference; only a listed approver approves', async () => {
    const created = await client.call('requester', 'POST', '/rest/api/3/issue', {
      fields: jsmChangeFields(sandbox, 'Move the ledger to the new cluster', {
        'Change risk': { value: 'Critical' },
        Approvers: [{ accountId: DEMO_USERS.approver.accountId }, { accountId: DEMO_USERS.cab.accountId }],
        'Verification team': { name: JSM_VERIFICATION_GROUP },
      }),
    });
    expect(created.status).toBe(201);
    key = String(created.body!.key);
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);

    // Critical is high: no CAB reference, no approval.
    const noCab = await move('cab', key, 'Approve');
    expect(noCab.status).toBe(400);
    expect(noCab.message).toMatch(/CAB reference/);
    // Someone not listed in Approvers does not see Approve.
    expect(await names('compliance', key)).not.toContain('Approve');
    expect((await move('cab', key, 'Approve', { [byName('CAB reference')]: 'CAB-2026-11-23' })).status).toBe(204);
    expect(await status(key)).toBe('Approved');
  });

  it('a window in JSM\'s own dates; the implementer implements inside it; only a member of the verification team verifies', async () => {
    const window = { [byName('Change start date')]: iso(tick - 3_600_000), [byName('Change completion date')]: iso(tick + 4 * 3_600_000) };
    expect((await move('requester', key, 'Schedule', window)).status).toBe(204);
    expect((await move('implementer', key, 'Mark implemented', { [byName('Implementation notes')]: adf('Cut-over job #77') })).status).toBe(204);
    // Rita is not in the verification team; Vera is.
    expect(await names('requester', key)).not.toContain('Verify and close');
    const verified = await move('verifier', key, 'Verify and close', { [byName('Verification')]: { value: 'Pass' } });
    expect(verified.status).toBe(204);
    expect(await status(key)).toBe('Closed');
  });

  it('the panel reads the site\'s fields: several approvers, the verification team, Critical as high, no findings', async () => {
    const view = await panelView(key);
    const role = (name: string) => view.roles.find((r) => r.role === name)!;
    expect(role('approver').namedAnyOf.map((p) => p.displayName)).toEqual(['Ada Approver', 'Carl CAB']);
    expect(role('approver').acted?.displayName).toBe('Carl CAB');
    expect(role('verifier')).toMatchObject({ named: null, namedGroup: JSM_VERIFICATION_GROUP, acted: expect.objectContaining({ displayName: 'Vera Verifier' }) });
    expect(view.pairs.map((p) => p.verdict)).toEqual(['ok', 'ok', 'ok']);
    expect(view.findings).toEqual([]);
  });

  it('a component added after approval is a material change: the panel reports it on the next change', async () => {
    const created = await client.call('requester', 'POST', '/rest/api/3/issue', { fields: jsmChangeFields(sandbox, 'Patch the edge proxy', { components: [{ name: 'Edge proxy' }] }) });
    const second = String(created.body!.key);
    expect((await move('requester', second, 'Submit for assessment')).status).toBe(204);
    expect((await move('approver', second, 'Approve')).status).toBe(204);
    const edited = await client.call('requester', 'PUT', `/rest/api/3/issue/${second}`, { update: { components: [{ add: { name: 'Payments' } }] } });
    expect(edited.status).toBe(204);
    const window = { [byName('Change start date')]: iso(tick - 3_600_000), [byName('Change completion date')]: iso(tick + 4 * 3_600_000) };
    expect((await move('requester', second, 'Schedule', window)).status).toBe(204);
    const blocked = await move('implementer', second, 'Mark implemented', { [byName('Implementation notes')]: adf('Job #78') });
    expect(blocked.status).toBe(400);
    expect(blocked.message).toMatch(/Target systems/);
  });
});
