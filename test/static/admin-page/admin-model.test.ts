import fc from 'fast-check';
import { FIELD_KEYS, type OptionField } from '../../../src/domain/change-model';
import { parsePolicy, type Policy } from '../../../src/domain/policy';
import { STATES } from '../../../src/domain/states';
import { ADMIN_ERROR_CODES, AdminStateSchema } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import {
  baseVersionOf,
  controlOf,
  createAdminApi,
  errorsAt,
  fieldChoices,
  formFromPolicy,
  formFromView,
  guessOptionValue,
  isEnforcing,
  optionRows,
  withOptionLabel,
  missingFields,
  pathLabel,
  policyInputFromForm,
  readResult,
  staleTransitions,
  validateForm,
  type PolicyForm,
} from '../../../static/admin-page/src/admin-model';
import { adminState, bareState, customFieldId, fail, ok, readyPlan, savedPolicyJson, siteFields } from './fixtures';

const state = adminState();
const projects = state.site.projects;
const loadedForm = (): PolicyForm => formFromView(state.policy, 'Europe/Berlin').form;

describe('validateForm (the domain’s parsePolicy plus the form’s own checks)', () => {
  it('accepts the loaded policy unchanged, and gives back what was loaded', () => {
    const checked = validateForm(loadedForm(), projects, 3);
    expect(checked.ok).toBe(true);
    const expected = parsePolicy(savedPolicyJson(3));
    if (checked.ok && expected.ok) expect(checked.policy).toEqual(expected.policy);
  });

  it.each<[string, string, Partial<PolicyForm> | ((f: PolicyForm) => Partial<PolicyForm>), RegExp]>([
    ['window above 72 h', 'postHoc.windowHours', { windowHours: '73' }, /48 to 72 hours/],
    ['window below 48 h', 'postHoc.windowHours', { windowHours: '47' }, /48 to 72 hours/],
    ['window not a number', 'postHoc.windowHours', { windowHours: '3 days' }, /whole number/],
    ['warning after the deadline', 'postHoc.warnBeforeHours', { warnBeforeHours: '72' }, /before the deadline/],
    ['one Jira field for two CC8.1 fields', 'fields.verifier', (f) => ({ fields: { ...f.fields, verifier: f.fields.approver } }), /already mapped to approver/],
    ['one status for two states', 'statuses.Closed', (f) => ({ statuses: { ...f.statuses, Closed: f.statuses.Implemented } }), /already mapped to Implemented/],
    ['relaxation without a note', 'lowRiskRelaxation.compensatingControl', { relaxationOn: true, compensatingControl: 'short' }, /at least 20 characters/],
    ['unknown time zone', 'businessHours.timeZone', { businessHoursOn: true, timeZone: 'Mars/Olympus' }, /IANA/],
    ['business hours ending before they start', 'businessHours.end', { businessHoursOn: true, timeZone: 'UTC', start: '17:00', end: '09:00' }, /end after they start/],
    ['no business day', 'businessHours.days', { businessHoursOn: true, timeZone: 'UTC', days: [] }, /at least one business day/],
    ['project without issue type', 'scope.issueTypeId', { issueTypeId: '' }, /Pick the issue type/],
    ['a cut-over that is not a date', 'cutover', { cutover: '2026-02-30' }, /Use a date such as 2026-01-01/],
  ])('%s → an error at %s', (_name, path, patch, message) => {
    const form = loadedForm();
    const checked = validateForm({ ...form, ...(typeof patch === 'function' ? patch(form) : patch) }, projects, 3);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(errorsAt(checked.errors, path).join(' ')).toMatch(message);
    expect(controlOf(path)).toBe(path);
    // One message per problem: the form's own check replaces the schema's on the same path.
    expect(checked.errors.filter((e) => e.path === path)).toHaveLength(1);
  });

  it.each<[string, Partial<PolicyForm['eligibility']>, Partial<PolicyForm>, string, RegExp]>([
    ['approvers from a group with no name', { approver: { kind: 'group', groupName: '  ' } }, {}, 'eligibility.approver', /Name the Jira group/],
    ['verifiers from the CAB with no CAB', { verifier: { kind: 'cab', groupName: '' } }, { cabGroupName: '' }, 'eligibility.verifier', /Set the CAB group first/],
  ])('who may act: %s → an error next to that choice', (_name, eligibility, patch, control, message) => {
    const form = loadedForm();
    const checked = validateForm({ ...form, ...patch, eligibility: { ...form.eligibility, ...eligibility } }, projects, 3);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(errorsAt(checked.errors, control).join(' ')).toMatch(message);
    expect(checked.errors.map((e) => controlOf(e.path))).toEqual([control]);
  });

  it('round-trips the cut-over date; empty means none', () => {
    const form = loadedForm();
    const checked = validateForm({ ...form, cutover: '2026-03-01' }, projects, 3);
    expect(checked.ok && checked.policy.cutover).toBe('2026-03-01');
    if (checked.ok) expect(formFromPolicy(checked.policy, 'UTC').cutover).toBe('2026-03-01');
    const none = validateForm({ ...form, cutover: '  ' }, projects, 3);
    expect(none.ok && none.policy.cutover).toBeNull();
  });

  it('round-trips who may approve and verify, keeping a typed group name while another choice is picked', () => {
    const form = loadedForm();
    const picked = { ...form, eligibility: { approver: { kind: 'group' as const, groupName: ' change-approvers ' }, verifier: { kind: 'cab' as const, groupName: 'typed earlier' } } };
    const checked = validateForm({ ...picked, cabGroupName: 'cab-members' }, projects, 3);
    expect(checked.ok && checked.policy.eligibility).toEqual({ approver: { kind: 'group', groupName: 'change-approvers' }, verifier: { kind: 'cab' } });
    if (checked.ok) expect(formFromPolicy(checked.policy, 'UTC').eligibility).toEqual({ approver: { kind: 'group', groupName: 'change-approvers' }, verifier: { kind: 'cab', groupName: '' } });
    expect(formFromPolicy(parsePolicy(savedPolicyJson(3)).ok ? (parsePolicy(savedPolicyJson(3)) as { policy: Policy }).policy : (null as never), 'UTC').eligibility).toEqual({
      approver: { kind: 'anyone', groupName: '' },
      verifier: { kind: 'anyone', groupName: '' },
    });
  });

  it('keeps what the page does not edit (CAB members, extra required fields) and the scope of a project it cannot see', () => {
    const policy = parsePolicy({
      ...savedPolicyJson(3),
      cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: ['acc-1'] },
      additionalMaterialFields: ['cabReference'],
      optionLabels: { risk: { Critical: 'high' } },
      scope: { projectId: '777', projectKey: 'GONE', issueTypeId: '5', issueTypeName: 'Change' },
    });
    if (!policy.ok) throw new Error('fixture');
    const form = formFromPolicy(policy.policy, 'UTC');
    const input = policyInputFromForm(form, projects, 3);
    expect(input.cab).toEqual({ requiredForRisks: ['high'], groupName: null, memberAccountIds: ['acc-1'] });
    expect(input.additionalMaterialFields).toEqual(['cabReference']);
    expect(input.optionLabels).toEqual({ risk: { Critical: 'high' } });
    expect(input.scope).toEqual({ projectId: '777', projectKey: 'GONE', issueTypeId: '5', issueTypeName: 'Change' });
  });

  it('round-trips any valid window, warning and relaxation through the form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 48, max: 72 }), fc.integer({ min: 1, max: 47 }), fc.boolean(), (windowHours, warnBeforeHours, relax) => {
        const json = { ...savedPolicyJson(3), postHoc: { windowHours, warnBeforeHours }, lowRiskRelaxation: relax ? { enabled: true, compensatingControl: 'Weekly review of self-approvals by the CISO' } : { enabled: false } };
        const parsed = parsePolicy(json);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const checked = validateForm(formFromPolicy(parsed.policy, 'UTC'), projects, 3);
        expect(checked.ok).toBe(true);
        expect(JSON.stringify(checked.ok ? checked.policy : null)).toBe(JSON.stringify(parsed.policy));
      }),
    );
  });
});

