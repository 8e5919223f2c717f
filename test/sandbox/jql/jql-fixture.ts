/** Issues for JQL tests, built straight into a `SandboxState` (REST v3 shapes) by a small helper. */
import { State } from '../../../src/domain';
import { jiraTimestamp } from '../../../sandbox/state/jira-json';
import { applyFieldChanges, createSandboxState, SandboxIssue, SandboxState, SandboxUser, statusOf, userJson } from '../../../sandbox/state/sandbox-state';
import { statusJson } from '../../../sandbox/workflow/cc81-workflow';
import type { JqlContext } from '../../../sandbox/jql';

const person = (accountId: string, name: string, timeZone = 'UTC', active = true): SandboxUser => ({
  accountId,
  displayName: name,
  emailAddress: `${accountId}@example.com`,
  active,
  groups: [],
  timeZone,
});

export const PEOPLE = {
  rita: person('acc-rita', 'Rita'),
  ivan: person('acc-ivan', 'Ivan'),
  nora: person('acc-nora', 'Nora in New York', 'America/New_York'),
};

export const T0 = new Date('2026-03-02T08:00:00.000Z');
export const hours = (h: number): Date => new Date(T0.getTime() + h * 3_600_000);

export const newState = (): SandboxState => createSandboxState(Object.values(PEOPLE));

export const fieldId = (state: SandboxState, name: string): string => state.fields.find((f) => f.name === name)!.id;

export interface IssueSpec {
  status?: State;
  labels?: string[];
  created?: Date;
  reporter?: SandboxUser;
  /** REST v3 values by field name (custom) or id. */
  fields?: Record<string, unknown>;
  properties?: Record<string, unknown>;
  /** Status changes after creation: [state, actor, at]. */
  moves?: [State, SandboxUser, Date][];
}

export const addIssue = (state: SandboxState, spec: IssueSpec = {}): SandboxIssue => {
  state.counters.issue += 1;
  const n = state.counters.issue;
  const created = jiraTimestamp(spec.created ?? T0);
  const named = Object.fromEntries(Object.entries(spec.fields ?? {}).map(([name, value]) => [state.fields.find((f) => f.name === name)?.id ?? name, value]));
  const issue: SandboxIssue = {
    id: String(10_000 + n),
    key: `CHG-${n}`,
    fields: {
      summary: `Change ${n}`,
      issuetype: { id: state.issueType.id, name: state.issueType.name, subtask: false },
      project: { ...state.project },
      status: statusJson(statusOf(state, 'Draft')),
      created,
      updated: created,
      labels: spec.labels ?? [],
      reporter: userJson(spec.reporter ?? PEOPLE.rita),
      ...named,
    },
    changelog: [],
    comments: [],
    properties: { ...(spec.properties ?? {}) },
  };
  state.issues.push(issue);
  for (const [to, actor, at] of spec.moves ?? []) applyFieldChanges(state, issue, { status: statusJson(statusOf(state, to)) }, actor, at);
  if (spec.status) issue.fields.status = statusJson(statusOf(state, spec.status));
  return issue;
};

export const context = (state: SandboxState, searcher: SandboxUser = PEOPLE.rita, now = hours(100)): JqlContext => ({
  state,
  now,
  searcher: { accountId: searcher.accountId, timeZone: searcher.timeZone },
});
