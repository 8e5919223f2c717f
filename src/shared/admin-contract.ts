// Contract between the admin resolver (src/forge/admin-resolver.ts) and the admin page
// (static/admin-page). Imports only zod and pure domain modules, so the Custom UI bundle can use it.
import { z } from 'zod';
import { EdgeIdSchema } from '../domain/lifecycle';
import { FieldKeySchema } from '../domain/change-model';
import { StateSchema } from '../domain/states';

export const ADMIN_ERROR_CODES = {
  forbidden: 'FORBIDDEN',
  unlicensed: 'UNLICENSED',
  invalidPayload: 'INVALID_PAYLOAD',
  invalidPolicy: 'INVALID_POLICY',
  conflict: 'POLICY_CONFLICT',
  corrupted: 'POLICY_CORRUPTED',
  planOutdated: 'PLAN_OUTDATED',
  notReady: 'SETUP_NOT_READY',
  rulesRejected: 'RULES_REJECTED',
  exportNotFound: 'EXPORT_NOT_FOUND',
  exportRunning: 'EXPORT_RUNNING',
  internal: 'INTERNAL',
} as const;

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldErrorSchema>;

/**
 * A resolver's error: `fieldErrors` only for INVALID_POLICY (and a corrupted stored policy);
 * `details` lists what Jira refused, one line each (RULES_REJECTED: the rules its analyser rejected).
 */
export const AdminErrorSchema = z.object({ code: z.string(), message: z.string(), fieldErrors: z.array(FieldErrorSchema).optional(), details: z.array(z.string()).optional() });
export type AdminError = z.infer<typeof AdminErrorSchema>;
export type AdminResult<T> = { ok: true; data: T } | { ok: false; error: AdminError };

export const PersonSchema = z.object({ accountId: z.string(), displayName: z.string().nullable() });

/** One saved policy version, newest first in `history`. `changes` are the dotted paths that changed. */
export const PolicyRevisionSchema = z.object({
  version: z.number().int().positive(),
  updatedBy: PersonSchema.nullable(),
  updatedAt: z.string(),
  changes: z.array(z.string()),
  reason: z.string().nullable(),
});
export type PolicyRevision = z.infer<typeof PolicyRevisionSchema>;

/** The stored policy as the page sees it. `policy` is the parsed policy as JSON (PolicyInput). */
export const PolicyViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('default'), version: z.literal(0), policy: z.record(z.string(), z.unknown()) }),
  z.object({ state: z.literal('saved'), version: z.number().int().positive(), policy: z.record(z.string(), z.unknown()), updatedBy: PersonSchema.nullable(), updatedAt: z.string().nullable() }),
  z.object({ state: z.literal('corrupted'), errors: z.array(FieldErrorSchema) }),
]);
export type PolicyView = z.infer<typeof PolicyViewSchema>;

/** The option labels of each mapped choice field on the site, for the option mapping (issue 16). */
export const SiteOptionsSchema = z.object({
  fields: z.array(
    z.object({
      field: z.enum(['changeType', 'risk', 'verificationResult']),
      fieldId: z.string(),
      labels: z.array(z.string()),
      /** Why the labels could not be read (the field is not a select list, say); null when read. */
      problem: z.string().nullable(),
    }),
  ),
});
export type SiteOptions = z.infer<typeof SiteOptionsSchema>;

/** What the project's evidence page needs (compliance leads who are not Jira admins): the licence and the policy's scope. */
export const ExportContextSchema = z.object({
  licensed: z.boolean(),
  scope: z.object({ projectId: z.string(), projectKey: z.string(), issueTypeId: z.string(), issueTypeName: z.string() }).nullable(),
  /** The group whose members may export besides Jira admins; null when only admins may. */
  exportersGroup: z.string().nullable(),
});
export type ExportContext = z.infer<typeof ExportContextSchema>;

