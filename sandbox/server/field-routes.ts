/**
 * Custom fields as a Jira admin (or the app) creates them: `POST /field`, its contexts
 * (`GET|POST /field/{fieldId}/context`) and a select list's options
 * (`GET|POST /field/{fieldId}/context/{contextId}/option`). A created field is a site field like
 * any other: listed by `GET /field`, settable on issues and screens, searchable.
 */
import { z } from 'zod';
import { CreateCustomFieldSchema } from '../../src/jira/workflow-schemas';
import { defaultContextName, fieldById, SandboxField, SandboxFieldContext, SandboxState } from '../state/sandbox-state';
import { mayAdminister } from './auth';
import { forbiddenForNonAdmin, jiraError, json, parseWith } from './jira-responses';
import { intParam } from './query-params';
import { route, Route, RouteContext } from './route-table';
import { fieldDetails } from './site-routes';

const TYPE_PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';
const SEARCHER_PREFIX = TYPE_PREFIX;

/** The custom field types the sandbox can hold: their REST schema and the searcher Jira pairs them with. */
export const CUSTOM_FIELD_TYPES: Record<string, { schema: Pick<SandboxField['schema'], 'type' | 'items'>; searcher: string }> = {
  select: { schema: { type: 'option' }, searcher: 'multiselectsearcher' },
  textfield: { schema: { type: 'string' }, searcher: 'textsearcher' },
  textarea: { schema: { type: 'string' }, searcher: 'textsearcher' },
  userpicker: { schema: { type: 'user' }, searcher: 'userpickergroupsearcher' },
  labels: { schema: { type: 'array', items: 'string' }, searcher: 'labelsearcher' },
  datetime: { schema: { type: 'datetime' }, searcher: 'datetimerange' },
};

export const CUSTOM_FIELD_NOT_FOUND = 'The custom field was not found.';
export const CONTEXT_NOT_FOUND = 'The context was not found.';

const customField = (state: SandboxState, fieldId: string): SandboxField | undefined => {
  const field = fieldById(state, fieldId);
  return field?.custom ? field : undefined;
};

const createField = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('create custom fields');
  const parsed = parseWith(CreateCustomFieldSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { name, type, searcherKey, description } = parsed.value;
  const short = type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : null;
  const known = short ? CUSTOM_FIELD_TYPES[short] : undefined;
  if (!known) {
    return jiraError(400, [], { type: `The custom field type '${type}' is not supported here. Use one of: ${Object.keys(CUSTOM_FIELD_TYPES).map((t) => TYPE_PREFIX + t).join(', ')}.` });
  }
  if (searcherKey !== undefined && searcherKey !== SEARCHER_PREFIX + known.searcher) {
    return jiraError(400, [], { searcherKey: `The searcher '${searcherKey}' does not fit the field type ${type}; use ${SEARCHER_PREFIX + known.searcher}.` });
  }
  const { state, log } = ctx.deps;
  const customId = state.counters.field++;
  const field: SandboxField = {
    id: `customfield_${customId}`,
    key: `customfield_${customId}`,
    name: name.trim(),
    custom: true,
    schema: { ...known.schema, custom: type, customId },
  };
  state.fields.push(field);
  // Jira creates a global context with every new custom field.
  state.fieldContexts[field.id] = [{ id: String(state.counters.context++), name: defaultContextName(field.name), description: description ?? '', projectIds: [], issueTypeIds: [], options: [] }];
  log('sandbox-fields', { event: 'field-created', fieldId: field.id, type: short, accountId: ctx.caller.user.accountId });
  return json(201, fieldDetails(field));
};

const contextJson = (context: SandboxFieldContext) => ({
  id: context.id,
  name: context.name,
  description: context.description,
  isGlobalContext: context.projectIds.length === 0,
  isAnyIssueType: context.issueTypeIds.length === 0,
});

/** `startAt` / `maxResults` paging of a list into a PageBean. */
const page = <T>(ctx: RouteContext, all: T[]) => {
  const startAt = intParam(ctx.request.query, 'startAt', 0);
  if (!startAt.ok) return startAt.response;
  const maxResults = intParam(ctx.request.query, 'maxResults', 100, { min: 1, max: 1000 });
  if (!maxResults.ok) return maxResults.response;
  const values = all.slice(startAt.value, startAt.value + maxResults.value);
  return json(200, { maxResults: maxResults.value, startAt: startAt.value, total: all.length, isLast: startAt.value + values.length >= all.length, values });
};

const getContexts = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('see custom field contexts');
  const { state } = ctx.deps;
  const field = customField(state, ctx.params.fieldId!);
  if (!field) return jiraError(404, [CUSTOM_FIELD_NOT_FOUND]);
  const { isGlobalContext, isAnyIssueType, contextId } = ctx.request.query;
  const wanted = contextId ? contextId.split(',') : null;
  const contexts = (state.fieldContexts[field.id] ?? [])
    .map(contextJson)
    .filter((c) => (isGlobalContext === undefined || String(c.isGlobalContext) === isGlobalContext) && (isAnyIssueType === undefined || String(c.isAnyIssueType) === isAnyIssueType))
    .filter((c) => !wanted || wanted.includes(c.id));
  return page(ctx, contexts);
};

