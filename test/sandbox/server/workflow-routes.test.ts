import { createConfigClient } from '../../../src/jira/config-client';
import type { JiraTransport } from '../../../src/jira/transport';
import { WorkflowReadResponseSchema, type JiraWorkflow, type WorkflowTransition } from '../../../src/jira/workflow-schemas';
import { shareWorkflow, staleVersionMessage, WORKFLOW_ID, WORKFLOW_NAME, workflowStatusesJson } from '../../../sandbox/state/workflow-document';
import { ADMIN, bodyOf, createSite, USERS } from './server-fixture';

const PROJECT = { projectId: '10000', issueTypeId: '10005' };

const adminSite = (site: 'demo' | 'bare' = 'bare') => createSite({ users: [...Object.values(USERS), ADMIN], site });

const read = async (s: ReturnType<typeof adminSite>) => {
  const response = await s.call('POST', '/rest/api/3/workflows', { as: ADMIN, body: { projectAndIssueTypes: [PROJECT] } });
  expect(response.status).toBe(200);
  return WorkflowReadResponseSchema.parse(response.body).workflows[0]!;
};

/** The site's statuses as the workflows API lists them: the update's required top-level `statuses`. */
const STATUSES = (() => {
  const s = adminSite();
  return workflowStatusesJson(s.state, s.state.workflow);
})();

const updateBody = (workflow: JiraWorkflow, transitions: WorkflowTransition[] = workflow.transitions) => ({
  statuses: STATUSES,
  workflows: [{ id: workflow.id, version: workflow.version, statuses: workflow.statuses.map((s) => ({ statusReference: s.statusReference, properties: s.properties ?? {} })), transitions }],
});

const approveNow = (approvedStatus: string): WorkflowTransition => ({
  id: '500',
  name: 'Approve now',
  type: 'GLOBAL',
  toStatusReference: approvedStatus,
  links: [],
  conditions: { operation: 'ALL', conditions: [] },
  validators: [],
  actions: [],
});

describe('POST /rest/api/3/workflows (read)', () => {
  it.each([
    ['project and issue type', { projectAndIssueTypes: [PROJECT] }],
    ['workflow id', { workflowIds: [WORKFLOW_ID] }],
    ['workflow name', { workflowNames: [WORKFLOW_NAME] }],
  ])('finds the project workflow by %s, with the statuses it references', async (_, body) => {
    const s = adminSite();
    const response = await s.call('POST', '/rest/api/3/workflows', { as: ADMIN, body });
    const parsed = WorkflowReadResponseSchema.parse(response.body);
    expect(parsed.workflows.map((w) => w.id)).toEqual([WORKFLOW_ID]);
    expect(parsed.statuses.map((st) => [st.id, st.name, st.statusReference])).toEqual(s.state.statuses.map((st) => [st.id, st.name, st.id]));
    expect(parsed.statuses.map((st) => st.statusCategory)).toEqual(['TODO', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'DONE']);
  });

  it('finds nothing for another project, and answers copies (editing the answer changes nothing)', async () => {
    const s = adminSite();
    expect(bodyOf(await s.call('POST', '/rest/api/3/workflows', { as: ADMIN, body: { projectAndIssueTypes: [{ projectId: '99', issueTypeId: '10005' }] } }))).toEqual({ statuses: [], workflows: [] });
    const workflow = await read(s);
    workflow.transitions.length = 0;
    expect((await read(s)).transitions.length).toBeGreaterThan(0);
  });

  it('is for Jira admins and the app only', async () => {
    const s = adminSite();
    const refused = await s.call('POST', '/rest/api/3/workflows', { as: USERS.rita, body: { projectAndIssueTypes: [PROJECT] } });
    expect(refused).toMatchObject({ status: 403, body: { errorMessages: ['You must be a Jira administrator to read workflows.'], errors: {} } });
    expect((await s.call('POST', '/rest/api/3/workflows', { as: 'app', body: { projectAndIssueTypes: [PROJECT] } })).status).toBe(200);
  });

  it('refuses a malformed body with the field path', async () => {
    const s = adminSite();
    const response = await s.call('POST', '/rest/api/3/workflows', { as: ADMIN, body: { projectAndIssueTypes: [{ projectId: 10000 }] } });
    expect(response.status).toBe(400);
    expect(Object.keys(bodyOf<{ errors: Record<string, string> }>(response).errors)).toEqual(expect.arrayContaining(['projectAndIssueTypes.0.projectId', 'projectAndIssueTypes.0.issueTypeId']));
  });
});

