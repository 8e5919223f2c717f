/** @jest-environment jsdom */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ADMIN_ERROR_CODES } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { AdminPageApp } from '../../../static/admin-page/src/admin-page-app';
import { createAdminApi, type AdminKey } from '../../../static/admin-page/src/admin-model';
import { adminState, bareState, customFieldId, fail, ok, readyPlan, savedPolicyJson, SCOPE, selfTestReport, siteFields, STATUS_IDS } from './fixtures';

const KEYS = RESOLVER_KEYS.admin;

/** A fake bridge: each resolver key answers from its own queue (the last answer repeats); every call is recorded. */
const fakeBridge = (answers: Partial<Record<AdminKey, unknown[]>>) => {
  const queues = new Map(Object.entries(answers).map(([key, list]) => [key, [...(list as unknown[])]]));
  const invoke = jest.fn<Promise<unknown>, [AdminKey, Record<string, unknown>?]>(async (key) => {
    const queue = queues.get(key);
    if (!queue || queue.length === 0) throw new Error(`no fake answer for ${key}`);
    return queue.length > 1 ? queue.shift() : queue[0];
  });
  const calls = (key: AdminKey) => invoke.mock.calls.filter(([k]) => k === key).map(([, payload]) => payload);
  return { invoke, calls, deps: { api: createAdminApi(invoke), loadContext: async () => ({ timezone: 'Europe/Berlin', locale: 'en-GB' }) } };
};

const renderAdmin = async (answers: Partial<Record<AdminKey, unknown[]>>) => {
  const bridge = fakeBridge(answers);
  render(<AdminPageApp deps={bridge.deps} />);
  await screen.findByRole('heading', { name: 'Policy history' });
  return bridge;
};

const click = async (element: HTMLElement) => {
  await act(async () => {
    fireEvent.click(element);
  });
};
const change = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const save = () => click(screen.getByTestId('save-policy'));

afterEach(cleanup);

