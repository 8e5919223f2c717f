/**
 * The Jira configuration endpoints the admin page, the workflow setup and the self-test use:
 * projects, statuses, fields (and creating custom fields with their options), the change
 * workflow, the Forge rules Jira offers on it, and the workflow update. Every response is parsed
 * with zod at the boundary (src/jira/workflow-schemas.ts).
 */
import { z } from 'zod';
import { JiraRejectedError, MalformedResponseError } from '../shared/app-error';
import { createSender, DEFAULT_MAX_RETRY_AFTER_SECONDS } from './jira-client';
import { jiraErrorMessages, readJson } from './responses';
import { endpointOf, jiraPath, type JiraRequest, type JiraResponse, type JiraTransport } from './transport';
import {
  CreatedFieldContextSchema,
  ExpressionAnalysisSchema,
  FieldContextPageSchema,
  FieldDetailsSchema,
  FieldListSchema,
  FieldOptionsSchema,
  ProjectSchema,
  ProjectSearchSchema,
  WorkflowCapabilitiesSchema,
  WorkflowIssueTypeUsageSchema,
  WorkflowProjectUsageSchema,
  WorkflowReadResponseSchema,
  WorkflowUpdateResponseSchema,
  type CreateCustomField,
  type ExpressionAnalysis,
  type FieldDetails,
  type ForgeRuleOffer,
  type JiraWorkflow,
  type JiraWorkflowStatus,
  type ProjectJson,
  type WorkflowUpdateRequest,
} from './workflow-schemas';

export const StatusListSchema = z.array(
  z.looseObject({ id: z.string(), name: z.string(), statusCategory: z.looseObject({ key: z.string() }).nullish() }),
);
export type StatusJson = z.infer<typeof StatusListSchema>[number];


export interface ConfigClient {
  listProjects(): Promise<ProjectJson[]>;
  getProject(projectIdOrKey: string): Promise<ProjectJson | null>;
  listStatuses(): Promise<StatusJson[]>;
  listFields(): Promise<FieldDetails[]>;
  /** The workflow of a project and issue type (null when Jira has none for that pair), with the site's statuses. */
  readWorkflow(projectId: string, issueTypeId: string): Promise<{ workflow: JiraWorkflow; statuses: JiraWorkflowStatus[] } | null>;
  forgeRuleOffers(workflowId: string): Promise<ForgeRuleOffer[]>;
  /** Where the workflow is used: every project, and the issue types in `projectId` (all pages of each). */
  workflowUsage(workflowId: string, projectId: string): Promise<WorkflowUsage>;
  /** Jira's syntax check (which includes its length and node limits) of each expression, in order. */
  analyseExpressions(expressions: readonly string[]): Promise<ExpressionAnalysis[]>;
  updateWorkflow(request: WorkflowUpdateRequest): Promise<JiraWorkflow[]>;
  createCustomField(definition: CreateCustomField): Promise<FieldDetails>;
  /** Ensures the field has a context (creating a global one if not) and returns its id. */
  ensureFieldContext(fieldId: string, name: string): Promise<string>;
  addFieldOptions(fieldId: string, contextId: string, values: readonly string[]): Promise<void>;
  /** The enabled option labels of a select field over its contexts (first page of each: 100 options, 50 contexts). */
  listFieldOptions(fieldId: string): Promise<string[]>;
}

export interface WorkflowUsage {
  projectIds: string[];
  /** The issue types using the workflow in the project asked about. */
  issueTypeIds: string[];
}

