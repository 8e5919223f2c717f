// Admin states as the resolver would answer them, for the admin page's tests. Every builder parses
// its result with the contract's schema, so a fixture cannot drift from AdminStateSchema.
import {
  AdminStateSchema,
  PipelineSecretResultSchema,
  PipelinesStateSchema,
  PipelineViewSchema,
  type AdminState,
  type PipelineSecretResult,
  type PipelinesState,
  type PipelineView,
  type SelfTestReport,
  type SiteField,
  type WorkflowPlanView,
} from '../../../src/shared/admin-contract';
import { FIELD_DEFS, FIELD_KEYS, JIRA_FIELD_TYPE_WORDS, type FieldKey, type JiraFieldType } from '../../../src/domain/change-model';
import { STATES } from '../../../src/domain/states';
import { ExportStatusSchema, type ExportFile, type ExportStatus } from '../../../src/shared/export-contract';

export const ADAM = { accountId: 'acc-adam', displayName: 'Adam Admin' };
export const OTHER_ADMIN = { accountId: 'acc-olga', displayName: 'Olga Other' };

/** Status ids 10001… for the six states, in lifecycle order, plus one unrelated status. */
export const STATUS_IDS = Object.fromEntries(STATES.map((state, i) => [state, String(10001 + i)])) as Record<(typeof STATES)[number], string>;

const TYPE_LABEL: Record<JiraFieldType, string> = JIRA_FIELD_TYPE_WORDS;
const suitable = (type: JiraFieldType): FieldKey[] => FIELD_KEYS.filter((key) => FIELD_DEFS[key].jira === type);

/** One custom field per CC8.1 field (customfield_10100 + index), named like the app would create it. */
export const customFieldId = (key: FieldKey): string => `customfield_${10100 + FIELD_KEYS.indexOf(key)}`;
const customField = (key: FieldKey): SiteField => ({
  id: customFieldId(key),
  name: `CC8.1 ${FIELD_DEFS[key].label}`,
  custom: true,
  typeLabel: TYPE_LABEL[FIELD_DEFS[key].jira],
  suitableFor: suitable(FIELD_DEFS[key].jira),
  unsuitableWhy: {},
});

const SYSTEM_FIELDS: SiteField[] = [
  { id: 'summary', name: 'Summary', custom: false, typeLabel: 'short text', suitableFor: suitable('string'), unsuitableWhy: {} },
  { id: 'description', name: 'Description', custom: false, typeLabel: 'paragraph', suitableFor: suitable('richtext'), unsuitableWhy: {} },
  { id: 'reporter', name: 'Reporter', custom: false, typeLabel: 'user picker', suitableFor: suitable('user'), unsuitableWhy: {} },
  { id: 'status', name: 'Status', custom: false, typeLabel: 'status', suitableFor: [], unsuitableWhy: {} },
];

/** Keys the app maps to system fields by default; the rest get custom fields. */
const SYSTEM_MAPPED: Partial<Record<FieldKey, string>> = { summary: 'summary', justification: 'description', requester: 'reporter' };

export const siteFields = (withCustom: readonly FieldKey[] = FIELD_KEYS.filter((k) => !SYSTEM_MAPPED[k])): SiteField[] => [...SYSTEM_FIELDS, ...withCustom.map(customField)];

export const fullMapping = (): Record<FieldKey, string> => Object.fromEntries(FIELD_KEYS.map((key) => [key, SYSTEM_MAPPED[key] ?? customFieldId(key)])) as Record<FieldKey, string>;

export const SCOPE = { projectId: '10000', projectKey: 'CHG', issueTypeId: '10010', issueTypeName: 'Change' };

/** A saved, fully mapped policy (as JSON, like the resolver sends it). */
export const savedPolicyJson = (version: number): Record<string, unknown> => ({
  version,
  scope: SCOPE,
  statuses: STATUS_IDS,
  fields: fullMapping(),
  cab: { requiredForRisks: ['medium', 'high'], groupName: 'cab-members', memberAccountIds: [] },
  postHoc: { windowHours: 72, warnBeforeHours: 24 },
  businessHours: null,
  windowEnforcement: 'block',
  lowRiskRelaxation: { enabled: false },
  additionalRequiredFields: {},
  additionalMaterialFields: [],
});