describe('POST /rest/api/3/workflows/update', () => {
  it('replaces every transition with the request list, keeps the statuses, bumps the version and answers the new document', async () => {
    const s = adminSite();
    const before = await read(s);
    const approved = s.state.statuses.find((st) => st.name === 'Approved')!.id;
    const transitions = [...before.transitions.filter((t) => t.id !== '21'), approveNow(approved)];
    const response = await s.call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: updateBody(before, transitions) });
    expect(response.status).toBe(200);
    const body = bodyOf<{ workflows: JiraWorkflow[]; statuses: unknown[]; taskId: unknown }>(response);
    expect(body.taskId).toBeNull();
    expect(body.statuses).toHaveLength(6);
    const after = body.workflows[0]!;
    expect(after.version.versionNumber).toBe(before.version.versionNumber + 1);
    expect(after.version.id).not.toBe(before.version.id);
    expect(after.version.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.transitions.map((t) => t.id)).toEqual(transitions.map((t) => t.id));
    expect(after.statuses).toEqual(before.statuses);
    expect(await read(s)).toEqual(after);
  });

  it('gives new rules an id and keeps only what Jira stores', async () => {
    const s = adminSite();
    const before = await read(s);
    const rule = { ruleKey: 'system:check-field-value', parameters: { fieldId: 'summary' }, note: 'dropped' };
    const transitions = before.transitions.map((t) => (t.id === '11' ? { ...t, validators: [rule], extra: 'dropped' } : t));
    const after = bodyOf<{ workflows: JiraWorkflow[] }>(await s.call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: updateBody(before, transitions) })).workflows[0]!;
    const submit = after.transitions.find((t) => t.id === '11')!;
    expect(submit.validators).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ruleKey: 'system:check-field-value', parameters: { fieldId: 'summary' } }]);
    expect(submit).not.toHaveProperty('extra');
  });

  it('answers 409 with a clear message to a stale version, and changes nothing', async () => {
    const s = adminSite();
    const before = await read(s);
    expect((await s.call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: updateBody(before) })).status).toBe(200);
    const stale = await s.call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: updateBody(before, []) });
    expect(stale.status).toBe(409);
    expect(bodyOf<{ errorMessages: string[] }>(stale).errorMessages).toEqual([staleVersionMessage(before.version.versionNumber, before.version.versionNumber + 1)]);
    expect((await read(s)).transitions).toHaveLength(before.transitions.length);
  });

  it.each([
    ['a transition without a type', (w: JiraWorkflow) => updateBody(w, w.transitions.map((t, i) => (i === 1 ? { ...t, type: undefined as never } : t))), 'workflows.0.transitions.1.type'],
    ['no version', (w: JiraWorkflow) => ({ ...updateBody(w), workflows: [{ ...updateBody(w).workflows[0], version: undefined }] }), 'workflows.0.version'],
    ['no workflows', () => ({ workflows: [] }), 'workflows'],
    ['a link from an unknown status', (w: JiraWorkflow) => updateBody(w, w.transitions.map((t) => (t.id === '11' ? { ...t, links: [{ fromStatusReference: '999' }] } : t))), 'workflows.0.transitions.1.links.0.fromStatusReference'],
    ['a target status outside the workflow', (w: JiraWorkflow) => updateBody(w, w.transitions.map((t) => (t.id === '11' ? { ...t, toStatusReference: '999' } : t))), 'workflows.0.transitions.1.toStatusReference'],
    ['a duplicate transition id', (w: JiraWorkflow) => updateBody(w, [...w.transitions, w.transitions[1]!]), `workflows.0.transitions.${17}.id`],
    ['no initial transition', (w: JiraWorkflow) => updateBody(w, w.transitions.slice(1)), 'workflows.0.transitions'],
    ['no top-level statuses (Jira resolves the layouts through them)', (w: JiraWorkflow) => ({ workflows: updateBody(w).workflows }), 'statuses'],
    ['a layout whose status is not among the top-level statuses', (w: JiraWorkflow) => ({ ...updateBody(w), statuses: STATUSES.slice(1) }), 'workflows.0.statuses.0.statusReference'],
    ['a renamed status', (w: JiraWorkflow) => ({ ...updateBody(w), statuses: STATUSES.map((st, i) => (i === 0 ? { ...st, name: 'Idea' } : st)) }), 'statuses.0'],
    ['a rule id used twice', (w: JiraWorkflow) => updateBody(w, w.transitions.map((t) => (t.id === '11' || t.id === '21' ? { ...t, validators: [{ id: 'dup', ruleKey: 'system:x', parameters: {} }] } : t))), 'workflows.0.transitions'],
    ['a dropped status', (w: JiraWorkflow) => ({ ...updateBody(w), workflows: [{ ...updateBody(w).workflows[0]!, statuses: updateBody(w).workflows[0]!.statuses.slice(1) }] }), 'workflows.0.statuses'],
  ])('refuses %s with 400 naming the field path, changing nothing', async (_, build, path) => {
    const s = adminSite();
    const before = await read(s);
    const response = await s.call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: build(before) });
    expect(response.status).toBe(400);
    expect(bodyOf<{ errors: Record<string, string> }>(response).errors).toHaveProperty([path]);
    expect(await read(s)).toEqual(before);
  });

  it('answers 404 for another workflow, 403 to a non-admin, and lets the app update', async () => {
    const s = adminSite();
    const before = await read(s);
    const other = { ...updateBody(before), workflows: [{ ...updateBody(before).workflows[0]!, id: 'nope' }] };
    expect((await s.call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: other })).status).toBe(404);
    expect((await s.call('POST', '/rest/api/3/workflows/update', { as: USERS.ada, body: updateBody(before) })).status).toBe(403);
    expect((await s.call('POST', '/rest/api/3/workflows/update', { as: 'app', body: updateBody(before) })).status).toBe(200);
  });
});

