// The admin page's logic, kept out of React: reading the resolvers' answers (zod, the contract's
// schemas), the policy form (to and from the domain policy, validated with the domain's
// parsePolicy), field errors by dotted path, and the labels of the diff and the self-test.
// Pure TypeScript: no DOM, no bridge (tested in test/static/admin-page).
import { z } from 'zod';
import {
  ADMIN_ERROR_CODES,
  AdminErrorSchema,
  AdminStateSchema,
  ApplySetupResultSchema,
  CreateFieldsResultSchema,
  RunSelfTestResultSchema,
  WorkflowPlanViewSchema,
  ExportContextSchema,
  type ExportContext,
  type AdminError,
  type AdminResult,
  type AdminState,
  type ApplySetupPayload,
  type ApplySetupResult,
  type CreateFieldsResult,
  type FieldError,
  type PolicyView,
  type RuleChange,
  type RuleSlot,
  type SavePolicyPayload,
  type SelfTestCheck,
  type SelfTestReport,
  type SiteField,
  type SiteProject,
  type TransitionPlan,
  type WorkflowPlanView,
  SiteOptionsSchema,
  type SiteOptions,
} from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { SETUP_PROBLEM_CODES } from '../../../src/setup/setup-problems';
import { defaultPolicy, parsePolicy, type Policy } from '../../../src/domain/policy';
import { FIELD_DEFS, FIELD_KEYS, fieldLabel, OPTION_LABELS, type FieldKey, type OptionField } from '../../../src/domain/change-model';
import { guessOptionValue, optionValueOfLabel } from '../../../src/domain/option-labels';
import { EDGES, type EdgeId } from '../../../src/domain/lifecycle';
import { RISKS, STATES, type Risk, type State } from '../../../src/domain/states';
import { isObject, type Verdict } from '../../shared/view-format';

export type AdminKey = (typeof RESOLVER_KEYS.admin)[keyof typeof RESOLVER_KEYS.admin];
/** `invoke(key, payload)` as the bridge makes it; may reject. */
export type AdminInvoke = (key: AdminKey, payload?: Record<string, unknown>) => Promise<unknown>;
export type PlanReady = Extract<WorkflowPlanView, { state: 'ready' }>;

export const UNREACHABLE: AdminError = {
  code: 'UNREACHABLE',
  message: 'The CC8.1 admin page could not reach the app. Check your connection and try again.',
};

const badResponse = (what: string): AdminError => ({
  code: 'BAD_RESPONSE',
  message: `The app answered ${what} in a shape this page does not understand. Reload the page after the app updates.`,
});

/**
 * Reads what a resolver resolved with: `{ ok:true, data }` (data checked with `schema`) or
 * `{ ok:false, error }`. Anything else is an error, never rendered half-way.
 */
export const readResult = <T>(answer: unknown, schema: z.ZodType<T>, what: string): AdminResult<T> => {
  if (!isObject(answer)) return { ok: false, error: badResponse(what) };
  if (answer.ok === false) {
    const error = AdminErrorSchema.safeParse(answer.error);
    return { ok: false, error: error.success ? error.data : { code: 'ERROR', message: 'The app reported an error without saying what.' } };
  }
  if (answer.ok === true) {
    const data = schema.safeParse(answer.data);
    if (data.success) return { ok: true, data: data.data };
  }
  return { ok: false, error: badResponse(what) };
};

/** A result that carries the new admin state, either as the data itself or as `data.state`. */
const StateCarrierSchema: z.ZodType<AdminState> = z.union([z.object({ state: AdminStateSchema }).transform((d) => d.state), AdminStateSchema]);
/** A dry run, either as the data itself or as `data.setup` / `data.plan`. */
const PlanCarrierSchema: z.ZodType<WorkflowPlanView> = z.union([
  WorkflowPlanViewSchema,
  z.object({ setup: WorkflowPlanViewSchema }).transform((d) => d.setup),
  z.object({ plan: WorkflowPlanViewSchema }).transform((d) => d.plan),
]);

