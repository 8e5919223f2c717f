/**
 * Contract: every request the history gate and the evidence recorder send, and every response
 * the fake Jira gives them, conforms to Atlassian's OpenAPI document (read from ../shared).
 */
import { createEvidenceRecorder } from '../../src/forge/evidence-recorder';
import { createHistoryGate } from '../../src/forge/history-gate';
import { POLICY_KEY } from '../../src/policy/policy-store';
import type { JiraRequest, JiraTransport } from '../../src/jira/transport';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { FakeJira, MemoryStore } from '../fakes/fake-jira';
import { approvedAndScheduled, aSitePolicy, issueJson, STATUS_IDS } from '../fakes/jira-json.builder';
import { checkAgainst, componentSchema, findOperation, requestSchema, responseSchema } from '../fakes/openapi';

/** Real Jira sends null where the document says string (FORGE-NOTES.md); the app tolerates it. */
const JIRA_NULLS = new Set(['from', 'fromString', 'to', 'toString', 'nextPageToken']);

interface Exchange {
  request: JiraRequest;
  status: number;
  body: unknown;
}

const recordExchanges = async () => {
  const jira = new FakeJira().addIssue(
    issueJson({ key: 'CHG-42', id: '10042', state: 'Scheduled', fields: completeFields() }),
    approvedAndScheduled().edit('rollbackPlan', null, 'Redeploy', 'acc-requester', 1.5).noise('acc-requester', 2.5).build(),
  );
  const exchanges: Exchange[] = [];
  const transport: JiraTransport = async (request) => {
    const response = await jira.transport(request);
    const body = await response.json().then(
      (json) => json,
      () => undefined,
    );
    exchanges.push({ request, status: response.status, body });
    return { status: response.status, header: response.header, json: async () => body };
  };
  const store = new MemoryStore();
  store.values.set(POLICY_KEY, { version: 1, policy: aSitePolicy(), updatedBy: null, updatedAt: null });
  const deps = { transport, store, clock: () => at(12), log: () => undefined };
  const gate = createHistoryGate(deps);
  const recorder = createEvidenceRecorder(deps);
  await gate({ issue: { key: 'CHG-42' }, transition: { from: { id: STATUS_IDS.Scheduled }, to: { id: STATUS_IDS.Implemented } } }, { principal: { accountId: 'acc-implementer' } });
  await recorder({ issue: { key: 'CHG-42', id: '10042' }, transition: { from: { id: STATUS_IDS.Scheduled }, to: { id: STATUS_IDS.Implemented }, executionId: 'e-1' }, atlassianId: 'acc-implementer' });
  await recorder({ issue: { key: 'CHG-42', id: '10042' }, transition: { from: { id: STATUS_IDS.Implemented }, to: { id: STATUS_IDS.Closed }, executionId: 'e-2' }, atlassianId: 'acc-verifier' });
  return exchanges;
};

describe('requests and responses conform to the Jira OpenAPI document', () => {
  let exchanges: Exchange[] = [];
  beforeAll(async () => {
    exchanges = await recordExchanges();
  });

  it('uses only documented operations', () => {
    const operations = exchanges.map(({ request }) => findOperation(request.method, request.path)?.operationId ?? `UNDOCUMENTED ${request.method} ${request.path}`);
    // The recorder reads the issue with its mirror (compared with the log before it is rewritten), then writes the mirror.
    expect(operations).toEqual(['getIssue', 'getBulkChangelogs', 'getIssue', 'setIssueProperty', 'getIssue', 'setIssueProperty']);
  });

  it('sends only documented query parameters', () => {
    for (const { request } of exchanges) {
      const op = findOperation(request.method, request.path);
      const declared = (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect({ path: request.path, query: Object.keys(request.query ?? {}).filter((name) => !declared.includes(name)) }).toEqual({ path: request.path, query: [] });
    }
  });

  it('sends request bodies that match the documented schemas (limits included)', () => {
    for (const { request } of exchanges.filter((e) => e.request.body !== undefined)) {
      const op = findOperation(request.method, request.path);
      const schema = op && requestSchema(op);
      expect({ path: request.path, deviations: schema ? checkAgainst(schema, request.body) : 'no schema' }).toEqual({ path: request.path, deviations: [] });
    }
  });

  it('gets responses that match the documented schemas, apart from the nulls Jira really sends', () => {
    const checked: string[] = [];
    for (const { request, status, body } of exchanges.filter((e) => e.body !== undefined)) {
      const op = findOperation(request.method, request.path);
      const schema = op && responseSchema(op, String(status));
      if (!schema) continue; // 404 for a missing property has no documented body
      checked.push(op.operationId);
      expect({ path: request.path, deviations: checkAgainst(schema, body, '$', JIRA_NULLS) }).toEqual({ path: request.path, deviations: [] });
    }
    expect(checked).toEqual(['getIssue', 'getBulkChangelogs', 'getIssue', 'getIssue']);
  });

  it('would flag those nulls under the document as written (the tolerance is needed)', () => {
    const bulk = exchanges.find((e) => e.request.path.endsWith('/bulkfetch'));
    const deviations = checkAgainst(componentSchema('BulkChangelogResponseBean'), bulk?.body);
    expect(deviations.map((d) => d.problem)).toContain('null where the document says string');
  });

  it('would flag a bulkfetch body over the documented limits', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `customfield_${i}`);
    expect(checkAgainst(componentSchema('BulkChangelogRequestBean'), { issueIdsOrKeys: ['CHG-1'], fieldIds: eleven, maxResults: 20_000 }).map((d) => d.problem)).toEqual([
      'more than 10 items',
      'above 10000',
    ]);
  });
});
