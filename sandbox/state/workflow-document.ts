/**
 * The project's workflow as Jira's workflows REST API holds it (JiraWorkflow): statuses by
 * reference (the status ids), transitions with links and rules, and a document version that every
 * update must name. `applyWorkflowUpdate` is what `POST /rest/api/3/workflows/update` does.
 */
import { randomUUID } from 'node:crypto';
import { EDGES } from '../../src/domain';
import type { JiraWorkflow, WorkflowRule, WorkflowTransition, WorkflowUpdateRequest } from '../../src/jira/workflow-schemas';
import type { SandboxState, SandboxStatus } from './sandbox-state';

export const WORKFLOW_ID = '5a9d0cc8-0000-4000-8000-00000000c481';
export const WORKFLOW_NAME = 'CHG: Change workflow';
export const INITIAL_TRANSITION_ID = '1';

/** Transition ids as Jira numbers them: `11`, `21`, `31`, … in `EDGES` order. */
export const transitionIdOf = (edgeIndex: number): string => String((edgeIndex + 1) * 10 + 1);

const statusIdOf = (statuses: readonly SandboxStatus[], name: string): string => {
  const status = statuses.find((s) => s.name === name);
  if (!status) throw new Error(`The site has no status ${name}.`); // unreachable: every site has the six
  return status.id;
};

/** The workflow of a fresh CC8.1 project: Create into Draft, one DIRECTED transition per lifecycle edge, no app rules. */
export const bareWorkflowDocument = (statuses: readonly SandboxStatus[]): JiraWorkflow => ({
  id: WORKFLOW_ID,
  name: WORKFLOW_NAME,
  description: 'The workflow of the CHG project’s Change issue type.',
  scope: { type: 'GLOBAL' },
  isEditable: true,
  statuses: statuses.map((s) => ({ statusReference: s.id, properties: {} })),
  transitions: [
    {
      id: INITIAL_TRANSITION_ID,
      name: 'Create',
      type: 'INITIAL',
      toStatusReference: statusIdOf(statuses, 'Draft'),
      links: [],
      conditions: { operation: 'ALL', conditions: [], conditionGroups: [] },
      validators: [],
      actions: [],
      properties: {},
    },
    ...EDGES.map(
      (edge, i): WorkflowTransition => ({
        id: transitionIdOf(i),
        name: edge.name,
        type: 'DIRECTED',
        toStatusReference: statusIdOf(statuses, edge.to),
        links: [{ fromStatusReference: statusIdOf(statuses, edge.from) }],
        conditions: { operation: 'ALL', conditions: [], conditionGroups: [] },
        validators: [],
        actions: [],
        properties: {},
      }),
    ),
  ],
  version: { id: '5a9d0cc8-0000-4000-8000-000000000001', versionNumber: 1 },
});

/** A JSON copy: callers never share objects with the state. */
export const copyWorkflow = (workflow: JiraWorkflow): JiraWorkflow => JSON.parse(JSON.stringify(workflow)) as JiraWorkflow;

const STATUS_CATEGORY: Record<string, 'TODO' | 'IN_PROGRESS' | 'DONE'> = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' };

/** The statuses a workflow document references (JiraWorkflowStatus), as the workflows API lists them. */
export const workflowStatusesJson = (state: SandboxState, workflow: JiraWorkflow) =>
  workflow.statuses.flatMap((ref) => {
    const status = state.statuses.find((s) => s.id === ref.statusReference);
    return status
      ? [{ id: status.id, name: status.name, statusReference: status.id, statusCategory: STATUS_CATEGORY[status.statusCategory.key] ?? 'IN_PROGRESS', description: '', scope: { type: 'GLOBAL' as const } }]
      : [];
  });

export type WorkflowUpdateOutcome =
  | { ok: true; workflow: JiraWorkflow }
  | { ok: false; status: 400 | 404 | 409; errorMessages: string[]; errors: Record<string, string> };

