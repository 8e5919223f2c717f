import { RuleConfigSchema, type RuleConfig } from '../../src/domain/expression/compiled-rule';
import type { RuleEdgeOption, RuleOptions } from '../../src/shared/rule-config-contract';
import {
  NO_SELECTION,
  STALE_MESSAGE,
  UNREACHABLE,
  canSave,
  edgeChoices,
  edgeDetails,
  edgeLabel,
  errorText,
  initialSelection,
  readPageContext,
  readRuleConfig,
  readRuleOptions,
  readSavedRule,
  saveOutcome,
  selectEdge,
  selectPart,
  staleness,
  viewModel,
} from '../../static/rule-config/src/rule-config-model';

const ALL = ['standard', 'normal', 'emergency'] as RuleEdgeOption['types'];

const anEdge = (overrides: Partial<RuleEdgeOption> & Pick<RuleEdgeOption, 'id'>): RuleEdgeOption => ({
  name: 'Submit for assessment',
  from: 'Draft',
  to: 'Assessment',
  types: ALL,
  parts: 1,
  checks: ['Summary'],
  partChecks: [['Summary']],
  ...overrides,
});

const OPTIONS: RuleOptions = {
  kind: 'validator',
  policyVersion: 4,
  edges: [
    anEdge({ id: 'submit' }),
    anEdge({
      id: 'approve',
      name: 'Approve',
      from: 'Assessment',
      to: 'Approved',
      parts: 2,
      checks: ['Test plan', 'Approver'],
      partChecks: [['Test plan'], ['Approver']],
    }),
    anEdge({
      id: 'close',
      name: 'Verify and close',
      from: 'Implemented',
      to: 'Closed',
      parts: 0,
      checks: [],
      partChecks: [],
      error: { code: 'FIELD_NOT_MAPPED', message: 'Map Verifier to a Jira field on the CC8.1 admin page first.' },
    }),
    anEdge({ id: 'sendBack', name: 'Send back', from: 'Assessment', to: 'Draft', checks: [], partChecks: [[]] }),
    anEdge({ id: 'standardSchedule', name: 'Schedule standard change', to: 'Scheduled', types: ['standard'] }),
  ],
};

const aConfig = (overrides: Partial<RuleConfig> = {}): RuleConfig => ({
  edge: 'approve',
  kind: 'validator',
  part: 2,
  parts: 2,
  expression: 'true',
  policyVersion: 4,
  ...overrides,
});

const context = (extension: Record<string, unknown>) => ({ accountId: 'acc-1', extension });

