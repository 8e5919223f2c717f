/**
 * Contract: every endpoint the sandbox serves is a documented Jira operation; the requests these
 * tests send use documented query parameters and bodies; every response the sandbox gives, success
 * and error, has a documented status and validates against the documented schema (apart from the
 * nulls real Jira sends where the document says string, FORGE-NOTES.md).
 */
import { adf } from '../../../sandbox/state/jira-json';
import type { RouterRequest, RouterResponse } from '../../../sandbox/workflow/workflow-port';
import { checkAgainst, componentSchema, findOperation, requestSchema, responseSchema } from '../../fakes/openapi';
import type { JiraWorkflow } from '../../../src/jira/workflow-schemas';
import { buildWorkflowPlan } from '../../../src/setup/build-workflow-plan';
import { sandboxPlanContext } from '../../../sandbox/state/app-rules-install';
import { shareWorkflow } from '../../../sandbox/state/workflow-document';
import { ADMIN, bodyOf, createSite, fieldIdOf, hours, moveTo, USERS } from './server-fixture';

/** `taskId`: Jira answers null to a workflow update that starts no migration task (the document says string). */
const JIRA_NULLS = new Set(['from', 'fromString', 'to', 'toString', 'taskId']);

/**
 * Statuses the sandbox answers that the document leaves out for an operation. Jira answers them
 * too (every operation needs authentication; bad paging parameters are refused), the document
 * simply does not list them.
 */
const UNDOCUMENTED_STATUSES: Record<string, number[]> = {
  getAllUsers: [401],
  getChangeLogs: [400, 401],
  getBulkChangelogs: [401],
  // Administer Jira is required; the document lists no 403 for these. A workflow id that is not the site's is a 404.
  readWorkflows: [403],
  updateWorkflows: [403, 404],
  workflowCapabilities: [403],
  getProjectUsagesForWorkflow: [403],
  getWorkflowProjectIssueTypeUsages: [403],
  createCustomField: [403],
  // Removed from Jira Cloud (CHANGE-2046): it answers 410, which the document (still listing the operation) does not say.
  searchForIssuesUsingJql: [410],
  searchForIssuesUsingJqlPost: [410],
};

/** The site configuration and workflow operations (admin page, workflow setup, self-test); each answers a checked body. */
const CONFIGURATION_OPERATIONS = [
  'getMyPermissions',
  'searchProjects',
  'getProject',
  'createCustomField',
  'getContextsForField',
  'createCustomFieldContext',
  'getOptionsForContext',
  'createCustomFieldOption',
  'readWorkflows',
  'updateWorkflows',
  'workflowCapabilities',
  'getProjectUsagesForWorkflow',
  'getWorkflowProjectIssueTypeUsages',
  'analyseExpression',
];

interface Exchange {
  request: RouterRequest;
  response: RouterResponse;
}