export const readyPlan = (policyVersion: number, overrides: Partial<Extract<WorkflowPlanView, { state: 'ready' }>> = {}): WorkflowPlanView => ({
  state: 'ready',
  workflow: { id: 'wf-1', name: 'CHG: CC8.1 workflow', versionId: 'wfv-7', versionNumber: 7 },
  policyVersion,
  transitions: [
    {
      transitionId: '11',
      transitionName: 'Submit',
      from: ['Draft'],
      to: 'Assessment',
      edges: ['submit'],
      changes: [
        { action: 'update', slot: 'validator', part: 1, parts: 1, checks: ['Summary is set', 'Justification is set'], reason: `compiled for policy v${policyVersion - 1}; the policy is now v${policyVersion}` },
        { action: 'keep', slot: 'evidence-recorder', part: 1, parts: 1, checks: ['records who submitted'], reason: null },
      ],
    },
    {
      transitionId: '21',
      transitionName: 'Approve',
      from: ['Assessment'],
      to: 'Approved',
      edges: ['approve'],
      changes: [
        { action: 'add', slot: 'condition', part: 1, parts: 2, checks: ['actor is the named approver or a CAB member'], reason: null },
        { action: 'add', slot: 'condition', part: 2, parts: 2, checks: ['actor is not the implementer'], reason: null },
        { action: 'add', slot: 'history-gate', part: 1, parts: 1, checks: ['approved by a non-implementer'], reason: null },
      ],
    },
    { transitionId: '99', transitionName: 'Old rule', from: ['Closed'], to: 'Draft', edges: [], changes: [{ action: 'remove', slot: 'validator', part: 1, parts: 1, checks: [], reason: 'no lifecycle step goes Closed → Draft' }] },
  ],
  problems: [{ code: 'GLOBAL_TRANSITION', message: 'The workflow has a global transition "Reopen" that bypasses Approved.', transitionId: '31' }],
  changedTransitions: 3,
  upToDate: false,
  ...overrides,
});

export const selfTestReport = (overrides: Partial<SelfTestReport> = {}): SelfTestReport => ({
  ranAt: '2026-11-30T06:00:00.000Z',
  trigger: 'scheduled',
  ok: false,
  restCalls: 6,
  checks: [
    { id: 'licensed', status: 'pass', title: 'The app is licensed', details: [], fix: null },
    { id: 'company-managed', status: 'pass', title: 'The project is company-managed', details: [], fix: null },
    { id: 'rules-current', status: 'warn', title: 'Rules are current', details: ['Submit: compiled for policy v2'], fix: 'Install / refresh rules on the admin page.' },
    { id: 'no-bypass', status: 'fail', title: 'No transition bypasses Approved or Closed', details: ['Global transition "Reopen" goes to Implemented from any status'], fix: 'Delete the global transition in the workflow editor.' },
    { id: 'workflow-found', status: 'skipped', title: 'The workflow was found', details: ['Skipped: no scope'], fix: null },
  ],
  ...overrides,
});

type StateOverrides = Partial<Omit<AdminState, 'site'>> & { site?: Partial<AdminState['site']> };

/** A licensed site with a saved, fully mapped policy v3, a dry run with stale rules, and a failing self-test. */
export const adminState = (overrides: StateOverrides = {}): AdminState =>
  AdminStateSchema.parse({
    licensed: true,
    policy: { state: 'saved', version: 3, policy: savedPolicyJson(3), updatedBy: ADAM, updatedAt: '2026-11-29T10:00:00.000Z' },
    history: [
      { version: 3, updatedBy: ADAM, updatedAt: '2026-11-29T10:00:00.000Z', changes: ['postHoc.windowHours', 'fields.risk'], reason: 'CAB asked for 72 h' },
      { version: 2, updatedBy: OTHER_ADMIN, updatedAt: '2026-11-28T09:00:00.000Z', changes: ['statuses.Approved'], reason: null },
      { version: 1, updatedBy: null, updatedAt: '2026-11-27T08:00:00.000Z', changes: ['(new policy)'], reason: null },
    ],
    setup: readyPlan(3),
    selfTest: selfTestReport(),
    ...overrides,
    site: {
      projects: [
        { id: SCOPE.projectId, key: 'CHG', name: 'Change Management', companyManaged: true, issueTypes: [{ id: SCOPE.issueTypeId, name: 'Change' }, { id: '10011', name: 'Task' }] },
        { id: '10002', key: 'TEAM', name: 'Team Space', companyManaged: false, issueTypes: [{ id: '10020', name: 'Task' }] },
      ],
      statuses: [...STATES.map((state) => ({ id: STATUS_IDS[state], name: state, category: state === 'Closed' ? 'Done' : state === 'Draft' ? 'To Do' : 'In Progress' })), { id: '3', name: 'In Review', category: 'In Progress' }],
      fields: siteFields(),
      ...overrides.site,
    },
  });

/** A bare site: nothing saved yet, no custom fields, no scope, no dry run, no self-test. */
export const bareState = (overrides: StateOverrides = {}): AdminState =>
  adminState({
    policy: { state: 'default', version: 0, policy: {} },
    history: [],
    setup: { state: 'unavailable', code: 'SETUP_NOT_READY', message: 'Pick the project and map the statuses first.' },
    selfTest: null,
    ...overrides,
    site: { fields: siteFields([]), ...overrides.site },
  });

