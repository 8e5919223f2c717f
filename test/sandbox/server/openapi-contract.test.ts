/**
 * Contract: every endpoint the sandbox serves is a documented Jira operation; the requests these
 * tests send use documented query parameters and bodies; every response the sandbox gives, success
 * and error, has a documented status and validates against the documented schema (apart from the
 * nulls real Jira sends where the document says string, FORGE-NOTES.md).
 */
import { adf } from '../../../src/sandbox/state/jira-json';
import type { RouterRequest, RouterResponse } from '../../../src/sandbox/workflow/workflow-port';
import { checkAgainst, componentSchema, findOperation, requestSchema, responseSchema } from '../../fakes/openapi';
import { bodyOf, createSite, fieldIdOf, hours, moveTo, USERS } from './server-fixture';

const JIRA_NULLS = new Set(['from', 'fromString', 'to', 'toString']);

/**
 * Statuses the sandbox answers that the document leaves out for an operation. Jira answers them
 * too (every operation needs authentication; bad paging parameters are refused), the document
 * simply does not list them.
 */
const UNDOCUMENTED_STATUSES: Record<string, number[]> = {
  getAllUsers: [401],
  getChangeLogs: [400, 401],
  getBulkChangelogs: [401],
};

interface Exchange {
  request: RouterRequest;
  response: RouterResponse;
}

const recordExchanges = async (): Promise<Exchange[]> => {
  const site = createSite();
  const exchanges: Exchange[] = [];
  const call = async (method: string, path: string, options: Parameters<typeof site.call>[2] = {}) => {
    const request: RouterRequest = { method, path, query: options.query ?? {}, headers: {}, body: options.body };
    const response = await site.call(method, path, options);
    exchanges.push({ request, response });
    return response;
  };
  const risk = fieldIdOf(site.state, 'Risk rating');
  const implementer = fieldIdOf(site.state, 'Implementer');

  await call('GET', '/rest/api/3/myself');
  await call('GET', '/rest/api/3/myself', { as: 'app' });
  await call('GET', '/rest/api/3/myself', { as: 'anonymous' });
  await call('GET', '/rest/api/3/users/search', { query: { startAt: '0', maxResults: '10' } });
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
  await call('GET', `/rest/api/3/issue/${key}/properties/missing`);
  await call('PUT', `/rest/api/3/issue/${key}/properties/tmp`, { body: 1 });
  await call('DELETE', `/rest/api/3/issue/${key}/properties/tmp`);
  await call('DELETE', `/rest/api/3/issue/${key}/properties/tmp`);
  await call('GET', `/rest/api/3/issue/${key}`, { query: { fields: '*all', expand: 'changelog,names', properties: 'cc81.evidence' } });
  await call('GET', `/rest/api/3/issue/${key}`, { query: { fields: 'summary,status' } });
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
        'getStatuses',
        'getTransitions',
        'searchAndReconsileIssuesUsingJql',
        'searchAndReconsileIssuesUsingJqlPost',
        'setIssueProperty',
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
      ]),
    );
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