const recordExchanges = async (): Promise<Exchange[]> => {
  const site = createSite({ users: [...Object.values(USERS), ADMIN] });
  const exchanges: Exchange[] = [];
  const call = async (method: string, path: string, options: Parameters<typeof site.call>[2] = {}) => {
    const request: RouterRequest = { method, path, query: options.query ?? {}, headers: {}, body: options.body };
    const response = await site.call(method, path, options);
    exchanges.push({ request, response });
    return response;
  };
  const risk = fieldIdOf(site.state, 'Risk rating');
  const implementer = fieldIdOf(site.state, 'Implementer');

  // What a client calls on connect (python-jira: serverInfo, then fields; jira.js: myself).
  await call('GET', '/rest/api/3/serverInfo');
  await call('GET', '/rest/api/3/myself');
  await call('GET', '/rest/api/3/myself', { as: 'app' });
  await call('GET', '/rest/api/3/myself', { as: 'anonymous' });
  await call('GET', '/rest/api/3/users/search', { query: { startAt: '0', maxResults: '10' } });
  await call('GET', '/rest/api/3/user', { query: { accountId: USERS.ivan.accountId } });
  await call('GET', '/rest/api/3/user', { query: { accountId: 'deleted-account' } });
  await call('GET', '/rest/api/3/users/search', { query: { startAt: 'x' } });
  await call('GET', '/rest/api/3/field');
  await call('GET', '/rest/api/3/status');

  const created = bodyOf<{ key: string }>(
    await call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'CHG' }, issuetype: { name: 'Change' }, summary: 'Contract', description: adf('Why'), [risk]: { value: 'Low' }, labels: ['a'] } },
    }),
  );
  await call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: 'CHG' }, issuetype: { name: 'Change' } } } });
  const key = created.key;
  const issue = site.state.issues[0]!;
  site.setNow(hours(1));
  await call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { [implementer]: { accountId: USERS.ivan.accountId } }, update: { labels: [{ add: 'b' }, { remove: 'a' }] } } });
  await call('PUT', `/rest/api/3/issue/${key}`, { query: { returnIssue: 'true' }, body: { fields: { summary: 'Contract 2' } } });
  await call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { status: { id: '1' } } } });
  await call('PUT', `/rest/api/3/issue/${key}`, { as: 'app', body: { update: { labels: [{ add: 'app' }] } } });
  moveTo(site, issue, 'Assessment', USERS.rita, hours(2));
  await call('PUT', `/rest/api/3/issue/${key}/properties/cc81.evidence`, { body: { version: 1, records: [] } });
  await call('PUT', `/rest/api/3/issue/${key}/properties/cc81.evidence`, { body: { version: 2, records: [] } });
  await call('PUT', `/rest/api/3/issue/${key}/properties/cc81.evidence`, { body: 'x'.repeat(40_000) });
  await call('GET', `/rest/api/3/issue/${key}/properties/cc81.evidence`);
  await call('GET', `/rest/api/3/issue/${key}/properties`);
  await call('GET', '/rest/api/3/issue/CHG-404/properties');
  await call('GET', `/rest/api/3/issue/${key}/properties/missing`);
  await call('PUT', `/rest/api/3/issue/${key}/properties/tmp`, { body: 1 });
  await call('DELETE', `/rest/api/3/issue/${key}/properties/tmp`);
  await call('DELETE', `/rest/api/3/issue/${key}/properties/tmp`);
  await call('GET', `/rest/api/3/issue/${key}`, { query: { fields: '*all', expand: 'changelog,names', properties: 'cc81.evidence' } });
  await call('GET', `/rest/api/3/issue/${key}`, { query: { fields: 'summary,status' } });
  await call('GET', `/rest/api/3/issue/${key}`, { query: { expand: 'names,schema,renderedFields' } });
  await call('GET', '/rest/api/3/issue/CHG-404');
  await call('GET', `/rest/api/3/issue/${key}/transitions`);
  await call('GET', `/rest/api/3/issue/${key}/transitions`, { query: { transitionId: '10002' } });
  await call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '10002' }, fields: { [risk]: { value: 'High' } } } });
  await call('POST', `/rest/api/3/issue/${key}/transitions`, { body: {} });
  await call('POST', `/rest/api/3/issue/${key}/transitions`, { body: { transition: { id: '1' } } });
  await call('GET', `/rest/api/3/issue/${key}/changelog`, { query: { startAt: '0', maxResults: '2' } });
  await call('GET', `/rest/api/3/issue/${key}/changelog`, { query: { maxResults: '0' } });
  await call('GET', '/rest/api/3/issue/CHG-404/changelog');
  await call('POST', '/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: [key], fieldIds: ['status', 'labels'], maxResults: 1 } });
  await call('POST', '/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: [key] } });
  await call('POST', '/rest/api/3/changelog/bulkfetch', { body: { issueIdsOrKeys: [] } });
  await call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: adf('A comment') } });
  await call('POST', `/rest/api/3/issue/${key}/comment`, { body: { body: 'v2 text' } });
  await call('GET', `/rest/api/3/issue/${key}/comment`, { query: { startAt: '0', maxResults: '10', orderBy: '-created' } });
  await call('GET', `/rest/api/3/issue/${key}/comment`, { query: { orderBy: 'nope' } });
  await call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = CHG ORDER BY key', maxResults: 1, fields: ['summary', 'status'], properties: ['cc81.evidence'], expand: 'changelog' } });
  await call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = CHG' } });
  await call('POST', '/rest/api/3/search/jql', { body: { jql: 'status = Nowhere' } });
  await call('GET', '/rest/api/3/search/jql', { query: { jql: 'project = CHG', fields: 'summary', maxResults: '5' } });
  await call('POST', '/rest/api/3/search/jql', { body: { jql: 'project = CHG', fields: ['*navigable'], expand: 'names,schema' } });
  // The removed search, as old clients still call it.
  await call('GET', '/rest/api/3/search', { query: { jql: 'project = CHG' } });
  await call('POST', '/rest/api/3/search', { body: { jql: 'project = CHG' } });

  // Site configuration: permissions, projects, custom fields, contexts and options.
  await call('GET', '/rest/api/3/mypermissions', { as: ADMIN, query: { permissions: 'ADMINISTER' } });
  await call('GET', '/rest/api/3/mypermissions', { query: { permissions: 'NOPE' } });
  await call('GET', '/rest/api/3/project/search', { query: { startAt: '0', maxResults: '50', expand: 'issueTypes' } });
  await call('GET', '/rest/api/3/project/search', { query: { keys: 'CHG' } });
  await call('GET', '/rest/api/3/project/CHG', { query: { expand: 'issueTypes' } });
  await call('GET', '/rest/api/3/project/NOPE');
  const TYPE = 'com.atlassian.jira.plugin.system.customfieldtypes:';
  const select = bodyOf<{ id: string }>(await call('POST', '/rest/api/3/field', { as: ADMIN, body: { name: 'Environment', type: `${TYPE}select`, searcherKey: `${TYPE}multiselectsearcher`, description: 'Where' } }));
  await call('POST', '/rest/api/3/field', { as: 'app', body: { name: 'Notes', type: `${TYPE}textarea` } });
  await call('POST', '/rest/api/3/field', { as: ADMIN, body: { name: 'Bad', type: `${TYPE}nope` } });
  await call('POST', '/rest/api/3/field', { as: USERS.rita, body: { name: 'Mine', type: `${TYPE}textfield` } });
  const contexts = bodyOf<{ values: { id: string }[] }>(await call('GET', `/rest/api/3/field/${select.id}/context`, { as: ADMIN, query: { startAt: '0', maxResults: '10' } }));
  await call('GET', '/rest/api/3/field/customfield_99999/context', { as: ADMIN });
  await call('POST', `/rest/api/3/field/${select.id}/context`, { as: ADMIN, body: { name: 'CHG only', description: 'Scoped', projectIds: ['10000'], issueTypeIds: ['10005'] } });
  await call('POST', `/rest/api/3/field/${select.id}/context`, { as: ADMIN, body: { name: 'Another global' } });
  const contextId = contexts.values[0]!.id;
  await call('POST', `/rest/api/3/field/${select.id}/context/${contextId}/option`, { as: ADMIN, body: { options: [{ value: 'Production' }, { value: 'Staging', disabled: false }] } });
  await call('POST', `/rest/api/3/field/${select.id}/context/${contextId}/option`, { as: ADMIN, body: { options: [{ value: 'production' }] } });
  await call('GET', `/rest/api/3/field/${select.id}/context/${contextId}/option`, { as: ADMIN, query: { startAt: '0', maxResults: '100' } });
  await call('GET', `/rest/api/3/field/${select.id}/context/404/option`, { as: ADMIN });

  // The workflows API.
  const readBody = { projectAndIssueTypes: [{ projectId: '10000', issueTypeId: '10005' }] };
  const read = bodyOf<{ workflows: JiraWorkflow[]; statuses: unknown[] }>(await call('POST', '/rest/api/3/workflows', { as: ADMIN, body: readBody }));
  await call('POST', '/rest/api/3/workflows', { as: 'app', body: { workflowNames: ['nope'] } });
  await call('POST', '/rest/api/3/workflows', { as: USERS.rita, body: readBody });
  const workflow = read.workflows[0]!;
  await call('GET', '/rest/api/3/workflows/capabilities', { as: ADMIN, query: { workflowId: workflow.id } });
  await call('GET', '/rest/api/3/workflows/capabilities', { as: 'app', query: { projectId: '10000', issueTypeId: '10005' } });
  await call('GET', '/rest/api/3/workflows/capabilities', { as: ADMIN, query: {} });
  await call('GET', '/rest/api/3/workflows/capabilities', { as: USERS.ivan, query: { workflowId: workflow.id } });
  const statuses = workflow.statuses.map((st) => ({ statusReference: st.statusReference, properties: st.properties ?? {} }));
  const approved = site.state.statuses.find((st) => st.name === 'Approved')!.id;
  const global = { id: '500', name: 'Approve now', description: 'Added by hand', type: 'GLOBAL', toStatusReference: approved, links: [], conditions: { operation: 'ALL', conditions: [] }, validators: [], actions: [], properties: {} };
  const update = { statuses: read.statuses, workflows: [{ id: workflow.id, version: workflow.version, statuses, transitions: [...workflow.transitions, global] }] };
  await call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: update });
  await call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: update }); // stale version: 409
  await call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: { workflows: [{ id: workflow.id }] } });
  await call('POST', '/rest/api/3/workflows/update', { as: USERS.rita, body: update });
  await call('POST', '/rest/api/3/workflows/update', { as: ADMIN, body: { workflows: update.workflows } }); // no top-level statuses: 400

  // Where the workflow is used (the shared-workflow scenario: one more project, one more issue type).
  shareWorkflow(site.state, { projectIds: ['10001'], issueTypeIds: ['10006'] });
  const projects = bodyOf<{ projects: { nextPageToken?: string } }>(await call('GET', `/rest/api/3/workflow/${workflow.id}/projectUsages`, { as: 'app', query: { maxResults: '1' } }));
  await call('GET', `/rest/api/3/workflow/${workflow.id}/projectUsages`, { as: 'app', query: { maxResults: '1', nextPageToken: projects.projects.nextPageToken! } });
  await call('GET', `/rest/api/3/workflow/${workflow.id}/projectUsages`, { as: ADMIN, query: { nextPageToken: 'nope' } });
  await call('GET', '/rest/api/3/workflow/nope/projectUsages', { as: ADMIN });
  await call('GET', `/rest/api/3/workflow/${workflow.id}/projectUsages`, { as: USERS.rita });
  await call('GET', `/rest/api/3/workflow/${workflow.id}/project/10000/issueTypeUsages`, { as: 'app', query: { maxResults: '200' } });
  await call('GET', `/rest/api/3/workflow/${workflow.id}/project/10000/issueTypeUsages`, { as: ADMIN, query: { maxResults: '0' } });
  await call('GET', `/rest/api/3/workflow/${workflow.id}/project/10000/issueTypeUsages`, { as: USERS.rita });

  await call('POST', '/rest/api/3/expression/analyse', { as: 'app', query: { check: 'complexity' }, body: { expressions: ['issue.customfield_10040 != null', 'issue.summary !='], contextVariables: { extra: 'String' } } });
  await call('POST', '/rest/api/3/expression/analyse', { query: { check: 'nope' }, body: { expressions: ['true'] } });
  return exchanges;
};