describe('GET /rest/api/3/workflows/capabilities', () => {
  it("offers the app's four Forge rules with their extension ARIs and rule keys", async () => {
    const s = adminSite();
    const response = await s.call('GET', '/rest/api/3/workflows/capabilities', { as: ADMIN, query: { workflowId: WORKFLOW_ID } });
    expect(response.status).toBe(200);
    const body = bodyOf<{ editorScope: string; projectTypes: string[]; forgeRules: { id: string; ruleKey: string; ruleType: string; name: string }[] }>(response);
    expect(body.editorScope).toBe('GLOBAL');
    expect(body.forgeRules.map((r) => [r.id, r.ruleKey, r.ruleType])).toEqual([
      ['ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/cc81-transition-condition', 'forge:expression-condition', 'Condition'],
      ['ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/cc81-transition-validator', 'forge:expression-validator', 'Validator'],
      ['ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/cc81-history-gate', 'forge:expression-validator', 'Validator'],
      ['ari:cloud:ecosystem::extension/sandbox-app/sandbox/static/cc81-evidence-recorder', 'forge:workflow-post-function', 'Function'],
    ]);
    const byProject = await s.call('GET', '/rest/api/3/workflows/capabilities', { as: 'app', query: PROJECT });
    expect(byProject.body).toEqual(response.body);
  });

  it('offers no Forge rules in a team-managed project', async () => {
    const s = adminSite();
    s.state.projectStyle = 'next-gen';
    const body = bodyOf<{ forgeRules: unknown[]; editorScope: string }>(await s.call('GET', '/rest/api/3/workflows/capabilities', { as: ADMIN, query: { workflowId: WORKFLOW_ID } }));
    expect(body).toMatchObject({ forgeRules: [], editorScope: 'PROJECT' });
  });

  it.each([
    ['no workflow named', {}, 400],
    ['an unknown workflow', { workflowId: 'nope' }, 400],
    ['a project without an issue type', { projectId: '10000' }, 400],
  ])('refuses %s', async (_, query, status) => {
    const s = adminSite();
    expect((await s.call('GET', '/rest/api/3/workflows/capabilities', { as: ADMIN, query })).status).toBe(status);
  });

  it('is for Jira admins and the app only', async () => {
    const s = adminSite();
    expect((await s.call('GET', '/rest/api/3/workflows/capabilities', { as: USERS.ivan, query: { workflowId: WORKFLOW_ID } })).status).toBe(403);
  });
});

