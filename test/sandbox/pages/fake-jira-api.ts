/**
 * A minimal fake of the sandbox's Jira REST v3 router, for the endpoints the sandbox UI uses:
 *   POST /rest/api/3/search/jql, GET /rest/api/3/issue/{key} (expand=changelog, properties),
 *   GET/POST /rest/api/3/issue/{key}/transitions, GET /rest/api/3/field.
 * It authenticates with HTTP basic auth (username = the user's email, any password), offers every
 * lifecycle edge out of the current status (no conditions), and refuses one transition for chosen
 * users with a validator-style 400. Transition-screen values must come in REST v3 input shapes
 * (ADF for rich text, `{id}`/`{value}` for options, `{accountId}` for users, Jira timestamps),
 * or it answers 400 with per-field `errors`, as Jira does. Every request is recorded. Given a
 * `workflow` (the sandbox's engine), it hands the transitions endpoints to it instead.
 */
import { EDGES, EVIDENCE_PROPERTY_KEY, FIELD_DEFS, FieldKey, OPTION_LABELS, OptionField, edgeAppliesTo, ChangeType } from '../../../src/domain';
import { DEMO_TICKETS, materialize } from '../../../sandbox/demo/demo-tickets';
import { DEMO_USERS, demoUsers } from '../../../sandbox/demo/demo-users';
import { importChange } from '../../../sandbox/demo/import-change';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import {
  applyFieldChanges,
  createSandboxState,
  findIssue,
  optionId,
  restValue,
  SandboxIssue,
  SandboxState,
  SandboxUser,
  statusOf,
  userJson,
} from '../../../sandbox/state/sandbox-state';
import type { RouterRequest, RouterResponse, SandboxWorkflow } from '../../../sandbox/workflow/workflow-port';

export const FAKE_BLOCK_MESSAGE = 'Fill in Test plan to Approve.';
/** A summary that would run script if any page put it into HTML unescaped. */
export const MALICIOUS_SUMMARY = `<img src=x onerror="document.body.setAttribute('data-pwned','1')"><script>document.body.setAttribute('data-pwned','1')</script>`;

export interface FakeBlock {
  transitionName: string;
  accountIds: string[];
  errorMessages: string[];
}

export interface FakeJiraApiOptions {
  /** The site; default: demo users and the 30 demo tickets, plus one ticket with a malicious summary. */
  state?: SandboxState;
  now?: () => Date;
  /** The transition a "validator" refuses, for whom. Default: Approve, for Ivan Implementer. */
  block?: FakeBlock;
  /**
   * A real workflow (the sandbox's engine) to answer the transitions endpoints instead of the fake's
   * own rules: then `block` is not used, and conditions, validators and post functions are the app's.
   */
  workflow?: SandboxWorkflow;
}

export type PagesLikeHandler = (request: RouterRequest) => Promise<RouterResponse | null>;

export interface FakeJiraApi {
  state: SandboxState;
  handler: PagesLikeHandler;
  requests: RouterRequest[];
  /** The bodies of `POST .../transitions`, with who sent them. */
  transitionPosts(): { issueKey: string; accountId: string | null; body: unknown; status: number }[];
}

const NOW = new Date('2026-11-23T12:00:00.000Z');

/** Demo users and tickets, placed relative to `now`, plus a ticket with `MALICIOUS_SUMMARY` (the last one). */
export const fakeSiteState = (now: Date = NOW): SandboxState => {
  const state = createSandboxState(demoUsers());
  seedDemo(state, now);
  const { change, history } = materialize(
    { summary: MALICIOUS_SUMMARY, type: 'normal', risk: 'low', state: 'Draft', window: [-48, -50], steps: [], expected: [] },
    DEMO_TICKETS.length,
    now,
  );
  importChange(state, change, history);
  return state;
};

const json = (status: number, body: unknown): RouterResponse => ({ status, headers: { 'Content-Type': 'application/json' }, body });
const jiraError = (status: number, errorMessages: string[], errors: Record<string, string> = {}) => json(status, { errorMessages, errors });