describe('the sandbox conforms to the Jira OpenAPI document', () => {
  let exchanges: Exchange[] = [];
  beforeAll(async () => {
    exchanges = await recordExchanges();
  });

  it('serves only documented operations, and every one the brief lists', () => {
    const operations = new Set(exchanges.map(({ request }) => findOperation(request.method, request.path)?.operationId ?? `UNDOCUMENTED ${request.method} ${request.path}`));
    expect([...operations].sort()).toEqual(
      [
        'addComment',
        'deleteIssueProperty',
        'doTransition',
        'editIssue',
        'createIssue',
        'getAllUsers',
        'getBulkChangelogs',
        'getChangeLogs',
        'getComments',
        'getCurrentUser',
        'getFields',
        'getIssue',
        'getIssueProperty',
        'getIssuePropertyKeys',
        'getServerInfo',
        'getStatuses',
        'getUser',
        'getTransitions',
        'searchAndReconsileIssuesUsingJql',
        'searchAndReconsileIssuesUsingJqlPost',
        'searchForIssuesUsingJql',
        'searchForIssuesUsingJqlPost',
        'setIssueProperty',
        ...CONFIGURATION_OPERATIONS,
      ].sort(),
    );
  });

  it('is asked only documented query parameters', () => {
    for (const { request } of exchanges) {
      const declared = (findOperation(request.method, request.path)?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect({ path: request.path, undeclared: Object.keys(request.query).filter((name) => !declared.includes(name)) }).toEqual({ path: request.path, undeclared: [] });
    }
  });

  it('is sent request bodies that match the documented schemas, apart from the deliberately invalid ones', () => {
    const invalid = exchanges.filter(({ request, response }) => {
      const op = findOperation(request.method, request.path);
      const schema = op && requestSchema(op);
      return request.body !== undefined && schema && checkAgainst(schema, request.body).length > 0 && response.status < 400;
    });
    expect(invalid.map((e) => `${e.request.method} ${e.request.path}`)).toEqual([]);
  });

  it('answers only documented statuses (and the few the document omits)', () => {
    for (const { request, response } of exchanges) {
      const op = findOperation(request.method, request.path)!;
      const allowed = [...Object.keys(op.responses).map(Number), ...(UNDOCUMENTED_STATUSES[op.operationId] ?? [])];
      expect({ op: op.operationId, status: response.status, allowed: allowed.includes(response.status) }).toEqual({ op: op.operationId, status: response.status, allowed: true });
    }
  });

  it('answers bodies that match the documented response schemas', () => {
    const checked: string[] = [];
    for (const { request, response } of exchanges) {
      const op = findOperation(request.method, request.path)!;
      const schema = responseSchema(op, String(response.status));
      if (response.status >= 400) {
        // Every error has Jira's ErrorCollection shape, documented or not.
        expect({ op: op.operationId, deviations: checkAgainst(componentSchema('ErrorCollection'), response.body) }).toEqual({ op: op.operationId, deviations: [] });
        expect(Array.isArray((response.body as { errorMessages?: unknown }).errorMessages)).toBe(true);
        continue;
      }
      if (!schema || response.body === undefined) continue;
      checked.push(op.operationId);
      expect({ op: op.operationId, status: response.status, deviations: checkAgainst(schema, response.body, '$', JIRA_NULLS) }).toEqual({
        op: op.operationId,
        status: response.status,
        deviations: [],
      });
    }
    expect(new Set(checked)).toEqual(
      new Set([
        'getServerInfo',
        'getIssuePropertyKeys',
        'getUser',
        'getCurrentUser',
        'getAllUsers',
        'getFields',
        'getStatuses',
        'createIssue',
        'editIssue',
        'getIssueProperty',
        'getIssue',
        'getTransitions',
        'getChangeLogs',
        'getBulkChangelogs',
        'addComment',
        'getComments',
        'searchAndReconsileIssuesUsingJqlPost',
        'searchAndReconsileIssuesUsingJql',
        ...CONFIGURATION_OPERATIONS,
      ]),
    );
  });

  it('answers the statuses the workflow and configuration endpoints are expected to', () => {
    const statusesOf = (operationId: string) => exchanges.filter(({ request }) => findOperation(request.method, request.path)?.operationId === operationId).map((e) => e.response.status);
    expect(statusesOf('updateWorkflows')).toEqual([200, 409, 400, 403, 400]);
    expect(statusesOf('getProjectUsagesForWorkflow')).toEqual([200, 200, 400, 404, 403]);
    expect(statusesOf('getWorkflowProjectIssueTypeUsages')).toEqual([200, 400, 403]);
    expect(statusesOf('readWorkflows')).toEqual([200, 200, 403]);
    expect(statusesOf('createCustomField')).toEqual([201, 201, 400, 403]);
    expect(statusesOf('createCustomFieldContext')).toEqual([201, 409]);
    expect(statusesOf('createCustomFieldOption')).toEqual([200, 400]);
  });

  it("sends Jira a workflow update the document allows when the app's setup builder installs its rules", () => {
    const site = createSite({ site: 'bare' });
    const demo = createSite();
    const plan = buildWorkflowPlan({ policy: demo.state.policy, policyVersion: 1, ...sandboxPlanContext(site.state) });
    expect(plan.update).not.toBeNull();
    const op = findOperation('POST', '/rest/api/3/workflows/update')!;
    expect(checkAgainst(requestSchema(op)!, plan.update)).toEqual([]);
  });

  it('would catch a response that strays from the document (the check can fail)', () => {
    const op = findOperation('GET', '/rest/api/3/field')!;
    const deviations = checkAgainst(responseSchema(op)!, [{ id: 'x', name: 'X', custom: true, cc81: 'summary', schema: { type: 'string', extra: 1 } }]);
    expect(deviations.map((d) => d.path)).toEqual(['$[0].cc81', '$[0].schema.extra']);
  });

  it('sends the nulls real Jira sends in changelog items (tolerated above, flagged by the document as written)', () => {
    const bulk = exchanges.find((e) => e.request.path.endsWith('/bulkfetch') && e.response.status === 200)!;
    expect(checkAgainst(componentSchema('BulkChangelogResponseBean'), bulk.response.body).map((d) => d.problem)).toContain('null where the document says string');
  });
});