/** The six admin resolvers, each answering an AdminResult; never rejects (a failed call is UNREACHABLE). */
export interface AdminApi {
  getAdminState: () => Promise<AdminResult<AdminState>>;
  savePolicy: (payload: SavePolicyPayload) => Promise<AdminResult<AdminState>>;
  createRecommendedFields: (payload: { baseVersion: number }) => Promise<AdminResult<CreateFieldsResult>>;
  planWorkflowSetup: () => Promise<AdminResult<WorkflowPlanView>>;
  applyWorkflowSetup: (payload: ApplySetupPayload) => Promise<AdminResult<ApplySetupResult>>;
  runSelfTest: () => Promise<AdminResult<SelfTestReport>>;
  getSiteOptions: () => Promise<AdminResult<SiteOptions>>;
  getExportContext: () => Promise<AdminResult<ExportContext>>;
}

/** One resolver call, its answer parsed with `schema`; never rejects (a failed call is UNREACHABLE). */
export const resolverCall =
  (invoke: AdminInvoke) =>
  async <T>(key: AdminKey, payload: Record<string, unknown> | undefined, schema: z.ZodType<T>, what: string): Promise<AdminResult<T>> => {
    try {
      return readResult(await invoke(key, payload), schema, what);
    } catch {
      return { ok: false, error: UNREACHABLE };
    }
  };

export const createAdminApi = (invoke: AdminInvoke): AdminApi => {
  const call = resolverCall(invoke);
  const keys = RESOLVER_KEYS.admin;
  return {
    getAdminState: () => call(keys.getAdminState, undefined, AdminStateSchema, 'the settings'),
    savePolicy: (payload) => call(keys.savePolicy, payload, StateCarrierSchema, 'the save'),
    createRecommendedFields: (payload) => call(keys.createRecommendedFields, payload, CreateFieldsResultSchema, 'the field creation'),
    planWorkflowSetup: () => call(keys.planWorkflowSetup, undefined, PlanCarrierSchema, 'the dry run'),
    applyWorkflowSetup: (payload) => call(keys.applyWorkflowSetup, payload, ApplySetupResultSchema, 'the workflow setup'),
    runSelfTest: () => call(keys.runSelfTest, undefined, RunSelfTestResultSchema.transform((d) => d.report), 'the self-test'),
    getSiteOptions: () => call(keys.getSiteOptions, undefined, SiteOptionsSchema, "the site's options"),
    getExportContext: () => call(keys.getExportContext, undefined, ExportContextSchema, 'the evidence page'),
  };
};

/** Which action is running (its buttons show progress; every action is disabled meanwhile). */
export type Busy = null | 'save' | 'fields' | 'plan' | 'apply' | 'selftest' | 'reload' | 'options';

export const isCorrupted = (state: AdminState): boolean => state.policy.state === 'corrupted';

// ---- the policy form

export type WindowEnforcement = Policy['windowEnforcement'];
export type EligibilityKind = Policy['eligibility']['approver']['kind'];
export const ELIGIBLE_ROLES = ['approver', 'verifier'] as const;
export type EligibleRole = (typeof ELIGIBLE_ROLES)[number];

/** The form as the admin edits it: text inputs hold strings, '' means "not mapped" or "none". */
export interface PolicyForm {
  projectId: string;
  issueTypeId: string;
  statuses: Record<State, string>;
  fields: Record<FieldKey, string>;
  cabRisks: Risk[];
  cabGroupName: string;
  windowHours: string;
  warnBeforeHours: string;
  businessHoursOn: boolean;
  timeZone: string;
  days: number[];
  start: string;
  end: string;
  windowEnforcement: WindowEnforcement;
  /** Who may approve and verify; `groupName` is kept while another choice is picked. */
  eligibility: Record<EligibleRole, { kind: EligibilityKind; groupName: string }>;
  relaxationOn: boolean;
  compensatingControl: string;
  /** The cut-over date (YYYY-MM-DD), '' for none; a stored date-time is kept as is. */
  cutover: string;
  /** The site's option labels → domain values (issue 16). */
  optionLabels: Policy['optionLabels'];
  /** The Jira group whose members may export evidence besides Jira admins ('' for none). */
  exportersGroup: string;
  /** Kept as loaded: settings this page does not edit. */
  kept: Pick<Policy, 'scope' | 'additionalRequiredFields' | 'additionalMaterialFields'> & { cabMembers: string[] };
}

const byKeys = <K extends string>(keys: readonly K[], value: (key: K) => string): Record<K, string> =>
  Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, string>;