const header = (request: RouterRequest, name: string): string | undefined => {
  const found = Object.entries(request.headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
};

const JIRA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;

const isAdfDoc = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'doc' && (value as { version?: unknown }).version === 1 && Array.isArray((value as { content?: unknown }).content);

/** The transition ids the real sandbox workflow uses: 11, 21, 31, … in `EDGES` order. */
const transitionIdOf = (index: number): string => String((index + 1) * 10 + 1);

export const createFakeJiraApi = (options: FakeJiraApiOptions = {}): FakeJiraApi => {
  const state = options.state ?? fakeSiteState();
  const now = options.now ?? (() => new Date());
  const block: FakeBlock = options.block ?? { transitionName: 'Approve', accountIds: [DEMO_USERS.implementer.accountId], errorMessages: [FAKE_BLOCK_MESSAGE] };
  const requests: RouterRequest[] = [];
  const posts: { issueKey: string; accountId: string | null; body: unknown; status: number }[] = [];
  const keyOfFieldId = new Map<string, FieldKey>(Object.entries(state.policy.fields).map(([key, id]) => [id, key as FieldKey]));

  const authenticate = (request: RouterRequest): SandboxUser | RouterResponse => {
    const auth = header(request, 'authorization');
    const match = auth ? /^Basic\s+(.+)$/i.exec(auth) : null;
    if (!match) return jiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const email = decoded.slice(0, decoded.indexOf(':') >= 0 ? decoded.indexOf(':') : undefined);
    const user = state.users.find((u) => u.emailAddress.toLowerCase() === email.toLowerCase());
    if (!user || !user.active) return jiraError(401, ['Basic authentication with passwords is deprecated. Use an API token; or the user is unknown.']);
    return user;
  };

  const statusName = (issue: SandboxIssue): string => (issue.fields.status as { name: string }).name;
  const changeTypeOf = (issue: SandboxIssue): ChangeType | null => {
    const id = state.policy.fields.changeType;
    const option = id ? (issue.fields[id] as { value?: string } | null) : null;
    const entry = Object.entries(OPTION_LABELS.changeType).find(([, label]) => label === option?.value);
    return entry ? (entry[0] as ChangeType) : null;
  };

  const transitionsOf = (issue: SandboxIssue) =>
    EDGES.map((edge, i) => ({ edge, id: transitionIdOf(i) })).filter(
      ({ edge }) => edge.from === statusName(issue) && edgeAppliesTo(edge, changeTypeOf(issue)),
    );

  const transitionJson = ({ edge, id }: { edge: (typeof EDGES)[number]; id: string }) => {
    const to = statusOf(state, edge.to);
    return {
      id,
      name: edge.name,
      to: { id: to.id, name: to.name, statusCategory: { ...to.statusCategory } },
      hasScreen: edge.rules.length > 0,
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: edge.from === edge.to,
    };
  };

  /** A screen value in REST v3 input shape → the stored shape; a string is Jira's per-field error. */
  const normalize = (fieldId: string, value: unknown): { value: unknown } | string => {
    const key = keyOfFieldId.get(fieldId);
    if (!key) return `Field '${fieldId}' cannot be set. It is not on the appropriate screen, or unknown.`;
    if (value === null) return key === 'summary' ? 'You must specify a summary of the issue.' : { value: null };
    const label = FIELD_DEFS[key].label;
    switch (FIELD_DEFS[key].jira) {
      case 'string':
        return typeof value === 'string' ? { value } : 'Operation value must be a string';
      case 'richtext':
        return isAdfDoc(value) ? { value } : 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
      case 'option': {
        const o = value as { id?: unknown; value?: unknown };
        const f = key as OptionField;
        const found = Object.entries(OPTION_LABELS[f] as Record<string, string>).find(([v, l]) => (o.id !== undefined ? String(o.id) === optionId(f, v) : o.value === l));
        return found ? { value: restValue(state, key, found[0]) } : `Specify a valid 'id' or 'name' for ${label}`;
      }
      case 'user': {
        const accountId = (value as { accountId?: unknown }).accountId;
        const user = typeof accountId === 'string' ? state.users.find((u) => u.accountId === accountId) : undefined;
        return user ? { value: userJson(user) } : `Specify a valid user for ${label}.`;
      }
      case 'labels':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return 'Operation value must be an array of strings.';
        return value.some((v: string) => /\s/.test(v)) ? 'A label cannot contain spaces.' : { value };
      case 'datetime':
        return typeof value === 'string' && JIRA_TIMESTAMP.test(value) ? { value } : `Specify a valid date and time for ${label}, e.g. 2026-03-15T23:10:00.000+0000.`;
    }
  };

  const getIssue = (issue: SandboxIssue, query: Record<string, string>): RouterResponse => {
    const expand = (query.expand ?? '').split(',');
    const props = (query.properties ?? '').split(',').filter(Boolean);
    const properties = Object.fromEntries(props.filter((p) => p in issue.properties).map((p) => [p, issue.properties[p]]));
    return json(200, {
      id: issue.id,
      key: issue.key,
      self: `http://localhost/rest/api/3/issue/${issue.id}`,
      fields: issue.fields,
      ...(props.length ? { properties } : {}),
      ...(expand.includes('changelog')
        ? { changelog: { startAt: 0, maxResults: issue.changelog.length, total: issue.changelog.length, histories: issue.changelog } }
        : {}),
    });
  };

  const search = (body: unknown): RouterResponse => {
    const request = (body ?? {}) as { jql?: unknown; fields?: unknown; maxResults?: unknown; nextPageToken?: unknown };
    if (typeof request.jql !== 'string') return jiraError(400, ['The JQL query is missing.']);
    const project = /project\s*=\s*"?([A-Z][A-Z0-9]*)"?/i.exec(request.jql)?.[1];
    const wanted = Array.isArray(request.fields) ? request.fields.map(String) : ['*navigable'];
    const all = state.issues
      .filter((i) => !project || i.key.toUpperCase().startsWith(`${project.toUpperCase()}-`))
      .sort((a, b) => Number(a.key.split('-')[1]) - Number(b.key.split('-')[1]));
    const start = typeof request.nextPageToken === 'string' ? Number(request.nextPageToken) : 0;
    const size = Math.min(typeof request.maxResults === 'number' ? request.maxResults : 50, 50);
    const page = all.slice(start, start + size);
    const isLast = start + size >= all.length;
    return json(200, {
      issues: page.map((i) => ({
        id: i.id,
        key: i.key,
        self: `http://localhost/rest/api/3/issue/${i.id}`,
        fields: wanted.includes('*navigable') || wanted.includes('*all') ? i.fields : Object.fromEntries(wanted.filter((id) => id in i.fields).map((id) => [id, i.fields[id]])),
      })),
      isLast,
      ...(isLast ? {} : { nextPageToken: String(start + size) }),
    });
  };

  const transition = (issue: SandboxIssue, user: SandboxUser, body: unknown): RouterResponse => {
    const request = (body ?? {}) as { transition?: { id?: unknown }; fields?: unknown };
    const id = request.transition?.id;
    const chosen = transitionsOf(issue).find((t) => t.id === String(id));
    if (!chosen) return jiraError(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
    if (block.transitionName === chosen.edge.name && block.accountIds.includes(user.accountId)) return jiraError(400, [...block.errorMessages]);
    const fields = request.fields && typeof request.fields === 'object' ? (request.fields as Record<string, unknown>) : {};
    const errors: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const [fieldId, value] of Object.entries(fields)) {
      const normalized = normalize(fieldId, value);
      if (typeof normalized === 'string') errors[fieldId] = normalized;
      else values[fieldId] = normalized.value;
    }
    if (Object.keys(errors).length) return jiraError(400, [], errors);
    const to = statusOf(state, chosen.edge.to);
    const patch = chosen.edge.from === chosen.edge.to ? values : { status: { id: to.id, name: to.name, statusCategory: { ...to.statusCategory } }, ...values };
    const at = now();
    applyFieldChanges(state, issue, patch, user, at);
    if (['approve', 'implement', 'close', 'postHocApprove'].includes(chosen.edge.id) || chosen.edge.to === 'Implemented') {
      const property = (issue.properties[EVIDENCE_PROPERTY_KEY] as { version: number; records: unknown[] } | undefined) ?? { version: 1, records: [] };
      property.records.push({ edge: chosen.edge.id, from: chosen.edge.from, to: chosen.edge.to, accountId: user.accountId, at: at.toISOString(), executionId: `fake-${issue.key}-${property.records.length + 1}` });
      issue.properties[EVIDENCE_PROPERTY_KEY] = property;
    }
    return { status: 204, headers: {}, body: undefined };
  };

  const viaWorkflow = async (workflow: SandboxWorkflow, issue: SandboxIssue, user: SandboxUser, body: unknown): Promise<RouterResponse> => {
    const request = (body ?? {}) as { transition?: { id?: unknown }; fields?: unknown };
    const fields = request.fields && typeof request.fields === 'object' ? (request.fields as Record<string, unknown>) : {};
    const outcome = await workflow.transition(issue, String(request.transition?.id ?? ''), user, fields);
    return outcome.ok ? { status: 204, headers: {}, body: undefined } : json(outcome.status, outcome.body);
  };

  const handler: PagesLikeHandler = async (request) => {
    if (!request.path.startsWith('/rest/')) return null;
    requests.push(JSON.parse(JSON.stringify(request)) as RouterRequest);
    const user = authenticate(request);
    if (!('accountId' in user)) return user;
    const { method, path } = request;
    if (method === 'GET' && path === '/rest/api/3/field') return json(200, state.fields.map((f) => ({ id: f.id, key: f.key, name: f.name, custom: f.custom, schema: f.schema })));
    if (method === 'POST' && path === '/rest/api/3/search/jql') return search(request.body);
    const m = /^\/rest\/api\/3\/issue\/([^/]+)(\/transitions)?$/.exec(path);
    if (m) {
      const issue = findIssue(state, decodeURIComponent(m[1]!));
      if (!issue) return jiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      if (!m[2] && method === 'GET') return getIssue(issue, request.query);
      if (m[2] && method === 'GET') {
        const transitions = options.workflow ? await options.workflow.transitionsFor(issue, user) : transitionsOf(issue).map(transitionJson);
        return json(200, { expand: 'transitions', transitions });
      }
      if (m[2] && method === 'POST') {
        const response = options.workflow ? await viaWorkflow(options.workflow, issue, user, request.body) : transition(issue, user, request.body);
        posts.push({ issueKey: issue.key, accountId: user.accountId, body: request.body, status: response.status });
        return response;
      }
    }
    return jiraError(404, [`No route for ${method} ${path} in the fake.`]);
  };

  return { state, handler, requests, transitionPosts: () => posts };
};