describe('option labels (issue 16)', () => {
  it.each<[OptionField, string, string]>([
    ['risk', 'Critical', 'high'],
    ['risk', 'Severe', 'high'],
    ['risk', 'Moderate', 'medium'],
    ['risk', 'Minor', 'low'],
    ['risk', 'High', 'high'],
    ['risk', 'Unknown impact', ''],
    ['verificationResult', 'Failed - rolled back', 'failed-rolled-back'],
    ['verificationResult', 'Pass', 'passed'],
    ['verificationResult', 'Successful', 'passed'],
    ['verificationResult', 'Pending', ''],
    ['changeType', 'Emergency (ECAB)', 'emergency'],
    ['changeType', 'Pre-approved', 'standard'],
    ['changeType', 'Normal', 'normal'],
  ])('guesses %s %j → %j', (field, label, value) => expect(guessOptionValue(field, label)).toBe(value));

  it("lists the site's labels the app does not know, with the policy's mapping first, then a guess; maps and unmaps", () => {
    const form = { ...loadedForm(), optionLabels: { risk: { Severe: 'low' as const } } };
    expect(optionRows('risk', ['Low', 'Medium', 'High', 'Critical', 'Severe', 'Whatever'], form.optionLabels)).toEqual([
      { label: 'Critical', value: 'high', guessed: true },
      { label: 'Severe', value: 'low', guessed: false },
      { label: 'Whatever', value: '', guessed: true },
    ]);
    const mapped = withOptionLabel(form, 'risk', 'Critical', 'high');
    expect(mapped.optionLabels.risk).toEqual({ Severe: 'low', Critical: 'high' });
    expect(withOptionLabel(mapped, 'risk', 'Severe', '').optionLabels.risk).toEqual({ Critical: 'high' });
    const checked = validateForm(mapped, projects, 3);
    expect(checked.ok && checked.policy.optionLabels).toEqual({ risk: { Severe: 'low', Critical: 'high' } });
  });
});