describe('rule config page model', () => {
  describe('reading the Forge context', () => {
    it('reads a validator edit page with its saved JSON config', () => {
      const page = readPageContext(context({ type: 'jira:workflowValidator', entryPoint: 'edit', validatorConfig: JSON.stringify(aConfig()) }));
      expect(page).toEqual({ entryPoint: 'edit', kind: 'validator', saved: { status: 'valid', config: aConfig() } });
    });

    it('reads a condition view page whose config arrives as an object', () => {
      const config = aConfig({ kind: 'condition' });
      const page = readPageContext(context({ type: 'jira:workflowCondition', entryPoint: 'view', conditionConfig: config }));
      expect(page).toEqual({ entryPoint: 'view', kind: 'condition', saved: { status: 'valid', config } });
    });

    it('falls back to `extension.config`', () => {
      expect(readPageContext(context({ type: 'jira:workflowValidator', config: JSON.stringify(aConfig()) })).saved.status).toBe('valid');
    });

    it('infers create or edit when Jira sends no entry point', () => {
      expect(readPageContext(context({ type: 'jira:workflowValidator' })).entryPoint).toBe('create');
      expect(readPageContext(context({ type: 'jira:workflowValidator', validatorConfig: JSON.stringify(aConfig()) })).entryPoint).toBe('edit');
    });

    it.each([['not json'], ['{"edge":"approve"}'], [JSON.stringify(aConfig({ part: 0 }))], [42]])('marks saved config %j unreadable', (raw) => {
      expect(readSavedRule(raw)).toEqual({ status: 'unreadable' });
    });

    it.each([[undefined], [null], ['']])('treats %j as nothing saved', (raw) => {
      expect(readSavedRule(raw)).toEqual({ status: 'none' });
    });

    it('survives a context without an extension', () => {
      expect(readPageContext(undefined)).toEqual({ entryPoint: 'create', kind: null, saved: { status: 'none' } });
    });
  });

  describe('reading resolver answers', () => {
    it('accepts well-formed options and passes errors through', () => {
      expect(readRuleOptions({ ok: true, data: OPTIONS })).toEqual({ ok: true, data: OPTIONS });
      const error = { code: 'FORBIDDEN', message: 'no' };
      expect(readRuleOptions({ ok: false, error })).toEqual({ ok: false, error });
    });

    it.each([[undefined], [{ ok: true, data: { kind: 'validator' } }], [{ ok: true }], ['oops']])('flags %j as malformed', (answer) => {
      expect(readRuleOptions(answer)).toEqual({ ok: false, error: expect.objectContaining({ code: 'MALFORMED_ANSWER' }) });
    });

    it('parses a compiled rule with RuleConfigSchema', () => {
      expect(readRuleConfig({ ok: true, data: aConfig() })).toEqual({ ok: true, data: aConfig() });
      expect(readRuleConfig({ ok: true, data: { ...aConfig(), expression: '' } }).ok).toBe(false);
    });
  });

  describe('picking the edge and part', () => {
    it('labels edges with name, states and change types; flags edges that need setup', () => {
      const choices = edgeChoices(OPTIONS);
      expect(choices[0]).toEqual({ value: 'submit', label: 'Submit for assessment: Draft → Assessment (all change types)' });
      expect(choices.find((c) => c.value === 'standardSchedule')?.label).toBe('Schedule standard change: Draft → Scheduled (standard changes only)');
      expect(choices.find((c) => c.value === 'close')?.label).toMatch(/: needs setup$/);
    });

    it('explains an edge that needs several parts and offers each part', () => {
      const details = edgeDetails(OPTIONS, { edge: 'approve', part: 2 });
      expect(details?.partsNotice).toBe('This step needs 2 validators: add this validator once per part, and pick a different part each time.');
      expect(details?.partChoices).toEqual([
        { value: '1', label: 'Part 1 of 2' },
        { value: '2', label: 'Part 2 of 2' },
      ]);
      expect(details?.checks).toEqual(['Approver']);
    });

    it('says conditions, not validators, on a condition page', () => {
      expect(edgeDetails({ ...OPTIONS, kind: 'condition' }, { edge: 'approve', part: 1 })?.partsNotice).toMatch(/^This step needs 2 conditions: add this condition once per part/);
    });

    it('has no parts notice for a single-part edge, and says when nothing is checked', () => {
      expect(edgeDetails(OPTIONS, { edge: 'submit', part: 1 })).toMatchObject({ partsNotice: null, partChoices: [{ value: '1', label: 'Part 1 of 1' }], checks: ['Summary'] });
      expect(edgeDetails(OPTIONS, { edge: 'sendBack', part: 1 })?.emptyChecksNotice).toBe('This step has nothing for a validator to check, so this validator always passes.');
    });

    it('resets the part when the edge changes, keeps it otherwise, and clears on unknown values', () => {
      const onApprove = { edge: 'approve' as const, part: 2 };
      expect(selectEdge(OPTIONS, onApprove, 'submit')).toEqual({ edge: 'submit', part: 1 });
      expect(selectEdge(OPTIONS, onApprove, 'approve')).toEqual(onApprove);
      expect(selectEdge(OPTIONS, onApprove, '')).toEqual(NO_SELECTION);
      expect(selectEdge(OPTIONS, onApprove, 'reschedule')).toEqual(NO_SELECTION);
    });

    it('keeps the part inside the edge’s parts', () => {
      const onApprove = { edge: 'approve' as const, part: 1 };
      expect(selectPart(OPTIONS, onApprove, '2')).toEqual({ edge: 'approve', part: 2 });
      expect(selectPart(OPTIONS, onApprove, '3')).toEqual({ edge: 'approve', part: 1 });
      expect(selectPart(OPTIONS, onApprove, 'x')).toEqual({ edge: 'approve', part: 1 });
    });

    it('starts from the saved rule, clamping a part the edge no longer has', () => {
      expect(initialSelection(OPTIONS, { status: 'valid', config: aConfig() })).toEqual({ edge: 'approve', part: 2 });
      expect(initialSelection(OPTIONS, { status: 'valid', config: aConfig({ edge: 'submit', part: 2 }) })).toEqual({ edge: 'submit', part: 1 });
      expect(initialSelection(OPTIONS, { status: 'valid', config: aConfig({ edge: 'reschedule' }) })).toEqual(NO_SELECTION);
      expect(initialSelection(OPTIONS, { status: 'unreadable' })).toEqual(NO_SELECTION);
    });

    it('saves only a picked edge that compiles', () => {
      expect(canSave(OPTIONS, NO_SELECTION)).toBe(false);
      expect(canSave(OPTIONS, { edge: 'close', part: 1 })).toBe(false);
      expect(canSave(OPTIONS, { edge: 'approve', part: 2 })).toBe(true);
      expect(canSave(null, { edge: 'approve', part: 2 })).toBe(false);
      expect(edgeDetails(OPTIONS, { edge: 'close', part: 1 })?.error).toMatch(/^Map Verifier .* Open the CC8\.1 admin page/);
    });
  });

  describe('what onConfigure returns', () => {
    it('returns the compiled rule as JSON that RuleConfigSchema reads back', () => {
      const outcome = saveOutcome({ edge: 'approve', part: 2 }, { ok: true, data: aConfig() });
      expect(outcome.save).toBe(true);
      if (outcome.save) expect(RuleConfigSchema.parse(JSON.parse(outcome.json))).toEqual(aConfig());
    });

    it('refuses to save without a pick, without an answer, on an error or on a mismatched answer', () => {
      expect(saveOutcome(NO_SELECTION, null)).toEqual({ save: false, message: 'Pick the lifecycle step this rule guards, then save.' });
      expect(saveOutcome({ edge: 'approve', part: 2 }, null)).toEqual({ save: false, message: UNREACHABLE.message });
      expect(saveOutcome({ edge: 'approve', part: 2 }, { ok: false, error: { code: 'FORBIDDEN', message: 'x' } })).toEqual({
        save: false,
        message: expect.stringMatching(/^Only Jira admins/),
      });
      expect(saveOutcome({ edge: 'approve', part: 1 }, { ok: true, data: aConfig() }).save).toBe(false);
    });
  });

  describe('errors in plain words', () => {
    it.each([
      [{ code: 'FORBIDDEN', message: 'raw' }, /^Only Jira admins can configure CC8\.1 workflow rules\./],
      [{ code: 'POLICY_INVALID', message: 'The stored CC8.1 policy is invalid: postHoc.windowHours: too long' }, /postHoc\.windowHours: too long\. Open the CC8\.1 admin page/],
      [{ code: 'FIELD_NOT_MAPPED', message: 'Map Test plan to a Jira field on the CC8.1 admin page first.' }, /^Map Test plan .* first\. Open the CC8\.1 admin page/],
      [{ code: 'OVER_BUDGET', message: 'too big' }, /do not fit in a Jira expression: too big$/],
      [{ code: 'INVALID_PAYLOAD', message: 'Invalid rule config request: edge (invalid_value)' }, /^The page sent a request the app could not read/],
      [{ code: 'JIRA_HTTP', message: 'Jira answered 503 to /rest/api/3/mypermissions' }, /^Jira did not confirm your admin permission/],
      [{ code: 'SOMETHING_NEW', message: 'Exactly this.' }, /^Exactly this\.$/],
    ])('%j', (error, expected) => {
      expect(errorText(error)).toMatch(expected);
    });
  });

  describe('stale detection and the view page', () => {
    it('is fresh when the policy version and parts match', () => {
      expect(staleness(aConfig(), OPTIONS)).toEqual({ stale: false, reasons: [] });
    });

    it('is stale when the stored policy is newer', () => {
      const result = staleness(aConfig({ policyVersion: 3 }), OPTIONS);
      expect(result.stale).toBe(true);
      expect(result.reasons).toEqual(['It was compiled from policy version 3; the current policy is version 4.']);
    });

    it('is not stale when the saved version is newer (a policy rollback is not the rule’s fault)', () => {
      expect(staleness(aConfig({ policyVersion: 9 }), OPTIONS).stale).toBe(false);
    });

    it('is stale when the step now needs a different number of parts, cannot compile, or the kind differs', () => {
      expect(staleness(aConfig({ edge: 'submit', part: 1, parts: 2 }), OPTIONS).reasons).toEqual(['The step now needs 1 validator instead of 2.']);
      expect(staleness(aConfig({ edge: 'close', part: 1, parts: 1 }), OPTIONS).reasons[0]).toMatch(/^With the current policy this step cannot be compiled: Map Verifier/);
      expect(staleness(aConfig({ kind: 'condition' }), OPTIONS).reasons).toEqual(['It was saved for a condition, but this is a validator.']);
    });

    it('shows the configured edge, part and policy version, with the stale warning', () => {
      const vm = viewModel({ status: 'valid', config: aConfig({ policyVersion: 2 }) }, 'validator', { ok: true, data: OPTIONS });
      expect(vm).toEqual({
        state: 'configured',
        step: 'Approve: Assessment → Approved (all change types)',
        part: 'Part 2 of 2',
        policyVersion: 'Policy version 2',
        warning: { message: STALE_MESSAGE, reasons: ['It was compiled from policy version 2; the current policy is version 4.'] },
        note: null,
      });
      expect(STALE_MESSAGE).toBe('This rule is stale: edit and save it to refresh.');
    });

    it('omits the part for a single-part rule and works before (or without) the options', () => {
      const vm = viewModel({ status: 'valid', config: aConfig({ edge: 'submit', part: 1, parts: 1 }) }, 'validator', null);
      expect(vm).toMatchObject({ state: 'configured', step: edgeLabel(anEdge({ id: 'submit' })), part: null, warning: null, note: null });
    });

    it('notes when freshness could not be checked', () => {
      const vm = viewModel({ status: 'valid', config: aConfig() }, 'validator', { ok: false, error: { code: 'FORBIDDEN', message: 'x' } });
      expect(vm).toMatchObject({ state: 'configured', warning: null, note: expect.stringMatching(/^Could not check whether this rule is up to date: Only Jira admins/) });
    });

    it('says an unconfigured or unreadable rule fails closed', () => {
      expect(viewModel({ status: 'none' }, 'condition', null)).toEqual({ state: 'unconfigured', message: expect.stringMatching(/this condition fails closed/) });
      expect(viewModel({ status: 'unreadable' }, 'validator', null)).toEqual({ state: 'unreadable', message: expect.stringMatching(/cannot be read, so this validator fails closed/) });
    });
  });
});