const eligibilityForm = (e: Policy['eligibility']['approver']): PolicyForm['eligibility']['approver'] => ({ kind: e.kind, groupName: e.kind === 'group' ? e.groupName : '' });
const eligibilityInput = (e: PolicyForm['eligibility']['approver']) => (e.kind === 'group' ? { kind: 'group', groupName: e.groupName } : { kind: e.kind });

export const formFromPolicy = (policy: Policy, defaultTimeZone: string): PolicyForm => ({
  projectId: policy.scope?.projectId ?? '',
  issueTypeId: policy.scope?.issueTypeId ?? '',
  statuses: byKeys(STATES, (state) => policy.statuses[state] ?? ''),
  fields: byKeys(FIELD_KEYS, (key) => policy.fields[key] ?? ''),
  cabRisks: [...policy.cab.requiredForRisks],
  cabGroupName: policy.cab.groupName ?? '',
  windowHours: String(policy.postHoc.windowHours),
  warnBeforeHours: String(policy.postHoc.warnBeforeHours),
  businessHoursOn: policy.businessHours !== null,
  timeZone: policy.businessHours?.timeZone ?? defaultTimeZone,
  days: [...(policy.businessHours?.days ?? [1, 2, 3, 4, 5])],
  start: policy.businessHours?.start ?? '09:00',
  end: policy.businessHours?.end ?? '17:00',
  windowEnforcement: policy.windowEnforcement,
  eligibility: {
    approver: eligibilityForm(policy.eligibility.approver),
    verifier: eligibilityForm(policy.eligibility.verifier),
  },
  relaxationOn: policy.lowRiskRelaxation.enabled,
  compensatingControl: policy.lowRiskRelaxation.enabled ? policy.lowRiskRelaxation.compensatingControl : '',
  cutover: policy.cutover ?? '',
  optionLabels: policy.optionLabels,
  exportersGroup: policy.exporters.groupName ?? '',
  kept: {
    scope: policy.scope,
    additionalRequiredFields: policy.additionalRequiredFields,
    additionalMaterialFields: policy.additionalMaterialFields,
    cabMembers: [...policy.cab.memberAccountIds],
  },
});

/** The form for a stored policy view; a corrupted policy (or one this build cannot read) starts from the defaults. */
export const formFromView = (view: PolicyView, defaultTimeZone: string): { form: PolicyForm; errors: FieldError[] } => {
  if (view.state === 'corrupted') return { form: formFromPolicy(defaultPolicy(), defaultTimeZone), errors: [] };
  const parsed = parsePolicy(view.policy);
  return parsed.ok ? { form: formFromPolicy(parsed.policy, defaultTimeZone), errors: [] } : { form: formFromPolicy(defaultPolicy(), defaultTimeZone), errors: parsed.errors };
};

/** The version a save is based on: the stored one; for a corrupted policy, the newest in the history. */
export const baseVersionOf = (state: AdminState): number =>
  state.policy.state === 'corrupted' ? (state.history[0]?.version ?? 0) : state.policy.version;

const WHOLE = /^\s*\d+\s*$/;
const hoursOf = (text: string): number => (WHOLE.test(text) ? Number(text) : Number.NaN);

/** The policy the form describes, as the JSON the domain's PolicySchema reads. */
export const policyInputFromForm = (form: PolicyForm, projects: readonly SiteProject[], version: number): Record<string, unknown> => {
  const project = projects.find((p) => p.id === form.projectId);
  const issueType = project?.issueTypes.find((t) => t.id === form.issueTypeId);
  const kept = form.kept.scope;
  const scope = !form.projectId
    ? null
    : {
        projectId: form.projectId,
        projectKey: project?.key ?? (kept?.projectId === form.projectId ? kept.projectKey : ''),
        issueTypeId: form.issueTypeId,
        issueTypeName: issueType?.name ?? (kept?.issueTypeId === form.issueTypeId ? kept.issueTypeName : ''),
      };
  const mapped = <K extends string>(ids: Record<K, string>) => Object.fromEntries(Object.entries<string>(ids).filter(([, id]) => id.trim() !== ''));
  return {
    version,
    scope,
    statuses: mapped(form.statuses),
    fields: mapped(form.fields),
    cab: { requiredForRisks: RISKS.filter((risk) => form.cabRisks.includes(risk)), groupName: form.cabGroupName.trim() || null, memberAccountIds: form.kept.cabMembers },
    postHoc: { windowHours: hoursOf(form.windowHours), warnBeforeHours: hoursOf(form.warnBeforeHours) },
    businessHours: form.businessHoursOn ? { timeZone: form.timeZone.trim(), days: [...form.days].sort((a, b) => a - b), start: form.start, end: form.end } : null,
    windowEnforcement: form.windowEnforcement,
    eligibility: { approver: eligibilityInput(form.eligibility.approver), verifier: eligibilityInput(form.eligibility.verifier) },
    lowRiskRelaxation: form.relaxationOn ? { enabled: true, compensatingControl: form.compensatingControl } : { enabled: false },
    cutover: form.cutover.trim() || null,
    optionLabels: form.optionLabels,
    exporters: { groupName: form.exportersGroup.trim() || null },
    additionalRequiredFields: form.kept.additionalRequiredFields,
    additionalMaterialFields: form.kept.additionalMaterialFields,
  };
};