describe('labels and pickers', () => {
  it.each([
    ['fields.risk', 'Field mapping: Risk rating'],
    ['statuses.Approved', 'Status for Approved'],
    ['postHoc.warnBeforeHours', 'Warning before the deadline'],
    ['lowRiskRelaxation.compensatingControl', 'Compensating control'],
    ['businessHours.days.0', 'Business days'],
    ['cab.memberAccountIds.2', 'CAB members'],
    ['eligibility.approver.groupName', 'Who may approve'],
    ['somethingNew', 'somethingNew'],
  ])('pathLabel(%s) = %s', (path, label) => expect(pathLabel(path)).toBe(label));

  it('has a control for every state and every CC8.1 field', () => {
    for (const s of STATES) expect(controlOf(`statuses.${s}`)).toBe(`statuses.${s}`);
    for (const k of FIELD_KEYS) expect(controlOf(`fields.${k}`)).toBe(`fields.${k}`);
    expect(controlOf('scope.projectKey')).toBeNull();
  });

  it('keeps a mapped field that is unsuitable or gone in the picker, marked', () => {
    const fields = siteFields();
    expect(fieldChoices('risk', fields, 'summary').at(-1)).toEqual({ id: 'summary', label: 'Summary (short text, summary): not a suitable type', suitable: false });
    expect(fieldChoices('risk', fields, 'customfield_99999').at(-1)).toEqual({ id: 'customfield_99999', label: 'customfield_99999: not on this site', suitable: false });
    expect(fieldChoices('risk', fields, customFieldId('risk')).every((c) => c.suitable)).toBe(true);
  });

  it('counts the CC8.1 fields the stored policy leaves unmapped', () => {
    const form = loadedForm();
    expect(missingFields(form)).toEqual([]);
    expect(missingFields({ ...form, fields: { ...form.fields, risk: '', approver: '' } })).toEqual(['risk', 'approver']);
  });

  it('finds the transitions with stale rules in a dry run', () => {
    const plan = readyPlan(3);
    if (plan.state !== 'ready') throw new Error('fixture');
    expect(staleTransitions(plan).map((t) => t.transitionName)).toEqual(['Submit']);
  });

  it('bases a save on the stored version, or the newest in the history for a corrupted policy', () => {
    expect(baseVersionOf(adminState())).toBe(3);
    expect(baseVersionOf(bareState())).toBe(0);
    expect(baseVersionOf(adminState({ policy: { state: 'corrupted', errors: [] } }))).toBe(3);
    expect(baseVersionOf(adminState({ policy: { state: 'corrupted', errors: [] }, history: [] }))).toBe(0);
  });
});

