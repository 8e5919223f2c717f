/**
 * An in-memory Jira site for the admin resolver and the self-test: permissions per account,
 * projects, statuses, fields (creating custom fields, contexts and options), one workflow with
 * its version check, and the Forge rules offered on it. Failures can be queued per endpoint.
 */
import { FIELD_DEFS, STATES, type FieldKey, type Policy } from '../../src/domain';
import { RECOMMENDED_FIELD_TYPES } from '../../src/setup/field-suitability';
import type { JiraRequest, JiraResponse, JiraTransport } from '../../src/jira/transport';
import type { FieldDetails, ForgeRuleOffer, JiraWorkflow, WorkflowUpdateRequest } from '../../src/jira/workflow-schemas';
import { anOfferList, aWorkflow, workflowStatusList } from '../builders/workflow.builder';

const response = (status: number, body: unknown, headers: Record<string, string> = {}): JiraResponse => ({
  status,
  header: (name) => headers[name.toLowerCase()] ?? null,
  json: async () => JSON.parse(JSON.stringify(body)),
});
const error = (status: number, message: string) => response(status, { errorMessages: [message], errors: {} });

export const SYSTEM_FIELDS: FieldDetails[] = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', custom: false, schema: { type: 'string', system: 'description' } },
  { id: 'reporter', name: 'Reporter', custom: false, schema: { type: 'user', system: 'reporter' } },
  { id: 'created', name: 'Created', custom: false, schema: { type: 'datetime', system: 'created' } },
];

/** The custom fields a policy maps, as Jira lists them, each of the type the app would create for it. */
export const mappedCustomFields = (policy: Policy): FieldDetails[] =>
  (Object.entries(policy.fields) as [FieldKey, string | undefined][])
    .filter(([, id]) => id?.startsWith('customfield_'))
    .map(([key, id]) => ({ id: id!, name: FIELD_DEFS[key].label, custom: true, schema: { type: 'any', custom: RECOMMENDED_FIELD_TYPES[FIELD_DEFS[key].jira].type } }));

export class FakeJiraConfig {
  admins = new Set<string>(['admin-1']);
  /** Each account's Jira groups (`/myself?expand=groups`). */
  groups = new Map<string, string[]>();
  project = { id: '10000', key: 'CHG', name: 'Change Management', style: 'classic' as 'classic' | 'next-gen', simplified: false, issueTypes: [{ id: '10005', name: 'Change', subtask: false }] };
  statuses = STATES.map((name, i) => ({ id: String(10000 + i), name, statusCategory: { key: i === 0 ? 'new' : name === 'Closed' ? 'done' : 'indeterminate' } }));
  fields: FieldDetails[] = [...SYSTEM_FIELDS];
  options = new Map<string, string[]>();
  contexts = new Map<string, string>();
  workflow: JiraWorkflow;
  offers: ForgeRuleOffer[] = anOfferList();
  updates: WorkflowUpdateRequest[] = [];
  /** Other projects and issue types (of this project) using the workflow. */
  sharedWith = { projectIds: [] as string[], issueTypeIds: [] as string[] };
  /** Expressions `POST /expression/analyse` rejects, with Jira's message. */
  rejects = new Map<string, string>();
  analysed: string[][] = [];
  readonly workflowStatuses: ReturnType<typeof workflowStatusList>;
  readonly requests: string[] = [];
  private readonly failures: { endpoint: RegExp; status: number; headers?: Record<string, string> }[] = [];
  private nextFieldId = 10100;

  constructor(policy: Policy) {
    this.workflow = aWorkflow(policy);
    this.workflowStatuses = workflowStatusList(policy);
  }

  failNext(endpoint: RegExp, status: number, headers?: Record<string, string>): this {
    this.failures.push({ endpoint, status, ...(headers ? { headers } : {}) });
    return this;
  }

  /** REST as `accountId` (Forge asUser) or as the app (null). */
  transportAs(accountId: string | null): JiraTransport {
    return async (request) => this.handle(request, accountId);
  }

