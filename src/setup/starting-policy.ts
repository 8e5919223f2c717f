/**
 * A starting policy from what a site already has (issue 16, `cc81 policy --site`): each CC8.1
 * field mapped to the one site field whose name means it and whose type can hold it, each state to
 * the status named like it, each option label to the value it most likely means. What it cannot
 * decide (no such field, several, a label it cannot place) is listed, for the auditor to settle.
 */
import { FIELD_DEFS, FIELD_KEYS, fieldLabel, guessOptionValue, OPTION_LABELS, optionValueOfLabel, parsePolicy, STATES, type FieldKey, type OptionField, type Policy, type State } from '../domain';
import type { StatusJson } from '../jira/config-client';
import type { FieldDetails, ProjectJson } from '../jira/workflow-schemas';
import { jiraFieldTypeOf, suitableFieldKeys } from './field-suitability';

/** Names sites give each CC8.1 field (lower case; the app's own label is always one). */
const FIELD_NAMES: Readonly<Record<FieldKey, readonly string[]>> = {
  summary: ['summary'],
  justification: ['description', 'change reason', 'reason for change', 'business justification'],
  changeType: ['change type', 'type of change'],
  risk: ['change risk', 'risk', 'risk level'],
  requester: ['reporter', 'requester', 'requestor'],
  implementer: ['implementer', 'change implementer', 'implemented by'],
  approver: ['approver', 'approvers', 'change approver', 'change approvers'],
  verifier: ['verifier', 'verified by', 'verification team', 'reviewer'],
  cabReference: ['cab reference', 'cab ticket', 'cab approval reference'],
  targetSystems: ['target systems', 'affected services', 'systems affected', 'affected systems', 'components'],
  windowStart: ['change start date', 'maintenance window start', 'planned start', 'planned start date', 'window start'],
  windowEnd: ['change completion date', 'maintenance window end', 'planned end', 'planned end date', 'window end'],
  recurringWindow: ['recurring window', 'recurring maintenance window'],
  testPlan: ['test plan', 'testing plan'],
  rollbackPlan: ['rollback plan', 'backout plan', 'back-out plan', 'roll back plan'],
  implementationEvidence: ['implementation evidence', 'implementation notes', 'implementation details'],
  verificationResult: ['verification result', 'verification', 'post-implementation review', 'outcome'],
  rollbackOutcome: ['rollback outcome', 'backout notes', 'backout outcome'],
  standardTemplate: ['standard change template', 'standard template', 'change template'],
  emergencyJustification: ['emergency justification', 'emergency reason'],
  cancellationReason: ['cancellation reason', 'reason for cancellation'],
};

/** Names sites give each lifecycle state's status (lower case). */
const STATUS_NAMES: Readonly<Record<State, readonly string[]>> = {
  Draft: ['draft', 'open', 'new', 'to do'],
  Assessment: ['assessment', 'in assessment', 'under review', 'in review', 'awaiting approval', 'awaiting cab approval'],
  Approved: ['approved', 'authorized', 'authorised'],
  Scheduled: ['scheduled', 'awaiting implementation', 'planned'],
  Implemented: ['implemented', 'implementing', 'in progress'],
  Closed: ['closed', 'done', 'resolved', 'completed'],
};

export interface Undecided {
  /** The policy path to fill in (`fields.approver`, `statuses.Approved`, `optionLabels.risk`, `scope`). */
  path: string;
  problem: string;
}

export interface SiteSnapshot {
  fields: readonly FieldDetails[];
  statuses: readonly StatusJson[];
  projects: readonly ProjectJson[];
}

const norm = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');
const named = (field: FieldDetails) => `"${field.name}" (${field.id})`;

/** The one site field for `key`: named like it (the app's label or a usual name) and able to hold it. */
const pickField = (key: FieldKey, fields: readonly FieldDetails[], taken: ReadonlySet<string>): { id: string } | Undecided => {
  const names = [norm(fieldLabel(key)), ...FIELD_NAMES[key]];
  const path = `fields.${key}`;
  for (const name of names) {
    const matches = fields.filter((f) => norm(f.name) === name && !taken.has(f.id) && suitableFieldKeys(f).includes(key));
    if (matches.length === 1) return { id: matches[0]!.id };
    if (matches.length > 1) return { path, problem: `several fields are named "${name}" and can hold ${fieldLabel(key)}: ${matches.map(named).join(', ')}; pick one` };
  }
  const wrongType = fields.filter((f) => names.includes(norm(f.name)) && !suitableFieldKeys(f).includes(key));
  if (wrongType.length) return { path, problem: `${wrongType.map(named).join(', ')} cannot hold ${fieldLabel(key)} (wrong type); map another field or create one on the admin page` };
  return { path, problem: `no field named like ${fieldLabel(key)} (tried: ${names.join(', ')}); map one or create it on the admin page` };
};