export const SiteFieldSchema = z.object({
  id: z.string(),
  name: z.string(),
  custom: z.boolean(),
  /** The Jira field type in words (e.g. "select list", "user picker"). */
  typeLabel: z.string(),
  /** The CC8.1 fields this Jira field can hold (by its type). */
  suitableFor: z.array(FieldKeySchema),
  /** Why it cannot hold a CC8.1 field it looks meant for (by its name), in words: "a group picker … must be one person". */
  unsuitableWhy: z.partialRecord(FieldKeySchema, z.string()).default({}),
});
export type SiteField = z.infer<typeof SiteFieldSchema>;

export const SiteStatusSchema = z.object({ id: z.string(), name: z.string(), category: z.string() });
export const SiteProjectSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  companyManaged: z.boolean(),
  issueTypes: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type SiteProject = z.infer<typeof SiteProjectSchema>;

export const RULE_SLOTS = ['condition', 'validator', 'history-gate', 'evidence-recorder'] as const;
export const RuleSlotSchema = z.enum(RULE_SLOTS);
export type RuleSlot = z.infer<typeof RuleSlotSchema>;

/** One app rule on one transition in the dry-run diff. */
export const RuleChangeSchema = z.object({
  action: z.enum(['add', 'update', 'remove', 'keep']),
  slot: RuleSlotSchema,
  part: z.number().int().positive(),
  parts: z.number().int().positive(),
  checks: z.array(z.string()),
  /** Why an update or removal is needed, in plain words ("compiled for policy v3; the policy is now v5"). */
  reason: z.string().nullable(),
});
export type RuleChange = z.infer<typeof RuleChangeSchema>;

export const TransitionPlanSchema = z.object({
  transitionId: z.string(),
  transitionName: z.string(),
  from: z.array(StateSchema),
  to: StateSchema.nullable(),
  edges: z.array(EdgeIdSchema),
  changes: z.array(RuleChangeSchema),
});
export type TransitionPlan = z.infer<typeof TransitionPlanSchema>;

export const SetupProblemSchema = z.object({ code: z.string(), message: z.string(), transitionId: z.string().nullable() });
export type SetupProblem = z.infer<typeof SetupProblemSchema>;

/** The dry run: what `applyWorkflowSetup` would change. `upToDate` when nothing. */
export const WorkflowPlanViewSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('ready'),
    workflow: z.object({ id: z.string(), name: z.string(), versionId: z.string(), versionNumber: z.number().int() }),
    policyVersion: z.number().int().nonnegative(),
    transitions: z.array(TransitionPlanSchema),
    problems: z.array(SetupProblemSchema),
    /** Transitions whose app rules would be added, updated or removed. */
    changedTransitions: z.number().int().nonnegative(),
    upToDate: z.boolean(),
  }),
  z.object({ state: z.literal('unavailable'), code: z.string(), message: z.string() }),
]);
export type WorkflowPlanView = z.infer<typeof WorkflowPlanViewSchema>;

/** Self-test check ids: the one place they are spelled. */
export const SELF_TEST_CHECKS = [
  'licensed',
  'policy-readable',
  'scope-set',
  'company-managed',
  'statuses-exist',
  'fields-exist',
  'workflow-found',
  'workflow-dedicated',
  'rules-offered',
  'lifecycle-transitions',
  'rules-current',
  'no-bypass',
  'expression-failures',
  'evidence-log',
  'evidence-recording',
] as const;
export const SelfTestCheckIdSchema = z.enum(SELF_TEST_CHECKS);
export type SelfTestCheckId = z.infer<typeof SelfTestCheckIdSchema>;

export const SelfTestCheckSchema = z.object({
  id: SelfTestCheckIdSchema,
  status: z.enum(['pass', 'warn', 'fail', 'skipped']),
  title: z.string(),
  /** What was found, in plain words (each problem on its own line). */
  details: z.array(z.string()),
  /** How to fix it; null when it passed. */
  fix: z.string().nullable(),
});
export type SelfTestCheck = z.infer<typeof SelfTestCheckSchema>;