describe('reading the resolvers’ answers', () => {
  it.each<[string, unknown, string]>([
    ['not an object', 'nope', 'BAD_RESPONSE'],
    ['ok without valid data', { ok: true, data: { licensed: 'yes' } }, 'BAD_RESPONSE'],
    ['an error without a message', { ok: false, error: { code: 'X' } }, 'ERROR'],
    ['a contract error', fail(ADMIN_ERROR_CODES.forbidden, 'Only Jira admins.'), ADMIN_ERROR_CODES.forbidden],
  ])('%s → %s', (_name, answer, code) => {
    const result = readResult(answer, AdminStateSchema, 'the settings');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('passes INVALID_POLICY field errors through', () => {
    const result = readResult(fail(ADMIN_ERROR_CODES.invalidPolicy, 'Invalid.', [{ path: 'fields.risk', message: 'Bad' }]), AdminStateSchema, 'x');
    expect(result).toEqual({ ok: false, error: { code: ADMIN_ERROR_CODES.invalidPolicy, message: 'Invalid.', fieldErrors: [{ path: 'fields.risk', message: 'Bad' }] } });
  });

  it('calls each resolver by its contract key and accepts the new state as data or data.state', async () => {
    const next = adminState();
    const invoke = jest.fn(async (key: string) => (key === RESOLVER_KEYS.admin.savePolicy ? ok({ state: next, version: 3 }) : key === RESOLVER_KEYS.admin.planWorkflowSetup ? ok({ setup: next.setup }) : ok(next)));
    const api = createAdminApi(invoke);
    expect(await api.savePolicy({ policy: {}, baseVersion: 2 })).toEqual({ ok: true, data: next });
    expect(await api.planWorkflowSetup()).toEqual({ ok: true, data: next.setup });
    expect(await api.getAdminState()).toEqual({ ok: true, data: next });
    expect(invoke.mock.calls.map(([key]) => key)).toEqual([RESOLVER_KEYS.admin.savePolicy, RESOLVER_KEYS.admin.planWorkflowSetup, RESOLVER_KEYS.admin.getAdminState]);
  });

  it('turns a rejected invoke into UNREACHABLE', async () => {
    const api = createAdminApi(async () => {
      throw new Error('network');
    });
    const result = await api.runSelfTest();
    expect(result.ok === false && result.error.code).toBe('UNREACHABLE');
  });
});

describe('isEnforcing (issue 18): "Nothing is enforced yet" only when the page knows', () => {
  const allAdded = () => {
    const plan = readyPlan(3);
    if (plan.state !== 'ready') throw new Error('expected a ready plan');
    return { ...plan, transitions: plan.transitions.map((t) => ({ ...t, changes: t.changes.map((c) => ({ ...c, action: 'add' as const })) })) };
  };
  it.each<[string, Parameters<typeof isEnforcing>[0], Parameters<typeof isEnforcing>[1], boolean | null]>([
    ['a dry run with the app\'s rules on the workflow', adminState(), readyPlan(3, { upToDate: true }), true],
    ['a dry run that would add every rule', adminState(), allAdded(), false],
    ['no saved policy', bareState(), { state: 'unavailable', code: 'SCOPE_UNSET', message: 'x' }, false],
    ['a shared workflow: rules may be on it, the page cannot tell', adminState(), { state: 'unavailable', code: 'WORKFLOW_SHARED', message: 'x' }, null],
  ])('%s', (_name, admin, plan, expected) => {
    expect(isEnforcing(admin, plan)).toBe(expected);
  });
});