  private async handle(request: JiraRequest, accountId: string | null): Promise<JiraResponse> {
    const endpoint = `${request.method} ${request.path}`;
    this.requests.push(endpoint);
    const failure = this.failures.findIndex((f) => f.endpoint.test(endpoint));
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0]!;
      return response(f.status, { errorMessages: [`injected ${f.status}`], errors: {} }, f.headers);
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const p = request.path;
    if (endpoint === 'GET /rest/api/3/mypermissions') return response(200, { permissions: { ADMINISTER: { havePermission: accountId !== null && this.admins.has(accountId) } } });
    if (endpoint === 'GET /rest/api/3/myself') {
      const groups = request.query?.expand === 'groups' ? { groups: { size: 0, items: (this.groups.get(accountId ?? '') ?? []).map((name) => ({ name })) } } : {};
      return response(200, { accountId, displayName: `Name of ${accountId}`, ...groups });
    }
    if (endpoint === 'GET /rest/api/3/project/search') return response(200, { values: [this.project], isLast: true });
    if (request.method === 'GET' && /^\/rest\/api\/3\/project\/[^/]+$/.test(p)) {
      const id = p.split('/').pop();
      return id === this.project.id || id === this.project.key ? response(200, this.project) : error(404, 'No project could be found');
    }
    if (endpoint === 'GET /rest/api/3/status') return response(200, this.statuses);
    if (endpoint === 'GET /rest/api/3/field') return response(200, this.fields);
    if (endpoint === 'POST /rest/api/3/field') {
      const id = `customfield_${this.nextFieldId++}`;
      const type = String(body.type).split(':').pop()!;
      const schemaType = { select: 'option', userpicker: 'user', labels: 'array', datetime: 'datetime' }[type] ?? 'string';
      const field: FieldDetails = { id, name: String(body.name), custom: true, schema: { type: schemaType, custom: String(body.type) } };
      this.fields.push(field);
      return response(201, field);
    }
    const context = /^\/rest\/api\/3\/field\/([^/]+)\/context$/.exec(p);
    if (context) {
      const fieldId = context[1]!;
      if (request.method === 'GET') return response(200, { values: this.contexts.has(fieldId) ? [{ id: this.contexts.get(fieldId) }] : [] });
      this.contexts.set(fieldId, `ctx-${fieldId}`);
      return response(201, { id: `ctx-${fieldId}` });
    }
    const option = /^\/rest\/api\/3\/field\/([^/]+)\/context\/([^/]+)\/option$/.exec(p);
    if (option) {
      const fieldId = option[1]!;
      if (request.method === 'GET') return response(200, { values: (this.options.get(fieldId) ?? []).map((value, i) => ({ id: String(i), value })) });
      const added = (body.options as { value: string }[]).map((o) => o.value);
      this.options.set(fieldId, [...(this.options.get(fieldId) ?? []), ...added]);
      return response(200, { options: added.map((value, i) => ({ id: String(i), value })) });
    }
    if (endpoint === 'POST /rest/api/3/workflows') return response(200, { statuses: this.workflowStatuses, workflows: [this.workflow] });
    if (endpoint === `GET /rest/api/3/workflow/${this.workflow.id}/projectUsages`) return response(200, { projects: { values: [this.project.id, ...this.sharedWith.projectIds].map((id) => ({ id })) }, workflowId: this.workflow.id });
    if (endpoint === `GET /rest/api/3/workflow/${this.workflow.id}/project/${this.project.id}/issueTypeUsages`) {
      return response(200, { issueTypes: { values: [this.project.issueTypes[0]!.id, ...this.sharedWith.issueTypeIds].map((id) => ({ id })) }, projectId: this.project.id, workflowId: this.workflow.id });
    }
    if (endpoint === 'POST /rest/api/3/expression/analyse') {
      const expressions = body.expressions as string[];
      this.analysed.push(expressions);
      return response(200, { results: expressions.map((expression) => (this.rejects.has(expression) ? { expression, valid: false, errors: [{ message: this.rejects.get(expression)!, type: 'other' }] } : { expression, valid: true })) });
    }
    if (endpoint === 'GET /rest/api/3/workflows/capabilities') return response(200, { editorScope: 'GLOBAL', forgeRules: this.offers });
    if (endpoint === 'POST /rest/api/3/workflows/update') {
      const update = request.body as WorkflowUpdateRequest;
      const sent = update.workflows[0]!;
      if (sent.version.id !== this.workflow.version.id) return error(409, 'The workflow was changed by someone else.');
      if (!Array.isArray(update.statuses)) return error(400, 'The request has no statuses.');
      this.updates.push(update);
      this.workflow = { ...this.workflow, transitions: sent.transitions, version: { id: `${this.workflow.version.id}+`, versionNumber: this.workflow.version.versionNumber + 1 } };
      return response(200, { workflows: [this.workflow], taskId: null });
    }
    return error(404, `fake has no ${endpoint}`);
  }
}