const CreateContextSchema = z.object({
  name: z.string().trim().min(1, 'The context name is required.').max(255),
  description: z.string().max(255).optional(),
  projectIds: z.array(z.string()).optional(),
  issueTypeIds: z.array(z.string()).optional(),
});

const createContext = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('create custom field contexts');
  const { state, log } = ctx.deps;
  const field = customField(state, ctx.params.fieldId!);
  if (!field) return jiraError(404, [CUSTOM_FIELD_NOT_FOUND]);
  const parsed = parseWith(CreateContextSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { name, description = '', projectIds = [], issueTypeIds = [] } = parsed.value;
  const errors: Record<string, string> = {};
  const badProject = projectIds.find((id) => id !== state.project.id);
  if (badProject) errors.projectIds = `Project ${badProject} does not exist.`;
  const badType = issueTypeIds.find((id) => id !== state.issueType.id);
  if (badType) errors.issueTypeIds = `Issue type ${badType} does not exist.`;
  if (Object.keys(errors).length) return jiraError(400, [], errors);
  const contexts = (state.fieldContexts[field.id] ??= []);
  if (projectIds.length === 0 && contexts.some((c) => c.projectIds.length === 0)) return jiraError(409, ['The field already has a global context.']);
  const context: SandboxFieldContext = { id: String(state.counters.context++), name, description, projectIds: [...projectIds], issueTypeIds: [...issueTypeIds], options: [] };
  contexts.push(context);
  log('sandbox-fields', { event: 'context-created', fieldId: field.id, contextId: context.id });
  return json(201, { id: context.id, name, description, projectIds: [...projectIds], issueTypeIds: [...issueTypeIds] });
};

/** The field and context of an option request, or the error Jira answers. */
const contextOf = (ctx: RouteContext): { ok: true; context: SandboxFieldContext } | { ok: false; response: ReturnType<typeof jiraError> } => {
  const { state } = ctx.deps;
  const field = customField(state, ctx.params.fieldId!);
  if (!field) return { ok: false, response: jiraError(404, [CUSTOM_FIELD_NOT_FOUND]) };
  const context = (state.fieldContexts[field.id] ?? []).find((c) => c.id === ctx.params.contextId);
  if (!context) return { ok: false, response: jiraError(404, [CONTEXT_NOT_FOUND]) };
  if (field.schema.type !== 'option') return { ok: false, response: jiraError(400, [`The custom field ${field.name} does not support options.`]) };
  return { ok: true, context };
};

const getOptions = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('see custom field options');
  const found = contextOf(ctx);
  if (!found.ok) return found.response;
  const wanted = ctx.request.query.optionId;
  return page(
    ctx,
    found.context.options.filter((o) => !wanted || o.id === wanted).map((o) => ({ id: o.id, value: o.value, disabled: o.disabled })),
  );
};

const CreateOptionsSchema = z.object({
  options: z
    .array(z.object({ value: z.string().trim().min(1, 'An option needs a value.').max(255), disabled: z.boolean().optional(), optionId: z.string().optional() }))
    .min(1, 'Send at least one option.')
    .max(1000),
});

const createOptions = (ctx: RouteContext) => {
  if (!mayAdminister(ctx.caller)) return forbiddenForNonAdmin('create custom field options');
  const found = contextOf(ctx);
  if (!found.ok) return found.response;
  const parsed = parseWith(CreateOptionsSchema, ctx.request.body);
  if (!parsed.ok) return parsed.response;
  const { state, log } = ctx.deps;
  const context = found.context;
  const errors: Record<string, string> = {};
  const seen = new Set(context.options.map((o) => o.value.toLowerCase()));
  parsed.value.options.forEach((option, i) => {
    if (option.optionId !== undefined) errors[`options.${i}.optionId`] = 'Cascading options are not supported by this field.';
    if (seen.has(option.value.toLowerCase())) errors[`options.${i}.value`] = `The option '${option.value}' already exists in this context.`;
    seen.add(option.value.toLowerCase());
  });
  if (Object.keys(errors).length) return jiraError(400, [], errors);
  const created = parsed.value.options.map((option) => ({ id: String(state.counters.option++), value: option.value, disabled: option.disabled ?? false }));
  context.options.push(...created);
  log('sandbox-fields', { event: 'options-created', fieldId: ctx.params.fieldId!, contextId: context.id, count: created.length });
  return json(200, { options: created.map((o) => ({ ...o })) });
};

export const fieldRoutes = (): Route[] => [
  route('POST', '/rest/api/3/field', createField),
  route('GET', '/rest/api/3/field/{fieldId}/context', getContexts),
  route('POST', '/rest/api/3/field/{fieldId}/context', createContext),
  route('GET', '/rest/api/3/field/{fieldId}/context/{contextId}/option', getOptions),
  route('POST', '/rest/api/3/field/{fieldId}/context/{contextId}/option', createOptions),
];