/**
 * What real Jira answers to a stale version is not documented beyond "409 Conflict"; it is
 * believed to be a 409 with an errorMessages text saying the workflow was changed by someone else.
 * The sandbox answers that, naming both versions.
 */
export const staleVersionMessage = (sent: number, current: number): string =>
  `The workflow was changed since you read it (you sent version ${sent}; it is now version ${current}). Read the workflow again, reapply your changes and retry.`;

/** A rule as stored: its id (assigned when new), key and parameters; nothing else the request carried. */
const withRuleIds = (rules: readonly WorkflowRule[] | null | undefined): WorkflowRule[] =>
  (rules ?? []).map((rule) => ({ id: rule.id ?? randomUUID(), ruleKey: rule.ruleKey, parameters: { ...(rule.parameters ?? {}) } }));

type Group = NonNullable<WorkflowTransition['conditions']>;
const groupWithIds = (group: Group | null | undefined): Group => ({
  operation: group?.operation ?? 'ALL',
  conditions: withRuleIds(group?.conditions),
  conditionGroups: (group?.conditionGroups ?? []).map(groupWithIds),
});

/** The shared-workflow scenario: other projects (and issue types of CHG) use the project's workflow too. */
export const shareWorkflow = (state: SandboxState, usedBy: { projectIds?: string[]; issueTypeIds?: string[] }): void => {
  state.workflowAlsoUsedBy = { projectIds: [...(usedBy.projectIds ?? [])], issueTypeIds: [...(usedBy.issueTypeIds ?? [])] };
};

/** Every rule of a transition (conditions at any depth, validators, actions, screen). */
const rulesOf = (t: WorkflowTransition): WorkflowRule[] => {
  const walk = (group: WorkflowTransition['conditions']): WorkflowRule[] => (group ? [...(group.conditions ?? []), ...(group.conditionGroups ?? []).flatMap(walk)] : []);
  return [...walk(t.conditions), ...(t.validators ?? []), ...(t.actions ?? []), ...(t.transitionScreen ? [t.transitionScreen] : [])];
};

/**
 * The request's top-level statuses against the workflow's layouts and the site: Jira resolves each
 * layout's `statusReference` through them; the sandbox creates and renames no statuses.
 */
const statusProblems = (state: SandboxState, request: WorkflowUpdateRequest): Record<string, string> => {
  const errors: Record<string, string> = {};
  const listed = new Map(request.statuses.map((s) => [s.statusReference, s]));
  request.workflows[0]!.statuses.forEach((layout, i) => {
    if (!listed.has(layout.statusReference)) errors[`workflows.0.statuses.${i}.statusReference`] = `Status ${layout.statusReference} is not among the request's statuses.`;
  });
  request.statuses.forEach((status, i) => {
    const site = state.statuses.find((s) => s.id === status.statusReference || s.id === status.id);
    if (!site) errors[`statuses.${i}`] = `The sandbox cannot create status "${status.name}".`;
    else if (site.name !== status.name || (STATUS_CATEGORY[site.statusCategory.key] ?? 'IN_PROGRESS') !== status.statusCategory)
      errors[`statuses.${i}`] = `The sandbox cannot rename or recategorise status ${site.id} ("${site.name}").`;
  });
  return errors;
};

/** Problems Jira would refuse the update for, by field path. */
const problemsOf = (transitions: readonly WorkflowTransition[], statusRefs: ReadonlySet<string>, path: string): Record<string, string> => {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  transitions.forEach((t, i) => {
    const at = `${path}.transitions.${i}`;
    if (seen.has(t.id)) errors[`${at}.id`] = `Transition id ${t.id} is used twice.`;
    seen.add(t.id);
    if (!statusRefs.has(t.toStatusReference)) errors[`${at}.toStatusReference`] = `Status ${t.toStatusReference} is not in this workflow.`;
    (t.links ?? []).forEach((link, j) => {
      if (t.type !== 'DIRECTED') errors[`${at}.links.${j}`] = `A ${t.type} transition has no links.`;
      else if (!link.fromStatusReference || !statusRefs.has(link.fromStatusReference)) errors[`${at}.links.${j}.fromStatusReference`] = `Status ${link.fromStatusReference ?? '(none)'} is not in this workflow.`;
    });
    if (t.type === 'DIRECTED' && !(t.links ?? []).length) errors[`${at}.links`] = 'A directed transition needs at least one link from a status.';
  });
  if (transitions.filter((t) => t.type === 'INITIAL').length !== 1) errors[`${path}.transitions`] = 'A workflow has exactly one INITIAL transition.';
  const ruleIds = transitions.flatMap(rulesOf).flatMap((rule) => (rule.id ? [rule.id] : []));
  const twice = ruleIds.filter((id, i) => ruleIds.indexOf(id) !== i);
  if (twice.length) errors[`${path}.transitions`] = `Rule id ${twice[0]} is used more than once.`;
  return errors;
};