/** Checks the form asks for that the schema cannot phrase well; they replace the schema's errors on the same path. */
const formChecks = (form: PolicyForm, projects: readonly SiteProject[]): FieldError[] => {
  const errors: FieldError[] = [];
  if (form.projectId && !form.issueTypeId) errors.push({ path: 'scope.issueTypeId', message: 'Pick the issue type that holds change tickets' });
  if (form.projectId && !projects.some((p) => p.id === form.projectId) && form.kept.scope?.projectId !== form.projectId) {
    errors.push({ path: 'scope.projectId', message: 'This project is not on the site any more; pick another one' });
  }
  if (!WHOLE.test(form.windowHours)) errors.push({ path: 'postHoc.windowHours', message: 'Enter a whole number of hours (48 to 72)' });
  if (!WHOLE.test(form.warnBeforeHours)) errors.push({ path: 'postHoc.warnBeforeHours', message: 'Enter a whole number of hours' });
  return errors;
};

export type FormValidation = { ok: true; policy: Policy } | { ok: false; errors: FieldError[] };

/** Validates the form with the domain's parsePolicy (the same zod the server runs), plus the form's own checks. */
export const validateForm = (form: PolicyForm, projects: readonly SiteProject[], version: number): FormValidation => {
  const local = formChecks(form, projects);
  const parsed = parsePolicy(policyInputFromForm(form, projects, version));
  if (parsed.ok && local.length === 0) return { ok: true, policy: parsed.policy };
  const claimed = new Set(local.map((e) => e.path));
  const schemaErrors = parsed.ok ? [] : parsed.errors.filter((e) => !claimed.has(e.path) && !(e.path.startsWith('scope.') && claimed.has('scope.projectId')));
  return { ok: false, errors: [...local, ...schemaErrors] };
};

export const formsEqual = (a: PolicyForm, b: PolicyForm): boolean => JSON.stringify(a) === JSON.stringify(b);

// ---- field errors by dotted path

/** The paths the form has a control for (the error appears next to it). */
export const CONTROL_PATHS: readonly string[] = [
  'scope.projectId',
  'scope.issueTypeId',
  ...STATES.map((state) => `statuses.${state}`),
  ...FIELD_KEYS.map((key) => `fields.${key}`),
  'cab.requiredForRisks',
  'cab.groupName',
  'postHoc.windowHours',
  'postHoc.warnBeforeHours',
  'businessHours.timeZone',
  'businessHours.days',
  'businessHours.start',
  'businessHours.end',
  'windowEnforcement',
  'eligibility.approver',
  'eligibility.verifier',
  'lowRiskRelaxation.compensatingControl',
  'cutover',
  'exporters.groupName',
];