describe('the CC8.1 admin page', () => {
  it('is busy until the state loads, and offers a retry when it cannot load', async () => {
    const bridge = fakeBridge({ [KEYS.getAdminState]: [fail(ADMIN_ERROR_CODES.internal, 'KVS is unavailable.'), ok(adminState())] });
    render(<AdminPageApp deps={bridge.deps} />);
    expect(screen.getByTestId('cc81-admin').getAttribute('aria-busy')).toBe('true');
    const error = await screen.findByTestId('admin-load-error');
    expect(error.textContent).toContain('KVS is unavailable.');
    expect(screen.getByTestId('cc81-admin').getAttribute('aria-busy')).toBe('false');
    await click(within(error).getByRole('button', { name: 'Try again' }));
    expect((await screen.findByTestId('policy-status')).textContent).toMatch(/^Policy version 3, saved by Adam Admin on /);
    expect(screen.queryByTestId('admin-load-error')).toBeNull();
    expect(bridge.calls(KEYS.getAdminState)).toHaveLength(2);
  });

  it('reports an answer that does not match the contract instead of rendering half of it', async () => {
    const bridge = fakeBridge({ [KEYS.getAdminState]: [ok({ licensed: true, policy: { state: 'saved' } })] });
    render(<AdminPageApp deps={bridge.deps} />);
    expect((await screen.findByTestId('admin-load-error')).textContent).toMatch(/shape this page does not understand/);
  });

  it('shows the saved policy: version, who and when, the mapping, and the history in words', async () => {
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())] });
    expect(screen.getByTestId('policy-status').textContent).toMatch(/Policy version 3, saved by Adam Admin on 29 Nov 2026, 11:00/);
    expect((screen.getByLabelText('Project') as HTMLSelectElement).value).toBe(SCOPE.projectId);
    expect((screen.getByLabelText('Risk rating') as HTMLSelectElement).value).toBe(customFieldId('risk'));
    const rows = screen.getAllByTestId('history-row');
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['v3', 'v2', 'v1']);
    expect(rows[0]!.textContent).toContain('Post-hoc window, Field mapping: Risk rating');
    expect(rows[0]!.textContent).toContain('Reason: CAB asked for 72 h');
    expect(rows[1]!.textContent).toContain('Olga Other');
    expect(rows[1]!.textContent).toContain('Status for Approved');
    expect(rows[2]!.textContent).toContain('Unknown');
  });

  it('offers only Jira fields of a suitable type for each CC8.1 field', async () => {
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())] });
    const risk = screen.getByLabelText('Risk rating') as HTMLSelectElement;
    const ids = [...risk.options].map((o) => o.value);
    expect(ids).toEqual(['', customFieldId('changeType'), customFieldId('risk'), customFieldId('verificationResult')]);
    const implementer = [...(screen.getByLabelText('Implementer') as HTMLSelectElement).options].map((o) => o.value);
    expect(implementer).toContain('reporter');
    expect(implementer).not.toContain(customFieldId('risk'));
  });

  it('says which field types each CC8.1 field takes, and why a site field named for it is not offered (issue 16)', async () => {
    const checkbox = { id: 'customfield_10900', name: 'Implementer', custom: true, typeLabel: 'checkboxes', suitableFor: [], unsuitableWhy: { implementer: '"Implementer" is a checkboxes field, which cannot hold Implementer: it needs a user picker or multi-user picker field.' } };
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState({ site: { fields: [...siteFields(), checkbox] } }))] });
    const implementer = screen.getByLabelText('Implementer') as HTMLSelectElement;
    expect([...implementer.options].map((o) => o.value)).not.toContain('customfield_10900');
    const hint = document.getElementById(implementer.getAttribute('aria-describedby')!.split(' ')[0]!)!;
    expect(hint.textContent).toBe('Needs a user picker or multi-user picker field. Not offered: "Implementer" is a checkboxes field, which cannot hold Implementer: it needs a user picker or multi-user picker field.');
    const approverHint = document.getElementById((screen.getByLabelText('Approver') as HTMLSelectElement).getAttribute('aria-describedby')!.split(' ')[0]!)!;
    expect(approverHint.textContent).toBe('Needs a user picker, multi-user picker or group picker field.');
  });

  it('validates with the domain schema before sending: field errors next to each field, nothing sent', async () => {
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.savePolicy]: [ok(adminState())] });
    change('Post-hoc window (hours)', '80');
    change('Warn before the deadline (hours)', 'soon');
    change('Verifier', customFieldId('approver'));
    await click(screen.getByTestId('relaxation-on'));
    change(/Compensating control/, 'CISO looks');
    await save();
    expect(screen.getByTestId('error-postHoc.windowHours').textContent).toContain('The post-hoc window is 48 to 72 hours');
    expect(screen.getByTestId('error-postHoc.warnBeforeHours').textContent).toContain('Enter a whole number of hours');
    expect(screen.getByTestId('error-fields.verifier').textContent).toContain('already mapped to approver');
    expect(screen.getByTestId('error-lowRiskRelaxation.compensatingControl').textContent).toContain('at least 20 characters');
    const windowInput = screen.getByLabelText('Post-hoc window (hours)');
    expect(windowInput.getAttribute('aria-invalid')).toBe('true');
    expect(windowInput.getAttribute('aria-describedby')).toContain('cc81-postHoc-windowHours-error');
    const summary = screen.getByTestId('form-errors');
    expect(within(summary).getByRole('link', { name: 'Post-hoc window' }).getAttribute('href')).toBe('#cc81-postHoc-windowHours');
    await click(within(summary).getByRole('link', { name: 'Field mapping: Verifier' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Verifier'));
    expect(bridge.calls(KEYS.savePolicy)).toHaveLength(0);

    // Fixing a field clears its error; a valid form is sent once, against the loaded version.
    change('Post-hoc window (hours)', '48');
    expect(screen.queryByTestId('error-postHoc.windowHours')).toBeNull();
    change('Warn before the deadline (hours)', '12');
    change('Verifier', customFieldId('verifier'));
    change(/Compensating control/, 'Weekly review of low-risk self-approvals by the CISO');
    change(/Reason for this change/, 'Shorter window');
    await save();
    const sent = bridge.calls(KEYS.savePolicy) as { policy: Record<string, unknown> }[];
    expect(sent).toHaveLength(1);
    expect(sent[0]!.policy.lowRiskRelaxation).toEqual({ enabled: true, compensatingControl: 'Weekly review of low-risk self-approvals by the CISO' });
    expect(screen.queryByTestId('form-errors')).toBeNull();
  });

  it("reads the site's options on demand, offers a guess for each label the app does not know, and saves the mapping", async () => {
    const site = { fields: [{ field: 'risk', fieldId: 'customfield_10041', labels: ['Low', 'Medium', 'High', 'Critical', 'Tolerable'], problem: null }, { field: 'verificationResult', fieldId: 'customfield_10049', labels: [], problem: 'Jira did not list this field\'s options (500).' }] };
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.getSiteOptions]: [ok(site)], [KEYS.savePolicy]: [ok(adminState())] });
    expect(screen.queryByTestId('option-labels-risk')).toBeNull();
    await click(screen.getByTestId('read-site-options'));
    expect(bridge.calls(KEYS.getSiteOptions)).toHaveLength(1);
    const risk = screen.getByTestId('option-labels-risk');
    // Only the labels the app does not know by itself.
    expect(within(risk).getAllByRole('combobox').map((c) => c.getAttribute('aria-label'))).toEqual(['Risk rating option Critical', 'Risk rating option Tolerable']);
    await click(within(risk).getByRole('button', { name: 'Use the guess: High' }));
    expect((screen.getByLabelText('Risk rating option Critical') as HTMLSelectElement).value).toBe('high');
    change('Risk rating option Tolerable', 'low');
    expect(within(screen.getByTestId('option-labels-verificationResult')).getByRole('alert').textContent).toContain("Jira did not list this field's options");
    change(/Reason for this change/, 'Map the site risk labels');
    await save();
    const sent = bridge.calls(KEYS.savePolicy) as { policy: Record<string, unknown> }[];
    expect(sent.map((c) => c.policy.optionLabels)).toEqual([{ risk: { Critical: 'high', Tolerable: 'low' } }]);
  });

  it('sets who may approve and verify: a Jira group for approvers (its name asked for), the CAB for verifiers', async () => {
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.savePolicy]: [ok(adminState())] });
    const section = screen.getByTestId('section-eligibility');
    const approvers = within(section).getByRole('group', { name: /Who may approve/ });
    expect(within(approvers).queryByLabelText('Group whose members may act as approver')).toBeNull();
    await click(within(approvers).getByRole('radio', { name: /Members of a Jira group/ }));
    await save();
    expect(screen.getByTestId('error-eligibility.approver').textContent).toContain('Name the Jira group whose members may act');
    expect(bridge.calls(KEYS.savePolicy)).toHaveLength(0);
    change('Group whose members may act as approver', 'change-approvers');
    expect(screen.queryByTestId('error-eligibility.approver')).toBeNull();
    await click(within(within(section).getByRole('group', { name: /Who may verify/ })).getByRole('radio', { name: /CAB members/ }));
    change(/Reason for this change/, 'Approvers from the change-approvers group; CAB verifies');
    await save();
    const sent = bridge.calls(KEYS.savePolicy) as { policy: Record<string, unknown> }[];
    expect(sent.map((c) => c.policy.eligibility)).toEqual([{ approver: { kind: 'group', groupName: 'change-approvers' }, verifier: { kind: 'cab' } }]);
  });

  it('sends a valid policy with its base version and reason, and shows the new version', async () => {
    const saved = adminState({ policy: { state: 'saved', version: 4, policy: { ...savedPolicyJson(4), postHoc: { windowHours: 48, warnBeforeHours: 12 } }, updatedBy: { accountId: 'acc-adam', displayName: 'Adam Admin' }, updatedAt: '2026-12-01T18:00:00.000Z' } });
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.savePolicy]: [ok(saved)] });
    change('Post-hoc window (hours)', '48');
    change('Warn before the deadline (hours)', '12');
    change(/Reason for this change/, '  Shorter window  ');
    expect(screen.getByTestId('dirty-state').textContent).toBe('You have unsaved changes.');
    await save();
    const [payload] = bridge.calls(KEYS.savePolicy) as [{ policy: Record<string, unknown>; baseVersion: number; reason?: string; replaceCorrupted?: boolean }];
    expect(payload.baseVersion).toBe(3);
    expect(payload.reason).toBe('Shorter window');
    expect(payload.replaceCorrupted).toBeUndefined();
    expect(payload.policy.postHoc).toEqual({ windowHours: 48, warnBeforeHours: 12 });
    expect(payload.policy.scope).toEqual(SCOPE);
    expect(screen.getByTestId('notice-saved').textContent).toBe('Policy saved as version 4. Refresh the rules (Workflow setup) so they follow it.');
    expect(screen.getByTestId('dirty-state').textContent).toBe('No unsaved changes.');
    expect((screen.getByLabelText('Post-hoc window (hours)') as HTMLInputElement).value).toBe('48');
  });

  it('shows the server’s INVALID_POLICY field errors next to the fields, like its own', async () => {
    await renderAdmin({
      [KEYS.getAdminState]: [ok(adminState())],
      [KEYS.savePolicy]: [fail(ADMIN_ERROR_CODES.invalidPolicy, 'The policy has 2 errors.', [{ path: 'statuses.Closed', message: 'Status 10006 is not in the workflow' }, { path: 'cab.memberAccountIds.0', message: 'Unknown account' }])],
    });
    change(/CAB group/, 'change-board');
    await save();
    expect(screen.getByTestId('error-statuses.Closed').textContent).toContain('Status 10006 is not in the workflow');
    const summary = screen.getByTestId('form-errors');
    expect(summary.textContent).toContain('The app refused the policy: The policy has 2 errors.');
    expect(summary.textContent).toContain('CAB members: Unknown account');
  });

  it('is read-only on an unlicensed site: explained, every input and action disabled', async () => {
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState({ licensed: false }))] });
    expect(screen.getByTestId('read-only').textContent).toMatch(/no active licence/);
    expect(screen.getByLabelText('Project').matches(':disabled')).toBe(true);
    expect(screen.getByLabelText(/CAB group/).matches(':disabled')).toBe(true);
    expect(screen.getByLabelText('Post-hoc window (hours)').closest('fieldset')?.disabled).toBe(true);
    for (const id of ['save-policy', 'apply-setup', 'refresh-plan', 'run-selftest']) expect((screen.getByTestId(id) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Create recommended fields' }) as HTMLButtonElement).disabled).toBe(true);
    // The last report and the diff are still shown.
    expect(screen.getAllByTestId('selftest-check')).toHaveLength(5);
    expect(screen.getAllByTestId('diff-transition')).toHaveLength(3);
    expect(bridge.invoke).toHaveBeenCalledTimes(1);
  });

  it('shows what is wrong with a corrupted stored policy and replaces it only after a confirm', async () => {
    const corrupted = adminState({ policy: { state: 'corrupted', errors: [{ path: 'postHoc.windowHours', message: 'The post-hoc window is 48 to 72 hours' }] } });
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(corrupted)], [KEYS.savePolicy]: [ok(adminState({ policy: { state: 'saved', version: 4, policy: savedPolicyJson(4), updatedBy: null, updatedAt: null } }))] });
    const banner = screen.getByTestId('corrupted');
    expect(banner.textContent).toContain('has not replaced it');
    expect(banner.textContent).toContain('Post-hoc window');
    expect(banner.textContent).toContain('postHoc.windowHours: The post-hoc window is 48 to 72 hours');
    expect((screen.getByRole('button', { name: 'Create recommended fields' }) as HTMLButtonElement).disabled).toBe(true);
    await click(screen.getByRole('button', { name: 'Replace with a new policy' }));
    expect(screen.getByTestId('confirm-replace').textContent).toMatch(/archived/);
    expect(bridge.calls(KEYS.savePolicy)).toHaveLength(0);
    await click(screen.getByRole('button', { name: 'Cancel' }));
    await click(screen.getByRole('button', { name: 'Replace with a new policy' }));
    await click(screen.getByRole('button', { name: 'Yes, replace it' }));
    const [payload] = bridge.calls(KEYS.savePolicy) as [{ replaceCorrupted?: boolean; baseVersion: number; policy: Record<string, unknown> }];
    expect(payload.replaceCorrupted).toBe(true);
    expect(payload.baseVersion).toBe(3); // the newest version in the history
    expect(payload.policy.postHoc).toEqual({ windowHours: 72, warnBeforeHours: 24 }); // the defaults
    expect(screen.queryByTestId('corrupted')).toBeNull();
    expect(screen.getByTestId('notice-saved').textContent).toBe('Policy saved as version 4. Refresh the rules (Workflow setup) so they follow it.');
  });

  it('picks the scope, warns about team-managed projects, and asks for the issue type', async () => {
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(bareState())] });
    expect((screen.getByLabelText('Issue type of change tickets') as HTMLSelectElement).disabled).toBe(true);
    change('Project', '10002');
    expect(screen.getByTestId('team-managed').textContent).toContain('Forge workflow rules do not run in team-managed projects');
    change('Project', SCOPE.projectId);
    expect(screen.queryByTestId('team-managed')).toBeNull();
    await save();
    expect(screen.getByTestId('error-scope.issueTypeId').textContent).toContain('Pick the issue type');
    expect(bridge.calls(KEYS.savePolicy)).toHaveLength(0);
  });

  it('creates the missing recommended fields against the loaded version, and shows what was created', async () => {
    const withFields = adminState({ policy: { state: 'saved', version: 1, policy: { ...savedPolicyJson(1), scope: null }, updatedBy: null, updatedAt: null } });
    const bridge = await renderAdmin({
      [KEYS.getAdminState]: [ok(bareState())],
      [KEYS.createRecommendedFields]: [ok({ created: [{ key: 'risk', fieldId: customFieldId('risk'), name: 'CC8.1 Risk rating' }, { key: 'approver', fieldId: customFieldId('approver'), name: 'CC8.1 Approver' }], state: withFields })],
    });
    const section = screen.getByTestId('create-fields');
    expect(section.textContent).toMatch(/18 CC8\.1 fields have no Jira field yet: Change type, Risk rating/);
    // Unsaved edits block it (it saves a new version).
    change(/CAB group/, 'board');
    const button = screen.getByRole('button', { name: 'Create recommended fields' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Save or discard your changes first: creating fields saves the mapping as a new policy version.');
    await click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(button.disabled).toBe(false);
    await click(button);
    expect(bridge.calls(KEYS.createRecommendedFields)).toEqual([{ baseVersion: 0 }]);
    const created = screen.getByTestId('created-fields');
    expect(created.textContent).toContain('Created 2 fields');
    expect(created.textContent).toContain('Risk rating → CC8.1 Risk rating (customfield_10103)');
    expect((screen.getByLabelText('Risk rating') as HTMLSelectElement).value).toBe(customFieldId('risk'));
    expect(screen.getByTestId('create-fields').textContent).toContain('Every CC8.1 field is mapped');
  });

  it('renders the dry-run diff per transition, with stale rules and problems, and installs it', async () => {
    const applied = adminState({ setup: readyPlan(3, { upToDate: true, changedTransitions: 0, transitions: [], problems: [] }) });
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.applyWorkflowSetup]: [ok({ updatedTransitions: 3, state: applied })] });
    expect(screen.getByTestId('setup-summary').textContent).toContain('3 transitions change');
    const [submit, approve, old] = screen.getAllByTestId('diff-transition');
    expect(submit!.textContent).toContain('Draft → Assessment');
    expect(submit!.textContent).toContain('Lifecycle steps: Submit for assessment (Draft → Assessment)');
    const update = within(submit!).getAllByTestId('diff-change')[0]!;
    expect(update.getAttribute('data-action')).toBe('update');
    expect(update.textContent).toMatch(/Update Validator: Summary is set, Justification is set/);
    expect(update.textContent).toContain('compiled for policy v2; the policy is now v3');
    expect(within(approve!).getAllByTestId('diff-change').map((c) => c.textContent?.replace(/\s+/g, ' ').split(':')[0]?.trim())).toEqual([
      '+ Add Condition (part 1 of 2)',
      '+ Add Condition (part 2 of 2)',
      '+ Add History gate',
    ]);
    expect(within(old!).getByTestId('diff-change').getAttribute('data-action')).toBe('remove');
    expect(screen.getByTestId('stale-rules').textContent).toContain('the rules on 1 transition (Submit) are stale');
    expect(screen.getByTestId('setup-problems').textContent).toContain('global transition "Reopen"');
    await click(screen.getByTestId('apply-setup'));
    expect(bridge.calls(KEYS.applyWorkflowSetup)).toEqual([{ workflowVersionId: 'wfv-7', policyVersion: 3 }]);
    expect(screen.getByTestId('notice-applied').textContent).toBe('Rules installed: 3 transitions updated on CHG: CC8.1 workflow.');
    expect(screen.getByTestId('setup-summary').textContent).toContain('Nothing to change.');
    expect(screen.getByTestId('setup-up-to-date').textContent).toContain("The workflow carries the app's current rules.");
    expect((screen.getByTestId('apply-setup') as HTMLButtonElement).disabled).toBe(true);
  });

  it('folds transitions that keep their rules away from those that change', async () => {
    const plan = readyPlan(3);
    if (plan.state !== 'ready') throw new Error('fixture');
    const keepOnly = { ...plan.transitions[0]!, transitionId: '41', transitionName: 'Close', from: ['Implemented' as const], to: 'Closed' as const, edges: ['close' as const], changes: [{ action: 'keep' as const, slot: 'validator' as const, part: 1, parts: 1, checks: ['Verifier'], reason: null }] };
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState({ setup: { ...plan, transitions: [...plan.transitions, keepOnly] } }))] });
    const unchanged = screen.getByTestId('diff-unchanged');
    expect(unchanged.querySelector('summary')?.textContent).toBe('1 transition keeps its rules (show)');
    expect(within(unchanged).getAllByTestId('diff-transition').map((t) => t.getAttribute('data-transition-id'))).toEqual(['41']);
    expect(screen.getAllByTestId('diff-transition').filter((t) => t.getAttribute('data-changing') === 'true')).toHaveLength(3);
  });

  it('on PLAN_OUTDATED shows the new diff and changes nothing until the admin installs again', async () => {
    const newer = readyPlan(3, { workflow: { id: 'wf-1', name: 'CHG: CC8.1 workflow', versionId: 'wfv-8', versionNumber: 8 }, changedTransitions: 1 });
    const bridge = await renderAdmin({
      [KEYS.getAdminState]: [ok(adminState())],
      [KEYS.applyWorkflowSetup]: [fail(ADMIN_ERROR_CODES.planOutdated, 'Someone edited the workflow since this dry run.'), ok({ updatedTransitions: 1, state: adminState() })],
      [KEYS.planWorkflowSetup]: [ok(newer)],
    });
    await click(screen.getByTestId('apply-setup'));
    expect(screen.getByTestId('plan-outdated').textContent).toContain('Someone edited the workflow since this dry run. Nothing was changed.');
    expect(bridge.calls(KEYS.planWorkflowSetup)).toHaveLength(1);
    expect(screen.getByTestId('setup-summary').textContent).toContain('(version 8)');
    await click(screen.getByTestId('apply-setup'));
    expect(bridge.calls(KEYS.applyWorkflowSetup)).toEqual([
      { workflowVersionId: 'wfv-7', policyVersion: 3 },
      { workflowVersionId: 'wfv-8', policyVersion: 3 },
    ]);
  });

  it('refreshes the diff on demand, and shows why setup is not possible yet', async () => {
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(bareState())], [KEYS.planWorkflowSetup]: [ok(readyPlan(1))] });
    expect(screen.getByTestId('setup-unavailable').textContent).toBe('Pick the project and map the statuses first.');
    expect((screen.getByTestId('apply-setup') as HTMLButtonElement).disabled).toBe(true);
    await click(screen.getByTestId('refresh-plan'));
    expect(bridge.calls(KEYS.planWorkflowSetup)).toHaveLength(1);
    expect(screen.getAllByTestId('diff-transition')).toHaveLength(3);
    expect(screen.getByTestId('plan-policy-mismatch').textContent).toContain('policy v1; the saved policy is v0');
  });

  it('shows the rules Jira rejected, by transition, and that nothing was installed', async () => {
    const lines = ['"Approve" (transition 21), validator part 1 of 2: Jira says: Jira expression has too many nodes (150), limit: 100 leaves'];
    const bridge = await renderAdmin({
      [KEYS.getAdminState]: [ok(adminState())],
      [KEYS.applyWorkflowSetup]: [{ ok: false, error: { code: ADMIN_ERROR_CODES.rulesRejected, message: 'Jira rejected one compiled CC8.1 rule, so nothing was installed.', details: lines } }],
      [KEYS.planWorkflowSetup]: [ok(readyPlan(3))],
    });
    await click(screen.getByTestId('apply-setup'));
    const banner = screen.getByTestId('rules-rejected');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('nothing was installed');
    expect(screen.getAllByTestId('rules-rejected-line').map((li) => li.textContent)).toEqual(lines);
    expect(screen.queryByTestId('notice-applied')).toBeNull();
    await click(screen.getByTestId('refresh-plan'));
    expect(screen.queryByTestId('rules-rejected')).toBeNull();
    expect(bridge.calls(KEYS.applyWorkflowSetup)).toHaveLength(1);
  });

  it('explains a shared workflow as a refusal, with what to do, and offers no install', async () => {
    const message = 'Workflow "Shared" is shared: besides CHG / Change it is used by project OPS. Make a dedicated copy for Change tickets.';
    await renderAdmin({ [KEYS.getAdminState]: [ok({ ...adminState(), setup: { state: 'unavailable', code: 'WORKFLOW_SHARED', message } })] });
    const banner = screen.getByTestId('setup-unavailable');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('This workflow is shared with other projects or issue types, so the setup will not change it.');
    expect(banner.textContent).toContain('Make a dedicated copy');
    expect((screen.getByTestId('apply-setup') as HTMLButtonElement).disabled).toBe(true);
  });

  it('renders the last self-test per check with details and the plain fix, and runs it on demand', async () => {
    const passing = selfTestReport({ ok: true, trigger: 'manual', ranAt: '2026-12-01T18:30:00.000Z', checks: [{ id: 'licensed', status: 'pass', title: 'The app is licensed', details: [], fix: null }] });
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.runSelfTest]: [ok({ report: passing })] });
    expect(screen.getByTestId('selftest-summary').textContent).toContain('1 check fails');
    const checks = screen.getAllByTestId('selftest-check');
    expect(checks.map((c) => c.getAttribute('data-status'))).toEqual(['pass', 'pass', 'warn', 'fail', 'skipped']);
    const bypass = checks.find((c) => c.getAttribute('data-check') === 'no-bypass')!;
    expect(bypass.textContent).toContain('Fail');
    expect(bypass.textContent).toContain('Global transition "Reopen" goes to Implemented from any status');
    expect(bypass.textContent).toContain('How to fix: Delete the global transition in the workflow editor.');
    expect(checks[0]!.textContent).not.toContain('How to fix');
    expect(screen.getByText(/REST call/).textContent).toMatch(/^Ran .+ \(daily run\), 6 REST calls\.$/);
    await click(screen.getByTestId('run-selftest'));
    expect(bridge.calls(KEYS.runSelfTest)).toHaveLength(1);
    expect(screen.getByTestId('selftest-summary').textContent).toContain('All checks pass');
    expect(screen.getByText(/REST call/).textContent).toMatch(/^Ran .+ \(on demand\), 6 REST calls\.$/);
  });

  it('on POLICY_CONFLICT says someone else saved, keeps the edits until the admin reloads', async () => {
    const theirs = adminState({ policy: { state: 'saved', version: 4, policy: { ...savedPolicyJson(4), cab: { requiredForRisks: ['high'], groupName: 'their-cab', memberAccountIds: [] } }, updatedBy: { accountId: 'acc-olga', displayName: 'Olga Other' }, updatedAt: '2026-12-01T18:10:00.000Z' } });
    const bridge = await renderAdmin({
      [KEYS.getAdminState]: [ok(adminState()), ok(theirs)],
      [KEYS.savePolicy]: [fail(ADMIN_ERROR_CODES.conflict, 'You edited version 3, and version 4 is now saved.')],
    });
    change(/CAB group/, 'my-cab');
    await save();
    const conflict = screen.getByTestId('conflict');
    expect(conflict.textContent).toContain('Someone else saved the policy');
    expect(conflict.textContent).toContain('You edited version 3, and version 4 is now saved.');
    expect((screen.getByLabelText(/CAB group/) as HTMLInputElement).value).toBe('my-cab');
    await click(within(conflict).getByRole('button', { name: 'Reload the latest policy' }));
    expect(bridge.calls(KEYS.getAdminState)).toHaveLength(2);
    expect(screen.queryByTestId('conflict')).toBeNull();
    expect((screen.getByLabelText(/CAB group/) as HTMLInputElement).value).toBe('their-cab');
    expect(screen.getByTestId('policy-status').textContent).toContain('Policy version 4, saved by Olga Other');
  });

  it('when the license lapses after loading, a save is refused and the page turns read-only, keeping the edits', async () => {
    const bridge = await renderAdmin({
      [KEYS.getAdminState]: [ok(adminState()), ok(adminState({ licensed: false }))],
      [KEYS.savePolicy]: [fail(ADMIN_ERROR_CODES.unlicensed, 'The CC8.1 app has no active license on this site.')],
    });
    change(/CAB group/, 'my-cab');
    await save();
    expect(bridge.calls(KEYS.getAdminState)).toHaveLength(2);
    expect(screen.getByTestId('read-only').textContent).toContain('Read-only: this site has no active licence for CC8.1 Change Control.');
    expect((screen.getByTestId('save-policy') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('notice-error').textContent).toBe('The policy was not saved: The CC8.1 app has no active license on this site.');
    expect((screen.getByLabelText(/CAB group/) as HTMLInputElement).value).toBe('my-cab');
    expect(screen.getByTestId('dirty-state').textContent).toBe('You have unsaved changes.');
  });

  it('turns an unreachable app into a message, not a crash', async () => {
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState({ site: { fields: siteFields() } }))] });
    await click(screen.getByTestId('run-selftest')); // the fake has no answer: invoke rejects
    expect(screen.getByTestId('notice-error').textContent).toContain('could not reach the app');
    expect((screen.getByTestId('run-selftest') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('setup that guides (issue 18)', () => {
  it('shows where setup stands (scope → fields → policy → rules → self-test) and that nothing is enforced yet on a bare site', async () => {
    await renderAdmin({ [KEYS.getAdminState]: [ok(bareState())] });
    const progress = screen.getByTestId('setup-progress');
    expect([...progress.querySelectorAll('li')].map((li) => [li.getAttribute('data-step'), li.getAttribute('data-done')])).toEqual([
      ['scope', 'false'],
      ['fields', 'false'],
      ['policy', 'false'],
      ['rules', 'false'],
      ['selftest', 'false'],
    ]);
    expect(screen.getByTestId('setup-next').textContent).toMatch(/Choose the project and issue type/);
    expect(screen.getByTestId('not-enforcing').textContent).toMatch(/Nothing is enforced yet/);
    expect(screen.getByTestId('policy-status').textContent).not.toMatch(/runs with the default policy/);
  });

  it('pre-fills the status mapping by name on a site with no policy yet', async () => {
    await renderAdmin({ [KEYS.getAdminState]: [ok(bareState())] });
    const section = screen.getByTestId('section-statuses');
    expect((within(section).getByLabelText('Approved') as HTMLSelectElement).value).toBe(STATUS_IDS.Approved);
    expect(screen.getByTestId('dirty-state').textContent).toBe('You have unsaved changes.');
  });

  it('a save with nothing changed makes no version, and says so next to the save button', async () => {
    const bridge = await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.savePolicy]: [ok(adminState())] });
    fireEvent.click(screen.getByTestId('save-policy'));
    await screen.findByTestId('notice-nothing-to-save');
    expect(screen.getByTestId('save-bar').contains(screen.getByTestId('notice-nothing-to-save'))).toBe(true);
    expect(bridge.calls(KEYS.savePolicy)).toHaveLength(0);
  });

  it('marks the self-test result stale once the rules are installed, until it runs again', async () => {
    const applied = { updatedTransitions: 2, state: adminState({ setup: readyPlan(3, { upToDate: true }) }) };
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.applyWorkflowSetup]: [ok(applied)] });
    expect(screen.queryByTestId('selftest-stale')).toBeNull();
    fireEvent.click(screen.getByTestId('apply-setup'));
    await screen.findByTestId('notice-applied');
    expect(screen.getByTestId('selftest-stale').textContent).toMatch(/before the rules were last installed/);
  });

  it('offers the time zone as a picker', async () => {
    await renderAdmin({ [KEYS.getAdminState]: [ok(adminState())] });
    fireEvent.click(screen.getByTestId('business-hours-on'));
    expect(screen.getByTestId('time-zone').tagName).toBe('SELECT');
  });
});