/**
 * `POST /rest/api/3/workflows/update` for the project's workflow: the version must be the current
 * one; every transition is replaced by the request's list (rules without an id get one; triggers
 * are dropped, the sandbox runs none); the statuses stay (the sandbox adds and removes none); the
 * version gets a new id and number.
 */
export const applyWorkflowUpdate = (state: SandboxState, request: WorkflowUpdateRequest): WorkflowUpdateOutcome => {
  if (request.workflows.length !== 1 || request.workflows[0]!.id !== state.workflow.id) {
    const unknown = request.workflows.find((w) => w.id !== state.workflow.id);
    if (unknown) return { ok: false, status: 404, errorMessages: [`Workflow ${unknown.id} does not exist or you do not have permission to edit it.`], errors: {} };
    return { ok: false, status: 400, errorMessages: ['The workflow is in the request more than once.'], errors: {} };
  }
  const update = request.workflows[0]!;
  const current = state.workflow;
  if (update.version.id !== current.version.id || update.version.versionNumber !== current.version.versionNumber) {
    return { ok: false, status: 409, errorMessages: [staleVersionMessage(update.version.versionNumber, current.version.versionNumber)], errors: { 'workflows.0.version': 'stale' } };
  }
  const statusRefs = new Set(current.statuses.map((s) => s.statusReference));
  const missing = update.statuses.filter((s) => !statusRefs.has(s.statusReference));
  const dropped = current.statuses.filter((s) => !update.statuses.some((u) => u.statusReference === s.statusReference));
  const errors: Record<string, string> = { ...statusProblems(state, request), ...problemsOf(update.transitions, statusRefs, 'workflows.0') };
  missing.forEach((s) => (errors[`workflows.0.statuses.${update.statuses.indexOf(s)}`] = `The sandbox cannot add status ${s.statusReference} to the workflow.`));
  if (dropped.length) errors['workflows.0.statuses'] = `The sandbox cannot remove statuses (${dropped.map((s) => s.statusReference).join(', ')}) from the workflow.`;
  if (Object.keys(errors).length) return { ok: false, status: 400, errorMessages: ['The workflow update is not valid.'], errors };

  state.workflow = {
    ...current,
    transitions: update.transitions.map((t) => ({
      id: t.id,
      name: t.name,
      ...(typeof t.description === 'string' ? { description: t.description } : {}),
      type: t.type,
      toStatusReference: t.toStatusReference,
      links: t.type === 'DIRECTED' ? (t.links ?? []).map((link) => ({ fromStatusReference: String(link.fromStatusReference) })) : [],
      conditions: groupWithIds(t.conditions),
      validators: withRuleIds(t.validators),
      actions: withRuleIds(t.actions),
      properties: { ...(t.properties ?? {}) },
      ...(t.transitionScreen ? { transitionScreen: withRuleIds([t.transitionScreen])[0]! } : {}),
      ...(typeof t.customIssueEventId === 'string' ? { customIssueEventId: t.customIssueEventId } : {}),
    })),
    version: { id: randomUUID(), versionNumber: current.version.versionNumber + 1 },
  };
  return { ok: true, workflow: copyWorkflow(state.workflow) };
};