/** The DOM id of the control for a path ("fields.risk" → "cc81-fields-risk"). */
export const controlId = (path: string): string => `cc81-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
export const errorId = (path: string): string => `${controlId(path)}-error`;

const under = (path: string, control: string): boolean => path === control || path.startsWith(`${control}.`);

/** The messages for one control: its path and anything below it ("businessHours.days.0"). */
export const errorsAt = (errors: readonly FieldError[], control: string): string[] => errors.filter((e) => under(e.path, control)).map((e) => e.message);

/** The control an error belongs to, or null (the error is then shown in the summary only). */
export const controlOf = (path: string): string | null => CONTROL_PATHS.find((control) => under(path, control)) ?? null;

const isFieldKey = (key: string): key is FieldKey => Object.hasOwn(FIELD_DEFS, key);
const isState = (key: string): key is State => (STATES as readonly string[]).includes(key);

const TOP_LABELS: Record<string, string> = {
  scope: 'Scope',
  'scope.projectId': 'Project',
  'scope.projectKey': 'Project',
  'scope.issueTypeId': 'Issue type',
  'scope.issueTypeName': 'Issue type',
  statuses: 'Status mapping',
  fields: 'Field mapping',
  'exporters.groupName': 'Evidence exporters group',
  cab: 'CAB',
  'cab.requiredForRisks': 'Risks that need a CAB',
  'cab.groupName': 'CAB group',
  'cab.memberAccountIds': 'CAB members',
  postHoc: 'Post-hoc approval',
  'postHoc.windowHours': 'Post-hoc window',
  'postHoc.warnBeforeHours': 'Warning before the deadline',
  businessHours: 'Business hours',
  'businessHours.timeZone': 'Time zone',
  'businessHours.days': 'Business days',
  'businessHours.start': 'Business hours start',
  'businessHours.end': 'Business hours end',
  windowEnforcement: 'Window enforcement',
  eligibility: 'Who may approve and verify',
  'eligibility.approver': 'Who may approve',
  'eligibility.verifier': 'Who may verify',
  lowRiskRelaxation: 'Low-risk relaxation',
  'lowRiskRelaxation.enabled': 'Low-risk relaxation',
  'lowRiskRelaxation.compensatingControl': 'Compensating control',
  cutover: 'Enforced from (cut-over)',
  additionalRequiredFields: 'Additional required fields',
  additionalMaterialFields: 'Additional material fields',
  version: 'Policy version',
};

/** A dotted policy path in words: "fields.risk" → "Field mapping: Risk rating". */
export const pathLabel = (path: string): string => {
  const [head, key] = path.split('.');
  if (head === 'fields' && key && isFieldKey(key)) return `Field mapping: ${fieldLabel(key)}`;
  if (head === 'statuses' && key && isState(key)) return `Status for ${key}`;
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const label = TOP_LABELS[parts.join('.')];
    if (label) return label;
  }
  return path;
};

// ---- site pickers

/** The Jira fields that can hold a CC8.1 field, plus the one mapped now when it is not among them (so it is never silently dropped). */
export const fieldChoices = (key: FieldKey, fields: readonly SiteField[], current: string): { id: string; label: string; suitable: boolean }[] => {
  const suitable = fields.filter((f) => f.suitableFor.includes(key)).map((f) => ({ id: f.id, label: `${f.name} (${f.typeLabel}, ${f.id})`, suitable: true }));
  if (!current || suitable.some((f) => f.id === current)) return suitable;
  const other = fields.find((f) => f.id === current);
  return [...suitable, { id: current, label: other ? `${other.name} (${other.typeLabel}, ${other.id}): ${other.unsuitableWhy[key] ?? 'not a suitable type'}` : `${current}: not on this site`, suitable: false }];
};

/** Why site fields named like a CC8.1 field cannot hold it (the picker does not offer them). */
export const unsuitableNotes = (key: FieldKey, fields: readonly SiteField[]): string[] => fields.flatMap((f) => (f.unsuitableWhy[key] ? [f.unsuitableWhy[key]!] : []));

/** CC8.1 fields the stored policy leaves unmapped: what "Create recommended fields" creates. */
export const missingFields = (form: PolicyForm): FieldKey[] => FIELD_KEYS.filter((key) => !form.fields[key]);

export const RISK_LABELS: Record<Risk, string> = OPTION_LABELS.risk;

/** ISO weekdays, as the policy stores them (1 = Monday). */
export const WEEKDAYS: readonly { day: number; label: string }[] = [
  { day: 1, label: 'Monday' },
  { day: 2, label: 'Tuesday' },
  { day: 3, label: 'Wednesday' },
  { day: 4, label: 'Thursday' },
  { day: 5, label: 'Friday' },
  { day: 6, label: 'Saturday' },
  { day: 7, label: 'Sunday' },
];

export const WINDOW_ENFORCEMENT_CHOICES: readonly { value: WindowEnforcement; label: string; help: string }[] = [
  { value: 'block', label: 'Block', help: 'Implementing outside the maintenance window is refused.' },
  { value: 'flag', label: 'Flag', help: 'Implementing outside the window is allowed and recorded as a finding.' },
];

const optionValueOf = (field: OptionField, label: string): string | null => optionValueOfLabel({ optionLabels: {} }, field, label);

export { guessOptionValue };

/**
 * The rows the option mapping shows for one field: every site label the app does not know by
 * itself, with the value the policy maps it to, else the first guess.
 */
export const optionRows = (field: OptionField, labels: readonly string[], mapped: Policy['optionLabels']): { label: string; value: string; guessed: boolean }[] =>
  labels
    .filter((label) => optionValueOf(field, label) === null || Object.hasOwn(mapped[field] ?? {}, label))
    .map((label) => {
      const current = (mapped[field] as Record<string, string> | undefined)?.[label];
      return current ? { label, value: current, guessed: false } : { label, value: guessOptionValue(field, label), guessed: true };
    });

/** The form with `label` of `field` mapped to `value` ('' removes the mapping). */
export const withOptionLabel = (form: PolicyForm, field: OptionField, label: string, value: string): PolicyForm => {
  const current = { ...((form.optionLabels[field] as Record<string, string> | undefined) ?? {}) };
  if (value) current[label] = value;
  else delete current[label];
  return { ...form, optionLabels: { ...form.optionLabels, [field]: current } };
};

export const ELIGIBILITY_CHOICES: readonly { value: EligibilityKind; label: string; help: string }[] = [
  { value: 'anyone', label: 'Anyone named', help: 'whoever the change names (or, to approve, a CAB member).' },
  { value: 'group', label: 'Members of a Jira group', help: 'only members of the group below, even when the change names someone else.' },
  { value: 'cab', label: 'CAB members', help: 'only members of the CAB set above.' },
];

/** The browser's IANA zones, for the time zone suggestions (empty where the browser cannot list them). */
export const timeZoneNames = (): string[] => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
};

// ---- workflow setup

export const SLOT_LABELS: Record<RuleSlot, string> = {
  condition: 'Condition',
  validator: 'Validator',
  'history-gate': 'History gate',
  'evidence-recorder': 'Evidence recorder',
};

export const ACTION_VERDICTS: Record<RuleChange['action'], Verdict> = {
  add: { tone: 'ok', icon: '+', label: 'Add' },
  update: { tone: 'warning', icon: '↻', label: 'Update' },
  remove: { tone: 'danger', icon: '−', label: 'Remove' },
  keep: { tone: 'neutral', icon: '=', label: 'Keep' },
};

const EDGE_BY_ID = new Map(EDGES.map((edge) => [edge.id, edge]));
export const edgeName = (id: EdgeId): string => EDGE_BY_ID.get(id)?.name ?? id;
export const edgeLabel = (id: EdgeId): string => {
  const edge = EDGE_BY_ID.get(id);
  return edge ? `${edge.name} (${edge.from} → ${edge.to})` : id;
};

export const transitionPath = (t: TransitionPlan): string => `${t.from.length ? t.from.join(', ') : 'any status'} → ${t.to ?? 'unmapped status'}`;

export const ruleLabel = (change: RuleChange): string => (change.parts > 1 ? `${SLOT_LABELS[change.slot]} (part ${change.part} of ${change.parts})` : SLOT_LABELS[change.slot]);

/** Transitions whose rules were compiled for an older policy (an update is due). */
export const staleTransitions = (plan: PlanReady): TransitionPlan[] => plan.transitions.filter((t) => t.changes.some((c) => c.action === 'update'));

// ---- self-test

export const CHECK_VERDICTS: Record<SelfTestCheck['status'], Verdict> = {
  pass: { tone: 'ok', icon: '✓', label: 'Pass' },
  warn: { tone: 'warning', icon: '!', label: 'Warning' },
  fail: { tone: 'danger', icon: '✕', label: 'Fail' },
  skipped: { tone: 'neutral', icon: '–', label: 'Skipped' },
};

export const selfTestSummary = (report: SelfTestReport): Verdict => {
  const count = (status: SelfTestCheck['status']) => report.checks.filter((c) => c.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  if (failed > 0) return { tone: 'danger', icon: '✕', label: `${failed} ${failed === 1 ? 'check fails' : 'checks fail'}: the control is not fully enforced.` };
  if (!report.ok) return { tone: 'danger', icon: '✕', label: 'The self-test did not pass.' };
  if (warned > 0) return { tone: 'warning', icon: '!', label: `All checks pass, with ${warned} ${warned === 1 ? 'warning' : 'warnings'}.` };
  return { tone: 'ok', icon: '✓', label: 'All checks pass: the CC8.1 control is enforced.' };
};

// ---- setup guide (issue 18)

/** Empty status mappings filled with the site status of the same name (the admin still saves them). */
export const withStatusesByName = (form: PolicyForm, statuses: readonly { id: string; name: string }[]): PolicyForm => {
  const filled = { ...form.statuses };
  let changed = false;
  for (const state of STATES) {
    if (filled[state]) continue;
    const match = statuses.filter((s) => s.name.trim().toLowerCase() === state.toLowerCase());
    if (match.length === 1) {
      filled[state] = match[0]!.id;
      changed = true;
    }
  }
  return changed ? { ...form, statuses: filled } : form;
};

export type SetupStepId = 'scope' | 'fields' | 'policy' | 'rules' | 'selftest';

export interface SetupStep {
  id: SetupStepId;
  label: string;
  done: boolean;
  /** What is left, in words; null when done. */
  todo: string | null;
}

/**
 * Where the admin is: scope → fields → policy → rules → self-test, each done or what is left.
 * `selfTestStale`: the rules changed since the last self-test ran.
 */
export const setupProgress = (admin: AdminState, plan: WorkflowPlanView, report: SelfTestReport | null, selfTestStale: boolean): SetupStep[] => {
  const stored = admin.policy.state === 'saved' ? parsePolicy(admin.policy.policy) : null;
  const policy = stored?.ok ? stored.policy : null;
  const unmapped = policy ? FIELD_KEYS.filter((key) => !policy.fields[key]) : FIELD_KEYS;
  const rulesCurrent = plan.state === 'ready' && plan.upToDate && plan.problems.length === 0;
  return [
    { id: 'scope', label: 'Project and issue type', done: Boolean(policy?.scope), todo: policy?.scope ? null : 'Choose the project and issue type of change tickets, and save.' },
    { id: 'fields', label: 'Fields', done: unmapped.length === 0, todo: unmapped.length ? `${unmapped.length} CC8.1 ${unmapped.length === 1 ? 'field is' : 'fields are'} not mapped: map them or create the recommended fields.` : null },
    { id: 'policy', label: 'Policy saved', done: policy !== null, todo: policy ? null : 'Save the policy (statuses, CAB, post-hoc window).' },
    { id: 'rules', label: 'Rules installed', done: rulesCurrent, todo: rulesCurrent ? null : 'Install / refresh the rules on the workflow: until then nothing is enforced.' },
    {
      id: 'selftest',
      label: 'Self-test passed',
      done: Boolean(report?.ok) && !selfTestStale,
      todo: !report ? 'Run the self-test.' : selfTestStale ? 'The rules changed since the last self-test: run it again.' : report.ok ? null : 'The self-test found problems: fix them and run it again.',
    },
  ];
};

/**
 * Whether the app enforces anything yet: only once its rules are on the workflow. Null when the
 * page cannot tell (no dry run for another reason than a missing setup, say a shared workflow).
 */
export const isEnforcing = (admin: AdminState, plan: WorkflowPlanView): boolean | null => {
  if (plan.state === 'ready') return plan.transitions.some((t) => t.changes.some((c) => c.action !== 'add'));
  // Without a saved policy and a scope the app cannot have installed anything.
  return admin.policy.state === 'default' || plan.code === SETUP_PROBLEM_CODES.scopeUnset || plan.code === SETUP_PROBLEM_CODES.statusesUnmapped || plan.code === ADMIN_ERROR_CODES.notReady ? false : null;
};

/** The project page module (the evidence export for compliance leads), as its Forge context names it. */
export const EVIDENCE_PAGE_MODULE_KEY = 'cc81-evidence-page';
export const isEvidencePage = (context: unknown): boolean => isObject(context) && context.moduleKey === EVIDENCE_PAGE_MODULE_KEY;