export const SelfTestReportSchema = z.object({
  ranAt: z.string(),
  trigger: z.enum(['manual', 'scheduled']),
  ok: z.boolean(),
  checks: z.array(SelfTestCheckSchema),
  restCalls: z.number().int().nonnegative(),
});
export type SelfTestReport = z.infer<typeof SelfTestReportSchema>;

/** `getAdminState` result: everything the page shows. */
export const AdminStateSchema = z.object({
  licensed: z.boolean(),
  policy: PolicyViewSchema,
  history: z.array(PolicyRevisionSchema),
  site: z.object({
    projects: z.array(SiteProjectSchema),
    statuses: z.array(SiteStatusSchema),
    fields: z.array(SiteFieldSchema),
  }),
  setup: WorkflowPlanViewSchema,
  selfTest: SelfTestReportSchema.nullable(),
});
export type AdminState = z.infer<typeof AdminStateSchema>;

/** `savePolicy`: the full policy as edited, against the version the page loaded. */
export const SavePolicyPayloadSchema = z.object({
  policy: z.record(z.string(), z.unknown()),
  baseVersion: z.number().int().nonnegative(),
  /** Required to overwrite a stored policy that is corrupted (the old value is archived first). */
  replaceCorrupted: z.boolean().optional(),
  reason: z.string().trim().max(500).optional(),
});
export type SavePolicyPayload = z.infer<typeof SavePolicyPayloadSchema>;

/** `createRecommendedFields`: creates the unmapped CC8.1 fields and saves the mapping as a new version. */
export const CreateFieldsPayloadSchema = z.object({ baseVersion: z.number().int().nonnegative() });
export const CreateFieldsResultSchema = z.object({
  created: z.array(z.object({ key: FieldKeySchema, fieldId: z.string(), name: z.string() })),
  state: AdminStateSchema,
});
export type CreateFieldsResult = z.infer<typeof CreateFieldsResultSchema>;

/** `applyWorkflowSetup`: applies the dry run the admin saw, identified by its versions. */
export const ApplySetupPayloadSchema = z.object({ workflowVersionId: z.string().min(1), policyVersion: z.number().int().nonnegative() });
export type ApplySetupPayload = z.infer<typeof ApplySetupPayloadSchema>;
export const ApplySetupResultSchema = z.object({ updatedTransitions: z.number().int().nonnegative(), state: AdminStateSchema });
export type ApplySetupResult = z.infer<typeof ApplySetupResultSchema>;

export const RunSelfTestResultSchema = z.object({ report: SelfTestReportSchema });

/**
 * A pipeline allowed to call the deployment gate (issue 19). Its secret is shown once, when created
 * or rotated; the app keeps only its SHA-256.
 */
export const PipelineViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** The Jira admin who added it, with their name as Jira gave it then. */
  createdBy: PersonSchema.nullable(),
  /** When the secret was last set (created or rotated). */
  secretSetAt: z.string(),
  /** The secret's first 4 characters, to tell secrets apart (never enough to use one). */
  secretHint: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type PipelineView = z.infer<typeof PipelineViewSchema>;

export const PipelinesStateSchema = z.object({
  pipelines: z.array(PipelineViewSchema),
  /** The gate's URL on this installation (`webTrigger.getUrl`); null where it cannot be read (the sandbox gives its own). */
  gateUrl: z.string().nullable(),
});
export type PipelinesState = z.infer<typeof PipelinesStateSchema>;

export const CreatePipelinePayloadSchema = z.object({ name: z.string().trim().min(1, 'Name the pipeline').max(80, 'At most 80 characters') });
export const PipelineIdPayloadSchema = z.object({ pipelineId: z.string().regex(/^[0-9a-f]{16}$/, 'not a pipeline id') });

/** `createPipeline` and `rotatePipelineSecret`: the token to give the pipeline, shown this once. */
export const PipelineSecretResultSchema = z.object({ pipeline: PipelineViewSchema, token: z.string(), state: PipelinesStateSchema });
export type PipelineSecretResult = z.infer<typeof PipelineSecretResultSchema>;
