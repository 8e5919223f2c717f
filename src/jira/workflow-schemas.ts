/**
 * Zod schemas for the Jira REST v3 configuration endpoints the admin page and the self-test use,
 * from Atlassian's OpenAPI document: `POST /rest/api/3/workflows` (JiraWorkflow,
 * WorkflowTransitions, WorkflowRuleConfiguration), `POST /rest/api/3/workflows/update`
 * (WorkflowUpdateRequest), `GET /rest/api/3/workflows/capabilities` (AvailableWorkflowForgeRule),
 * `GET /rest/api/3/project/{key}` (Project.style), `GET /rest/api/3/field`, `POST /rest/api/3/field`.
 * Objects are loose where Jira adds properties; rule parameters are string maps (Forge rules keep
 * their config as a JSON string in `parameters.config`).
 */
import { z } from 'zod';

/** Rule keys of Forge workflow rules in the workflows API. */
export const FORGE_RULE_KEYS = {
  condition: 'forge:expression-condition',
  validator: 'forge:expression-validator',
  postFunction: 'forge:workflow-post-function',
} as const;

export const WorkflowRuleSchema = z.looseObject({
  id: z.string().nullish(),
  ruleKey: z.string(),
  parameters: z.record(z.string(), z.string()).nullish(),
});
export type WorkflowRule = z.infer<typeof WorkflowRuleSchema>;

export interface ConditionGroup {
  operation?: 'ANY' | 'ALL' | undefined;
  conditions?: WorkflowRule[] | null | undefined;
  conditionGroups?: ConditionGroup[] | null | undefined;
}
export const ConditionGroupSchema: z.ZodType<ConditionGroup> = z.lazy(() =>
  z.object({
    operation: z.enum(['ANY', 'ALL']).optional(),
    conditions: z.array(WorkflowRuleSchema).nullish(),
    conditionGroups: z.array(ConditionGroupSchema).nullish(),
  }),
);

export const TransitionLinkSchema = z.looseObject({
  fromStatusReference: z.string().nullish(),
  fromPort: z.number().nullish(),
  toPort: z.number().nullish(),
});

export const WorkflowTransitionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  type: z.enum(['INITIAL', 'GLOBAL', 'DIRECTED']),
  toStatusReference: z.string(),
  links: z.array(TransitionLinkSchema).nullish(),
  conditions: ConditionGroupSchema.nullish(),
  validators: z.array(WorkflowRuleSchema).nullish(),
  actions: z.array(WorkflowRuleSchema).nullish(),
  properties: z.record(z.string(), z.string()).nullish(),
  triggers: z.array(z.unknown()).nullish(),
  transitionScreen: WorkflowRuleSchema.nullish(),
  customIssueEventId: z.string().nullish(),
});
export type WorkflowTransition = z.infer<typeof WorkflowTransitionSchema>;

export const WorkflowStatusRefSchema = z.looseObject({
  statusReference: z.string(),
  properties: z.record(z.string(), z.string()).nullish(),
  layout: z.unknown().optional(),
  deprecated: z.boolean().nullish(),
});

export const DocumentVersionSchema = z.object({ id: z.string(), versionNumber: z.number().int() });

export const JiraWorkflowSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  scope: z.looseObject({ type: z.enum(['PROJECT', 'GLOBAL']) }).nullish(),
  isEditable: z.boolean().nullish(),
  statuses: z.array(WorkflowStatusRefSchema),
  transitions: z.array(WorkflowTransitionSchema),
  version: DocumentVersionSchema,
});
export type JiraWorkflow = z.infer<typeof JiraWorkflowSchema>;

export const JiraWorkflowStatusSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusReference: z.string(),
  statusCategory: z.enum(['TODO', 'IN_PROGRESS', 'DONE']),
  description: z.string().nullish(),
});
export type JiraWorkflowStatus = z.infer<typeof JiraWorkflowStatusSchema>;

/** `POST /rest/api/3/workflows` request and response. */
export const WorkflowReadRequestSchema = z.object({
  projectAndIssueTypes: z.array(z.object({ projectId: z.string(), issueTypeId: z.string() })).optional(),
  workflowIds: z.array(z.string()).optional(),
  workflowNames: z.array(z.string()).optional(),
});
export type WorkflowReadRequest = z.infer<typeof WorkflowReadRequestSchema>;
export const WorkflowReadResponseSchema = z.looseObject({
  statuses: z.array(JiraWorkflowStatusSchema).default([]),
  workflows: z.array(JiraWorkflowSchema).default([]),
});
export type WorkflowReadResponse = z.infer<typeof WorkflowReadResponseSchema>;

/**
 * `POST /rest/api/3/workflows/update` request (every transition is sent: the update replaces them).
 * The OpenAPI document requires `id`, `statuses`, `transitions` and `version` per workflow, and
 * `name`, `statusCategory` and `statusReference` per top-level status; Jira resolves the workflow's
 * status references against the top-level `statuses`, so the request always carries both.
 */