export interface ConfigClientOptions {
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

interface UsagePage {
  nextPageToken?: string | null | undefined;
  values: { id: string }[];
}

const PROJECT_PAGE = 50;
/** Options per page, and at most this many pages per field context (10,000 options). */
const OPTION_PAGE = 100;
const OPTION_PAGES_MAX = 100;
/** Usage pages: Jira allows 1–200 per page; a workflow used by more than 20 pages is refused anyway. */
const USAGE_PAGE = 200;
const USAGE_MAX_PAGES = 20;
/** Expressions per analyse request (the document sets no maximum; kept small). */
const ANALYSE_BATCH = 20;

export const createConfigClient = (transport: JiraTransport, options: ConfigClientOptions = {}): ConfigClient => {
  const send = createSender(transport, {
    retries: options.retries ?? 0,
    maxRetryAfterSeconds: DEFAULT_MAX_RETRY_AFTER_SECONDS,
    now: options.now ?? (() => new Date()),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });

  /** 400/409 carry Jira's reasons: surface them instead of a bare status. */
  const sendOrExplain = async (request: JiraRequest): Promise<JiraResponse> => {
    const response = await send(request, [400, 409]);
    if (response.status !== 400 && response.status !== 409) return response;
    let messages: string[] = [];
    try {
      messages = jiraErrorMessages(await response.json());
    } catch {
      // not JSON: no reasons to show
    }
    throw new JiraRejectedError(response.status, endpointOf(request), messages);
  };

  const get = async <S extends z.ZodType>(request: JiraRequest, schema: S) => readJson(await send(request), schema, endpointOf(request));

  return {
    async listProjects() {
      const projects: ProjectJson[] = [];
      for (let startAt = 0; startAt < 1_000; startAt += PROJECT_PAGE) {
        const request: JiraRequest = { method: 'GET', path: jiraPath`/rest/api/3/project/search`, query: { startAt: String(startAt), maxResults: String(PROJECT_PAGE), expand: 'issueTypes' } };
        const page = await get(request, ProjectSearchSchema);
        for (const p of page.values) projects.push(ProjectSchema.parse(p));
        if (page.isLast !== false || page.values.length < PROJECT_PAGE) break;
      }
      return projects;
    },

    async getProject(projectIdOrKey) {
      const request: JiraRequest = { method: 'GET', path: jiraPath`/rest/api/3/project/${projectIdOrKey}`, query: { expand: 'issueTypes' } };
      const response = await send(request, [404]);
      if (response.status === 404) return null;
      return readJson(response, ProjectSchema, endpointOf(request));
    },

    listStatuses: () => get({ method: 'GET', path: jiraPath`/rest/api/3/status` }, StatusListSchema),

    listFields: () => get({ method: 'GET', path: jiraPath`/rest/api/3/field` }, FieldListSchema),

    async readWorkflow(projectId, issueTypeId) {
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/workflows`, body: { projectAndIssueTypes: [{ projectId, issueTypeId }] } };
      const response = await get(request, WorkflowReadResponseSchema);
      const workflow = response.workflows[0];
      return workflow ? { workflow, statuses: response.statuses } : null;
    },

    async forgeRuleOffers(workflowId) {
      const request: JiraRequest = { method: 'GET', path: jiraPath`/rest/api/3/workflows/capabilities`, query: { workflowId } };
      return (await get(request, WorkflowCapabilitiesSchema)).forgeRules;
    },

    async workflowUsage(workflowId, projectId) {
      const pages = async <S extends z.ZodType>(path: string, schema: S, pageOf: (body: z.output<S>) => UsagePage | null | undefined) => {
        const ids: string[] = [];
        let token: string | null = null;
        for (let page = 0; page < USAGE_MAX_PAGES; page++) {
          const request: JiraRequest = { method: 'GET', path, query: { maxResults: String(USAGE_PAGE), ...(token ? { nextPageToken: token } : {}) } };
          const body = pageOf(await get(request, schema));
          ids.push(...(body?.values ?? []).map((v) => v.id));
          const next = body?.nextPageToken ?? null;
          if (!next || next === token) break;
          token = next;
        }
        return [...new Set(ids)];
      };
      const projectIds = await pages(jiraPath`/rest/api/3/workflow/${workflowId}/projectUsages`, WorkflowProjectUsageSchema, (body) => body.projects);
      const issueTypeIds = await pages(jiraPath`/rest/api/3/workflow/${workflowId}/project/${projectId}/issueTypeUsages`, WorkflowIssueTypeUsageSchema, (body) => body.issueTypes);
      return { projectIds, issueTypeIds };
    },

    async analyseExpressions(expressions) {
      const results: ExpressionAnalysis[] = [];
      for (let i = 0; i < expressions.length; i += ANALYSE_BATCH) {
        const batch = expressions.slice(i, i + ANALYSE_BATCH);
        const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/expression/analyse`, query: { check: 'syntax' }, body: { expressions: batch } };
        const answer = await readJson(await sendOrExplain(request), ExpressionAnalysisSchema, endpointOf(request));
        if (answer.results.length !== batch.length) throw new MalformedResponseError(endpointOf(request), [{ path: 'results', problem: `expected ${batch.length} results, got ${answer.results.length}` }]);
        results.push(...answer.results);
      }
      return results;
    },

    async updateWorkflow(body) {
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/workflows/update`, body };
      return readJson(await sendOrExplain(request), WorkflowUpdateResponseSchema, endpointOf(request)).then((r) => r.workflows);
    },

    async createCustomField(definition) {
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/field`, body: definition };
      return readJson(await sendOrExplain(request), FieldDetailsSchema, endpointOf(request));
    },

    async ensureFieldContext(fieldId, name) {
      const existing = await get({ method: 'GET', path: jiraPath`/rest/api/3/field/${fieldId}/context` }, FieldContextPageSchema);
      if (existing.values[0]) return existing.values[0].id;
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/field/${fieldId}/context`, body: { name, issueTypeIds: [], projectIds: [] } };
      return (await readJson(await sendOrExplain(request), CreatedFieldContextSchema, endpointOf(request))).id;
    },

    async listFieldOptions(fieldId) {
      const contexts = await get({ method: 'GET', path: jiraPath`/rest/api/3/field/${fieldId}/context` }, FieldContextPageSchema);
      const labels = new Set<string>();
      for (const context of contexts.values) {
        // Every page of the context's options (Jira pages them; a site may have hundreds).
        for (let startAt = 0, pages = 0; pages < OPTION_PAGES_MAX; pages += 1) {
          const request: JiraRequest = { method: 'GET', path: jiraPath`/rest/api/3/field/${fieldId}/context/${context.id}/option`, query: { startAt: String(startAt), maxResults: String(OPTION_PAGE) } };
          const page = await get(request, FieldOptionsSchema);
          const values = page.values ?? [];
          for (const option of values) if (!option.disabled && option.value.trim()) labels.add(option.value);
          if (page.isLast !== false || values.length === 0) break;
          startAt += values.length;
        }
      }
      return [...labels];
    },

    async addFieldOptions(fieldId, contextId, values) {
      const current = await get({ method: 'GET', path: jiraPath`/rest/api/3/field/${fieldId}/context/${contextId}/option` }, FieldOptionsSchema);
      const have = new Set((current.values ?? []).map((o) => o.value));
      const missing = values.filter((v) => !have.has(v));
      if (!missing.length) return;
      const request: JiraRequest = { method: 'POST', path: jiraPath`/rest/api/3/field/${fieldId}/context/${contextId}/option`, body: { options: missing.map((value) => ({ value, disabled: false })) } };
      await readJson(await sendOrExplain(request), FieldOptionsSchema, endpointOf(request));
    },
  };
};