const pickStatus = (state: State, statuses: readonly StatusJson[], taken: ReadonlySet<string>): { id: string } | Undecided => {
  for (const name of [norm(state), ...STATUS_NAMES[state]]) {
    const matches = statuses.filter((s) => norm(s.name) === name && !taken.has(s.id));
    if (matches.length === 1) return { id: matches[0]!.id };
    if (matches.length > 1) return { path: `statuses.${state}`, problem: `several statuses are named "${name}": ${matches.map((s) => `${s.name} (${s.id})`).join(', ')}; pick the workflow's` };
  }
  return { path: `statuses.${state}`, problem: `no status named like ${state} (tried: ${STATUS_NAMES[state].join(', ')}); map the workflow's status` };
};

export const pickScope = (projects: readonly ProjectJson[], projectKey: string | null): Policy['scope'] | Undecided => {
  if (!projectKey) return { path: 'scope', problem: 'no --project given; set the project and issue type of change tickets' };
  const project = projects.find((p) => p.key.toLowerCase() === projectKey.toLowerCase());
  if (!project) return { path: 'scope', problem: `no project ${projectKey} on this site (or no permission to see it)` };
  const types = project.issueTypes.filter((t) => !t.subtask);
  const change = types.filter((t) => /change/i.test(t.name));
  if (change.length !== 1) return { path: 'scope', problem: `project ${project.key} has ${change.length ? 'several' : 'no'} issue type named like "Change" (${types.map((t) => t.name).join(', ')}); set scope.issueTypeId` };
  return { projectId: project.id, projectKey: project.key, issueTypeId: change[0]!.id, issueTypeName: change[0]!.name };
};

export const isUndecided = (value: unknown): value is Undecided => typeof value === 'object' && value !== null && 'problem' in value;

export interface MappingProposal {
  policy: Record<string, unknown>;
  /** The choice fields mapped, whose option labels are read next. */
  optionFields: { field: OptionField; fieldId: string }[];
  undecided: Undecided[];
}

/** Fields, statuses and scope from the site's names and types. */
export const proposeMapping = (site: SiteSnapshot, projectKey: string | null): MappingProposal => {
  const undecided: Undecided[] = [];
  const fields: Partial<Record<FieldKey, string>> = {};
  const fieldTypes: Partial<Record<FieldKey, string>> = {};
  const taken = new Set<string>();
  for (const key of FIELD_KEYS) {
    const picked = pickField(key, site.fields, taken);
    if (isUndecided(picked)) {
      undecided.push(picked);
      continue;
    }
    fields[key] = picked.id;
    taken.add(picked.id);
    const type = jiraFieldTypeOf(site.fields.find((f) => f.id === picked.id)!);
    if (type && type !== FIELD_DEFS[key].jira) fieldTypes[key] = type;
  }
  const statuses: Partial<Record<State, string>> = {};
  const takenStatuses = new Set<string>();
  for (const state of STATES) {
    const picked = pickStatus(state, site.statuses, takenStatuses);
    if (isUndecided(picked)) undecided.push(picked);
    else {
      statuses[state] = picked.id;
      takenStatuses.add(picked.id);
    }
  }
  const scope = pickScope(site.projects, projectKey);
  if (isUndecided(scope)) undecided.push(scope);
  const optionFields = (Object.keys(OPTION_LABELS) as OptionField[]).flatMap((field) => (fields[field] ? [{ field, fieldId: fields[field]! }] : []));
  return { policy: { ...(isUndecided(scope) ? {} : { scope }), fields, fieldTypes, statuses }, optionFields, undecided };
};

/** The site's labels the app does not know by itself, each mapped to its likeliest value; the ones it cannot place are undecided. */
export const proposeOptionLabels = (field: OptionField, labels: readonly string[]): { mapped: Record<string, string>; undecided: Undecided[] } => {
  const mapped: Record<string, string> = {};
  const undecided: Undecided[] = [];
  for (const label of labels) {
    // The app reads its own labels (and values) in any case, without outer spaces; nothing else.
    if (optionValueOfLabel({ optionLabels: {} }, field, label) !== null) continue;
    const value = guessOptionValue(field, label);
    if (value) mapped[label] = value;
    else undecided.push({ path: `optionLabels.${field}`, problem: `"${label}" could not be placed; map it to one of ${Object.keys(OPTION_LABELS[field]).join(', ')}, or disable the option` });
  }
  return { mapped, undecided };
};

/** The starting policy, checked with the app's own schema (a problem there is listed, never hidden). */
export const startingPolicy = (mapping: MappingProposal, optionLabels: Partial<Record<OptionField, Record<string, string>>>, extra: Undecided[] = []): { policy: Record<string, unknown>; undecided: Undecided[] } => {
  const policy = { ...mapping.policy, optionLabels };
  const parsed = parsePolicy(policy);
  const schemaProblems: Undecided[] = parsed.ok ? [] : parsed.errors.map((e) => ({ path: e.path, problem: e.message }));
  return { policy, undecided: [...mapping.undecided, ...extra, ...schemaProblems] };
};