export const WorkflowUpdateSchema = z.looseObject({
  id: z.string(),
  description: z.string().optional(),
  version: DocumentVersionSchema,
  statuses: z.array(z.object({ statusReference: z.string(), properties: z.record(z.string(), z.string()) }).loose()),
  transitions: z.array(WorkflowTransitionSchema),
});
export const WorkflowStatusUpdateSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  statusReference: z.string().min(1),
  statusCategory: z.enum(['TODO', 'IN_PROGRESS', 'DONE']),
  description: z.string().optional(),
});
export type WorkflowStatusUpdate = z.infer<typeof WorkflowStatusUpdateSchema>;
export const WorkflowUpdateRequestSchema = z.object({
  statuses: z.array(WorkflowStatusUpdateSchema).max(1000),
  workflows: z.array(WorkflowUpdateSchema).min(1).max(20),
});
export type WorkflowUpdateRequest = z.infer<typeof WorkflowUpdateRequestSchema>;
export const WorkflowUpdateResponseSchema = z.looseObject({
  workflows: z.array(JiraWorkflowSchema).default([]),
  taskId: z.string().nullish(),
});

/** `GET /rest/api/3/workflow/{workflowId}/projectUsages` (WorkflowProjectUsageDTO), one page. */
export const WorkflowProjectUsageSchema = z.looseObject({
  workflowId: z.string().nullish(),
  projects: z.looseObject({ nextPageToken: z.string().nullish(), values: z.array(z.looseObject({ id: z.string() })).default([]) }).nullish(),
});
/** `GET /rest/api/3/workflow/{workflowId}/project/{projectId}/issueTypeUsages` (WorkflowProjectIssueTypeUsageDTO), one page. */
export const WorkflowIssueTypeUsageSchema = z.looseObject({
  workflowId: z.string().nullish(),
  projectId: z.string().nullish(),
  issueTypes: z.looseObject({ nextPageToken: z.string().nullish(), values: z.array(z.looseObject({ id: z.string() })).default([]) }).nullish(),
});

/** `POST /rest/api/3/expression/analyse` response (JiraExpressionsAnalysis). */
export const ExpressionAnalysisSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      expression: z.string(),
      valid: z.boolean(),
      errors: z.array(z.looseObject({ message: z.string(), type: z.string().nullish(), line: z.number().nullish(), column: z.number().nullish() })).nullish(),
    }),
  ),
});
export type ExpressionAnalysis = z.infer<typeof ExpressionAnalysisSchema>['results'][number];

/** `GET /rest/api/3/workflows/capabilities`: the Forge rules Jira offers on this workflow. */
export const ForgeRuleOfferSchema = z.looseObject({
  id: z.string(),
  ruleKey: z.string(),
  ruleType: z.enum(['Condition', 'Validator', 'Function', 'Screen']).nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
});
export type ForgeRuleOffer = z.infer<typeof ForgeRuleOfferSchema>;
export const WorkflowCapabilitiesSchema = z.looseObject({
  editorScope: z.enum(['PROJECT', 'GLOBAL']).nullish(),
  forgeRules: z.array(ForgeRuleOfferSchema).default([]),
});

/** The part of `GET /rest/api/3/project/{key}` the admin page and self-test use. */
export const ProjectSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  style: z.enum(['classic', 'next-gen']).nullish(),
  simplified: z.boolean().nullish(),
  issueTypes: z.array(z.looseObject({ id: z.string(), name: z.string(), subtask: z.boolean().nullish() })).default([]),
});
export type ProjectJson = z.infer<typeof ProjectSchema>;

/** `GET /rest/api/3/project/search` (one page). */
export const ProjectSearchSchema = z.looseObject({
  values: z.array(ProjectSchema.omit({ issueTypes: true }).extend({ issueTypes: z.array(z.unknown()).optional() })).default([]),
  isLast: z.boolean().nullish(),
});

/** `GET /rest/api/3/field` entries (FieldDetails). */
export const FieldDetailsSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  custom: z.boolean().nullish(),
  schema: z
    .looseObject({ type: z.string(), items: z.string().nullish(), custom: z.string().nullish(), system: z.string().nullish(), customId: z.number().nullish() })
    .nullish(),
});
export type FieldDetails = z.infer<typeof FieldDetailsSchema>;
export const FieldListSchema = z.array(FieldDetailsSchema);

/** `POST /rest/api/3/field` request (CustomFieldDefinitionJsonBean). */
export const CreateCustomFieldSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  type: z.string(),
  searcherKey: z.string().optional(),
});
export type CreateCustomField = z.infer<typeof CreateCustomFieldSchema>;

/** `GET /rest/api/3/field/{fieldId}/context` (PageBeanCustomFieldContext). */
export const FieldContextPageSchema = z.looseObject({
  values: z.array(z.looseObject({ id: z.string(), name: z.string().nullish(), isGlobalContext: z.boolean().nullish() })).default([]),
});
/** `POST /rest/api/3/field/{fieldId}/context` response (CreateCustomFieldContext). */
export const CreatedFieldContextSchema = z.looseObject({ id: z.string() });
/** `GET|POST /rest/api/3/field/{fieldId}/context/{contextId}/option`. */
export const FieldOptionsSchema = z.looseObject({
  isLast: z.boolean().nullish(),
  values: z.array(z.looseObject({ id: z.string(), value: z.string(), disabled: z.boolean().nullish() })).optional(),
  options: z.array(z.looseObject({ id: z.string(), value: z.string(), disabled: z.boolean().nullish() })).optional(),
});
