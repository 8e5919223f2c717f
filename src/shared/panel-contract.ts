import { z } from 'zod';
import { EdgeIdSchema, FindingCodeSchema, RoleSchema, StateSchema } from '../domain';

/** One of the four segregation roles: who the field names, who actually acted on the matching step. */
export const PanelPersonSchema = z.object({
  accountId: z.string(),
  displayName: z.string(),
  /** Deleted or deactivated users are shown, marked. */
  active: z.boolean(),
});
export type PanelPerson = z.infer<typeof PanelPersonSchema>;

export const PanelRoleSchema = z.object({
  role: RoleSchema,
  named: PanelPersonSchema.nullable(),
  /** Everyone a multi-user picker names (any of them counts); empty for one person or a group. */
  namedAnyOf: z.array(PanelPersonSchema).default([]),
  /** The group a group picker names (any member counts); null otherwise. */
  namedGroup: z.string().nullable().default(null),
  /** Who put the named person in the field (the changelog, or the issue's creator); null when unknown or nobody is named. */
  namedBy: PanelPersonSchema.nullable(),
  /** Who took the step that belongs to this role (approve, implement, close); null if not yet taken. */
  acted: PanelPersonSchema.nullable(),
  actedAt: z.string().nullable(),
});

/** A pair that must differ: approver ≠ implementer, verifier ≠ implementer, approver ≠ verifier (three people). */
export const PanelPairSchema = z.object({
  pair: z.enum(['approver-implementer', 'verifier-implementer', 'approver-verifier']),
  /** `warning`: not decided yet, but heading for a conflict (the named approver is also the implementer). */
  verdict: z.enum(['ok', 'conflict', 'pending', 'relaxed', 'warning']),
  /** Plain words, e.g. "Approved by the implementer". */
  message: z.string(),
});

export const PanelReadinessSchema = z.object({
  edge: EdgeIdSchema,
  name: z.string(),
  to: StateSchema,
  /** Whether the viewing user could take this step now, and what is missing or who may. */
  allowed: z.boolean(),
  missing: z.array(z.string()),
  reasons: z.array(z.string()),
  /**
   * What the button would do for this viewer: `can` take it now; `needs` fields filled first;
   * `blocked` by the ticket (outside the window, no CAB reference); `not-you` (someone else must);
   * `done` (the post-hoc approval it would record is already recorded).
   */
  status: z.enum(['can', 'needs', 'blocked', 'not-you', 'done']).default('blocked'),
});

export const PanelClockSchema = z.object({
  status: z.enum(['not-needed', 'pending', 'warning', 'overdue', 'satisfied-on-time', 'satisfied-late']),
  implementedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approver: PanelPersonSchema.nullable(),
});

export const PanelTimelineEntrySchema = z.object({
  /** `edit`: a material field edited before (or on the screen of) the approval; `material-change`: after it. */
  kind: z.enum(['transition', 'post-hoc-approval', 'material-change', 'edit']),
  at: z.string(),
  actor: PanelPersonSchema.nullable(),
  text: z.string(),
  afterApproval: z.boolean(),
});

export const PanelFindingSchema = z.object({
  code: FindingCodeSchema,
  severity: z.enum(['exception', 'notice']),
  message: z.string(),
  fix: z.string(),
  at: z.string().nullable(),
  /** Before the policy's cut-over: a notice, not an exception (issue 16). */
  beforeEnforcement: z.boolean().optional(),
});

/** A step the app could not write to its evidence log yet (a 429 or 500): retried through a queue, or lost after the retries. */
export const PanelUnrecordedSchema = z.object({
  /** The step's name ("Approve"), null when unknown. */
  step: z.string().nullable(),
  at: z.string().nullable(),
  state: z.enum(['retrying', 'lost', 'unreadable']),
  attempts: z.number().int().nonnegative(),
});
export type PanelUnrecorded = z.infer<typeof PanelUnrecordedSchema>;

/** The change's recurring maintenance window: what the app read, and its next occurrences (or why it cannot be read). */
export const PanelRecurringWindowSchema = z.object({
  text: z.string(),
  description: z.string().nullable(),
  problem: z.string().nullable(),
  next: z.array(z.object({ start: z.string(), end: z.string() })),
});

/** One deployment gate call that judged this change (issue 19), newest first. */
export const PanelDeploymentSchema = z.object({
  at: z.string(),
  environment: z.string(),
  /** The commit, as the pipeline sent it (7 to 64 hex digits); null when it sent none. */
  sha: z.string().nullable(),
  /** The pipeline's name for who deployed, and the Jira person when the pipeline gave an account id. */
  deployer: z.string(),
  deployerPerson: PanelPersonSchema.nullable(),
  pipelineName: z.string(),
  decision: z.enum(['allow', 'deny']),
  /** `emergency`: let through before approval (the post-hoc clock runs). */
  path: z.enum(['approved', 'emergency', 'refused']),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  notices: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type PanelDeployment = z.infer<typeof PanelDeploymentSchema>;

export const PanelViewSchema = z.object({
  issueKey: z.string(),
  state: StateSchema,
  changeType: z.string().nullable(),
  risk: z.string().nullable(),
  roles: z.array(PanelRoleSchema),
  pairs: z.array(PanelPairSchema),
  readiness: z.array(PanelReadinessSchema),
  clock: PanelClockSchema,
  timeline: z.array(PanelTimelineEntrySchema),
  findings: z.array(PanelFindingSchema),
  /** Null when the change has no recurring window (or a fixed window overrides it). */
  recurringWindow: PanelRecurringWindowSchema.nullable(),
  /** Steps missing from the app's evidence log because writing them failed; empty when all were recorded. */
  unrecorded: z.array(PanelUnrecordedSchema),
  /** The deployment gate's calls for this change, newest first (at most 50); `deploymentsAltered`: records that fail their hash. */
  deployments: z.array(PanelDeploymentSchema).default([]),
  deploymentsAltered: z.number().int().nonnegative().default(0),
  /** ISO time the view was computed (server clock). */
  generatedAt: z.string(),
  /** Who is looking (from the Forge context), when the ticket names them; the printable page says who exported it. */
  viewer: PanelPersonSchema.nullable().default(null),
  policyVersion: z.number(),
});
export type PanelView = z.infer<typeof PanelViewSchema>;

/** What the panel resolver answers: a view, or a friendly state instead of data. */
export const PanelResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), view: PanelViewSchema }),
  z.object({ status: z.literal('not-a-change'), message: z.string() }),
  z.object({ status: z.literal('not-configured'), message: z.string(), missing: z.array(z.string()) }),
]);
export type PanelResponse = z.infer<typeof PanelResponseSchema>;