describe('GET /rest/api/3/workflow/{workflowId}/projectUsages and …/project/{projectId}/issueTypeUsages', () => {
  const usages = async (s: ReturnType<typeof adminSite>, path: string, query: Record<string, string> = {}) => {
    const ids: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const response = await s.call('GET', path, { as: 'app', query: { ...query, ...(token ? { nextPageToken: token } : {}) } });
      expect(response.status).toBe(200);
      const body = bodyOf<{ projects?: { values: { id: string }[]; nextPageToken?: string }; issueTypes?: { values: { id: string }[]; nextPageToken?: string } }>(response);
      const pageBody = body.projects ?? body.issueTypes!;
      ids.push(...pageBody.values.map((v) => v.id));
      token = pageBody.nextPageToken;
      if (!token) break;
    }
    return ids;
  };

  it('lists only the CHG project and its Change issue type for a dedicated workflow', async () => {
    const s = adminSite();
    expect(await usages(s, `/rest/api/3/workflow/${WORKFLOW_ID}/projectUsages`)).toEqual(['10000']);
    expect(await usages(s, `/rest/api/3/workflow/${WORKFLOW_ID}/project/10000/issueTypeUsages`)).toEqual(['10005']);
  });

  it('lists the other projects and issue types of a shared workflow, page by page', async () => {
    const s = adminSite();
    shareWorkflow(s.state, { projectIds: ['10001', '10002'], issueTypeIds: ['10006'] });
    expect(await usages(s, `/rest/api/3/workflow/${WORKFLOW_ID}/projectUsages`, { maxResults: '1' })).toEqual(['10000', '10001', '10002']);
    expect(await usages(s, `/rest/api/3/workflow/${WORKFLOW_ID}/project/10000/issueTypeUsages`, { maxResults: '1' })).toEqual(['10005', '10006']);
    expect(await usages(s, `/rest/api/3/workflow/${WORKFLOW_ID}/project/10001/issueTypeUsages`)).toEqual(['10005']);
    expect(await usages(s, `/rest/api/3/workflow/${WORKFLOW_ID}/project/10099/issueTypeUsages`)).toEqual([]);
  });

  it.each([
    [`/rest/api/3/workflow/${WORKFLOW_ID}/projectUsages`, { maxResults: '201' }, 400],
    [`/rest/api/3/workflow/${WORKFLOW_ID}/projectUsages`, { nextPageToken: 'not-a-token' }, 400],
    [`/rest/api/3/workflow/${WORKFLOW_ID}/project/CHG/issueTypeUsages`, {}, 400],
    ['/rest/api/3/workflow/nope/projectUsages', {}, 404],
  ])('refuses %s %j with %i', async (path, query, status) => {
    const response = await adminSite().call('GET', path, { as: ADMIN, query });
    expect(response.status).toBe(status);
    expect(Array.isArray(bodyOf<{ errorMessages: unknown }>(response).errorMessages)).toBe(true);
  });

  it('is for Jira admins and the app only', async () => {
    expect((await adminSite().call('GET', `/rest/api/3/workflow/${WORKFLOW_ID}/projectUsages`, { as: USERS.rita })).status).toBe(403);
  });
});

describe("the app's configuration client against the sandbox's workflow usage and analyse routes", () => {
  const clientOf = (s: ReturnType<typeof adminSite>) => {
    const requests: string[] = [];
    const transport: JiraTransport = async (request) => {
      requests.push(`${request.method} ${request.path}${request.query?.nextPageToken ? ' (next page)' : ''}`);
      const response = await s.call(request.method, request.path, { as: 'app', query: request.query ?? {}, body: request.body });
      return { status: response.status, header: (name) => response.headers[name.toLowerCase()] ?? null, json: async () => response.body };
    };
    return { client: createConfigClient(transport), requests };
  };

  it('reads every page of a widely shared workflow (more than 200 projects)', async () => {
    const s = adminSite();
    const others = Array.from({ length: 250 }, (_, i) => String(20_000 + i));
    shareWorkflow(s.state, { projectIds: others, issueTypeIds: ['10006'] });
    const { client, requests } = clientOf(s);
    const usage = await client.workflowUsage(WORKFLOW_ID, '10000');
    expect(usage).toEqual({ projectIds: ['10000', ...others], issueTypeIds: ['10005', '10006'] });
    expect(requests.filter((r) => r.includes('projectUsages'))).toHaveLength(2);
  });

  it('sends expressions to analyse in batches and answers one verdict per expression, in order', async () => {
    const s = adminSite();
    const { client, requests } = clientOf(s);
    const expressions = [...Array.from({ length: 24 }, (_, i) => `issue.id != ${i}`), 'issue.summary !='];
    const results = await client.analyseExpressions(expressions);
    expect(results.map((r) => r.expression)).toEqual(expressions);
    expect(results.map((r) => r.valid)).toEqual([...Array(24).fill(true), false]);
    expect(results[24]!.errors![0]!.message).toEqual(expect.any(String));
    expect(requests.filter((r) => r.includes('expression/analyse'))).toHaveLength(2);
  });
});
