/**
 * Sandbox fixtures: the site's people, and change issues created in a `SandboxState` the way a
 * user creates them in Jira (REST v3 field shapes, status Draft, reporter = creator).
 */
import { FieldKey, State } from '../../src/domain';
import { jiraTimestamp } from '../../sandbox/state/jira-json';
import { applyFieldChanges, findUser, restValue, SandboxIssue, SandboxState, SandboxUser, statusOf, userJson } from '../../sandbox/state/sandbox-state';
import { statusJson } from '../../sandbox/workflow/cc81-workflow';
import { groupsOf, PEOPLE, PersonRole } from './people.builder';

export const sandboxUser = (role: PersonRole): SandboxUser => ({
  accountId: PEOPLE[role],
  emailAddress: `${role}@example.com`,
  displayName: `${role[0]!.toUpperCase()}${role.slice(1)}`,
  active: true,
  groups: ['jira-software-users', ...groupsOf(role)],
  timeZone: 'UTC',
});

export const SANDBOX_USERS: SandboxUser[] = (Object.keys(PEOPLE) as PersonRole[]).map(sandboxUser);

export const userOf = (state: SandboxState, role: PersonRole): SandboxUser => findUser(state, PEOPLE[role])!;

/** Domain-valued CC8.1 fields (user fields as account ids, options as domain values, text as plain text). */
export type ChangeValues = Partial<Record<FieldKey, string | string[] | Date | null>>;

/** Creates a change in Draft, reported by `reporter`, at `at`. */
export const createChange = (state: SandboxState, values: ChangeValues, reporter: PersonRole, at: Date): SandboxIssue => {
  state.counters.issue += 1;
  const n = state.counters.issue;
  const fields: Record<string, unknown> = {
    issuetype: { id: state.issueType.id, name: state.issueType.name, subtask: false },
    project: { ...state.project },
    status: statusJson(statusOf(state, 'Draft')),
    created: jiraTimestamp(at),
    updated: jiraTimestamp(at),
    labels: [],
    reporter: userJson(userOf(state, reporter)),
  };
  for (const [key, value] of Object.entries(values) as [FieldKey, ChangeValues[FieldKey]][]) {
    const id = state.policy.fields[key];
    if (id) fields[id] = restValue(state, key, value);
  }
  const issue: SandboxIssue = { id: String(10_000 + n), key: `${state.project.key}-${n}`, fields, changelog: [], comments: [], properties: {} };
  state.issues.push(issue);
  return issue;
};

/** The Jira field id a CC8.1 field is mapped to in the sandbox. */
export const fieldId = (state: SandboxState, key: FieldKey): string => state.policy.fields[key]!;

/** Screen values by CC8.1 field, turned into REST v3 shapes by field id. */
export const screen = (state: SandboxState, values: ChangeValues): Record<string, unknown> =>
  Object.fromEntries((Object.entries(values) as [FieldKey, ChangeValues[FieldKey]][]).map(([key, value]) => [fieldId(state, key), restValue(state, key, value)]));

/** Records a status change (and field edits) as Jira would, bypassing the workflow's rules: history as data. */
export const recordTransition = (state: SandboxState, issue: SandboxIssue, to: State, actor: PersonRole, at: Date, edits: ChangeValues = {}) =>
  applyFieldChanges(state, issue, { status: statusJson(statusOf(state, to)), ...screen(state, edits) }, userOf(state, actor), at);
