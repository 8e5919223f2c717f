import { Change, EVIDENCE_PROPERTY_KEY, accountOf, EdgeId, FIELD_DEFS, FieldKey, History, fieldFromRaw, findEdge, sortHistory } from '../../src/domain';
import { jiraTimestamp } from '../state/jira-json';
import { sealMirror, signingKeyOf } from '../../src/evidence-log/mirror-seal';
import type { EvidencePropertyRecord } from '../../src/jira/evidence-property';
import {
  ChangeHistory,
  SandboxIssue,
  SandboxState,
  changeItem,
  findUser,
  restValue,
  statusOf,
  userJson,
} from '../state/sandbox-state';

/** The steps the evidence post function records besides every move into Implemented. */
const RECORDED_EDGES: readonly EdgeId[] = ['approve', 'postHocApprove', 'close'];

/** A domain raw history value (accountId, option value, ISO time, comma list, text) in REST v3 shape. */
const restOfRaw = (state: SandboxState, field: FieldKey, raw: string | null): unknown => {
  if (raw === null) return null;
  if (FIELD_DEFS[field].jira === 'user') return restValue(state, field, raw);
  if (FIELD_DEFS[field].jira === 'option') return restValue(state, field, raw);
  return restValue(state, field, fieldFromRaw(field, raw));
};

const authorOf = (state: SandboxState, accountId: string | null | undefined) => {
  if (!accountId) return null;
  const user = findUser(state, accountId);
  return user ? userJson(user) : { accountId, displayName: 'Former user', active: false, accountType: 'atlassian' as const };
};

/**
 * Adds a change to the sandbox as if it had happened in Jira: current fields in REST shapes,
 * a changelog with status and field items as Jira records them, and the evidence post function's
 * records for the steps it records (post-hoc approvals appear only there, as in Jira).
 */
export const importChange = (state: SandboxState, change: Change, history: History): SandboxIssue => {
  state.counters.issue += 1;
  const n = state.counters.issue;
  const ids = state.policy.fields;
  const fields: Record<string, unknown> = {
    issuetype: { id: state.issueType.id, name: state.issueType.name, subtask: false },
    project: { ...state.project },
    status: statusJson(state, change.state),
    created: jiraTimestamp(change.createdAt),
    updated: jiraTimestamp(change.createdAt),
    labels: [],
    creator: authorOf(state, change.creatorAccountId ?? accountOf(change.fields, 'requester')),
  };
  for (const key of Object.keys(FIELD_DEFS) as FieldKey[]) {
    const id = ids[key];
    if (id) fields[id] = restValue(state, key, change.fields[key] ?? null);
  }
  const issue: SandboxIssue = { id: String(10_000 + n), key: `${state.project.key}-${n}`, fields, changelog: [], comments: [], properties: {} };
  const records: unknown[] = [];
  for (const entry of sortHistory(history)) {
    const at = jiraTimestamp(entry.at);
    if (entry.kind === 'status') {
      const edge = findEdge(entry.from, entry.to);
      if (edge && (edge.to === 'Implemented' || RECORDED_EDGES.includes(edge.id))) {
        const record = { edge: edge.id, from: entry.from, to: entry.to, accountId: entry.actor?.accountId ?? null, at: entry.at.toISOString(), executionId: `demo-${issue.key}-${records.length + 1}` };
        records.push(record);
        state.appEvidence.push({ issueId: issue.id, ...record });
      }
      if (entry.from === entry.to) continue; // a loop transition leaves no status item in Jira's changelog
      const item = changeItem(state, 'status', statusJson(state, entry.from), statusJson(state, entry.to));
      push(state, issue, { author: authorOf(state, entry.actor?.accountId), created: at, items: [item] });
    } else {
      const id = ids[entry.field];
      if (!id) continue;
      const item = changeItem(state, id, restOfRaw(state, entry.field, entry.from), restOfRaw(state, entry.field, entry.to));
      push(state, issue, { author: authorOf(state, entry.actor?.accountId), created: at, items: [item] });
    }
  }
  // The recorder's mirror of the log, as on a site where the app recorded these steps.
  if (records.length) issue.properties[EVIDENCE_PROPERTY_KEY] = sealMirror({ version: 1, records: records as EvidencePropertyRecord[] }, issue.id, 0, signingKeyOf(state.appSigningKey));
  const last = issue.changelog.at(-1);
  if (last) issue.fields.updated = last.created;
  state.issues.push(issue);
  return issue;
};

const statusJson = (state: SandboxState, name: Change['state']) => {
  const s = statusOf(state, name);
  return { id: s.id, name: s.name, statusCategory: s.statusCategory };
};

const push = (state: SandboxState, issue: SandboxIssue, history: Omit<ChangeHistory, 'id'>) => {
  state.counters.history += 1;
  issue.changelog.push({ id: String(state.counters.history), ...history });
};