export const ok = <T>(data: T) => ({ ok: true as const, data });
export const fail = (code: string, message: string, fieldErrors?: { path: string; message: string }[]) => ({ ok: false as const, error: { code, message, ...(fieldErrors ? { fieldErrors } : {}) } });

// ---- evidence export jobs (parsed with the export contract's ExportStatusSchema)

export const EXPORT_HASH = 'a3f1'.repeat(16);
export const EXPORT_JQL = 'project = "CHG" AND issuetype = "Change"';

/** The files of a finished export, in a deliberately unsorted order (the page sorts them). */
export const EXPORT_FILES: ExportFile[] = [
  { name: 'tickets/CHG-10.json', contentType: 'application/json' },
  { name: 'population.json', contentType: 'application/json' },
  { name: 'tickets/CHG-2.json', contentType: 'application/json' },
  { name: 'index.json', contentType: 'application/json' },
  { name: 'tickets/CHG-10.html', contentType: 'text/html' },
  { name: 'index.html', contentType: 'text/html' },
  { name: 'sample.json', contentType: 'application/json' },
  { name: 'tickets/CHG-2.html', contentType: 'text/html' },
  { name: 'audit-summary.json', contentType: 'application/json' },
];

type JobOverrides = Partial<Omit<ExportStatus, 'progress' | 'spec'>> & { progress?: Partial<ExportStatus['progress']>; spec?: Partial<ExportStatus['spec']> };

/** A job that has just started reading the population (as `startEvidenceExport` answers: the period as its half-open UTC interval). */
export const exportJob = (overrides: JobOverrides = {}): ExportStatus =>
  ExportStatusSchema.parse({
    jobId: 'job-1',
    state: 'running',
    phase: 'population',
    createdAt: '2026-12-01T19:00:00.000Z',
    updatedAt: '2026-12-01T19:00:00.000Z',
    createdBy: ADAM.accountId,
    population: null,
    summary: null,
    error: null,
    files: [],
    ...overrides,
    spec: { jql: EXPORT_JQL, from: '2026-01-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z', size: 25, seed: 42, ...overrides.spec },
    progress: { pagesRead: 0, ticketsRead: 0, inPeriod: 0, packsDone: 0, packsTotal: null, ...overrides.progress },
  });

/** A finished job: 120 tickets in the population, 2 sampled packs, 3 exceptions. */
export const doneExportJob = (overrides: JobOverrides = {}): ExportStatus =>
  exportJob({
    state: 'done',
    phase: 'done',
    updatedAt: '2026-12-01T19:00:09.000Z',
    population: { count: 120, hash: EXPORT_HASH },
    summary: { exceptions: 3, ticketsWithExceptions: 2, unreadable: 1 },
    files: EXPORT_FILES,
    ...overrides,
    spec: { size: 2, ...overrides.spec },
    progress: { pagesRead: 3, ticketsRead: 250, inPeriod: 120, packsDone: 2, packsTotal: 2, ...overrides.progress },
  });

// ---- deployment gate pipelines (parsed with the admin contract's schemas)

export const GATE_URL = 'https://acme.atlassian.net/x1/gate-trigger-7f3a';
export const PIPELINE_IDS = { payments: '0123456789abcdef', web: 'fedcba9876543210' } as const;

/** A live pipeline: "payments-api deploy", created by Adam, never used. */
export const pipelineView = (overrides: Partial<PipelineView> = {}): PipelineView =>
  PipelineViewSchema.parse({
    id: PIPELINE_IDS.payments,
    name: 'payments-api deploy',
    createdAt: '2026-11-30T09:00:00.000Z',
    createdBy: ADAM,
    secretSetAt: '2026-11-30T09:00:00.000Z',
    secretHint: 'a1b2',
    lastUsedAt: null,
    ...overrides,
  });

export const webPipeline = (overrides: Partial<PipelineView> = {}): PipelineView =>
  pipelineView({ id: PIPELINE_IDS.web, name: 'web deploy', createdBy: null, secretHint: '9f8e', lastUsedAt: '2026-12-01T07:30:00.000Z', ...overrides });

export const pipelinesState = (pipelines: PipelineView[] = [pipelineView(), webPipeline()], gateUrl: string | null = GATE_URL): PipelinesState => PipelinesStateSchema.parse({ pipelines, gateUrl });

/** A token as the app issues it: `cc81p_<id>_<64 hex>`; `seed` varies the secret. */
export const pipelineTokenOf = (id: string, seed: string): string => `cc81p_${id}_${seed.repeat(64).slice(0, 64)}`;

export const secretResult = (pipeline: PipelineView, token: string, state: PipelinesState): PipelineSecretResult => PipelineSecretResultSchema.parse({ pipeline, token, state });
