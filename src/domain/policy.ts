import { z } from 'zod';
import { canHold, FIELD_DEFS, FIELD_KEYS, FieldKey, FieldKeySchema, fieldLabel, JIRA_FIELD_TYPES, JiraFieldType } from './change-model';
import { EdgeIdSchema } from './lifecycle';
import { CHANGE_TYPES, RiskSchema, STATES } from './states';

const JIRA_FIELD_ID = /^(customfield_\d+|[a-zA-Z][a-zA-Z0-9_]*)$/;
const JiraFieldIdSchema = z.string().trim().regex(JIRA_FIELD_ID, 'Use a Jira field id such as customfield_10042 or summary');
const JiraStatusIdSchema = z.string().trim().regex(/^\d+$/, 'Use a Jira status id (digits), not a status name');
const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 09:00');

export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** System fields the app can map without configuration; the rest are custom fields. */
export const DEFAULT_FIELD_IDS: Partial<Record<FieldKey, string>> = {
  summary: 'summary',
  justification: 'description',
  requester: 'reporter',
};

/** Refinement: no two keys map to the same Jira id (two CC8.1 fields on one Jira field would defeat the checks). */
const oneToOne =
  <K extends string>(keys: readonly K[], clash: (id: string, other: K) => string) =>
  (ids: Partial<Record<K, string>>, ctx: z.RefinementCtx) => {
    const seen = new Map<string, K>();
    for (const key of keys) {
      const id = ids[key];
      if (id === undefined) continue;
      const other = seen.get(id);
      if (other) ctx.addIssue({ code: 'custom', path: [key], message: clash(id, other) });
      else seen.set(id, key);
    }
  };

const FieldIdsSchema = z
  .partialRecord(FieldKeySchema, JiraFieldIdSchema)
  .default(DEFAULT_FIELD_IDS)
  .superRefine(oneToOne(FIELD_KEYS, (id, other) => `Jira field ${id} is already mapped to ${other}; each CC8.1 field needs its own Jira field`));

const StatusIdsSchema = z
  .partialRecord(z.enum(STATES), JiraStatusIdSchema)
  .default({})
  .superRefine(oneToOne(STATES, (id, other) => `Status ${id} is already mapped to ${other}; each lifecycle state needs its own Jira status`));

const BusinessHoursSchema = z
  .object({
    timeZone: z.string().refine(isTimeZone, 'Unknown time zone; use an IANA name such as Europe/Berlin'),
    days: z.array(z.number().int().min(1).max(7)).min(1, 'Pick at least one business day').default([1, 2, 3, 4, 5]),
    start: ClockTimeSchema.default('09:00'),
    end: ClockTimeSchema.default('17:00'),
  })
  .refine((bh) => bh.start < bh.end, { path: ['end'], message: 'Business hours must end after they start' });

const RelaxationSchema = z.discriminatedUnion('enabled', [
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    compensatingControl: z
      .string()
      .trim()
      .min(20, 'Name the compensating control (at least 20 characters), e.g. "Weekly review of low-risk self-approvals by the CISO"'),
  }),
]);

const SiteLabelsSchema = <T extends z.ZodType>(values: T) =>
  z.record(z.string().trim().min(1, 'An option label cannot be empty'), values);

/**
 * The site's own option labels for each choice field, mapped to the domain's values (issue 16).
 * Several labels may map to one value ("Critical" and "High" → high). The app's own labels always count.
 */
const OptionLabelsSchema = z
  .strictObject({
    changeType: SiteLabelsSchema(z.enum(CHANGE_TYPES)),
    risk: SiteLabelsSchema(RiskSchema),
    verificationResult: SiteLabelsSchema(z.enum(['passed', 'failed-rolled-back'])),
  })
  .partial()
  .default({});

/** Who may act as approver or verifier (issue 15): anyone named, members of a Jira group, or CAB members. */
const EligibilitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anyone') }),
  z.object({ kind: z.literal('group'), groupName: z.string().trim().min(1, 'Name the Jira group whose members may act') }),
  z.object({ kind: z.literal('cab') }),
]);
export type Eligibility = z.infer<typeof EligibilitySchema>;
const ANYONE: Eligibility = { kind: 'anyone' };

/** The project and issue type that hold change tickets (the workflow the rules go on). */
const ScopeSchema = z.object({
  projectId: z.string().trim().regex(/^\d+$/, 'Use a Jira project id (digits)'),
  projectKey: z.string().trim().min(1),
  issueTypeId: z.string().trim().regex(/^\d+$/, 'Use a Jira issue type id (digits)'),
  issueTypeName: z.string().trim().min(1),
});

export const PolicySchema = z.object({
  version: z.number().int().nonnegative().default(0),
  scope: ScopeSchema.nullable().default(null),
  statuses: StatusIdsSchema,
  fields: FieldIdsSchema,
  /** The Jira type of each mapped field that is not the CC8.1 field's own type (issue 16; the admin page sets it from the site). */
  fieldTypes: z.partialRecord(FieldKeySchema, z.enum(JIRA_FIELD_TYPES)).default({}),
  cab: z
    .object({
      requiredForRisks: z.array(RiskSchema).default(['medium', 'high']),
      groupName: z.string().trim().min(1).nullable().default(null),
      memberAccountIds: z.array(z.string().trim().min(1)).default([]),
    })
    .default({ requiredForRisks: ['medium', 'high'], groupName: null, memberAccountIds: [] }),
  eligibility: z
    .object({ approver: EligibilitySchema.default(ANYONE), verifier: EligibilitySchema.default(ANYONE) })
    .default({ approver: ANYONE, verifier: ANYONE }),
  /** Who besides Jira admins may build and download evidence exports (the project's CC8.1 evidence page): a Jira group, or nobody. */
  exporters: z.object({ groupName: z.string().trim().min(1).nullable().default(null) }).default({ groupName: null }),
  postHoc: z
    .object({
      windowHours: z.number().int().min(48, 'The post-hoc window is 48 to 72 hours').max(72, 'The post-hoc window is 48 to 72 hours').default(72),
      warnBeforeHours: z.number().int().min(1).default(24),
    })
    .refine((p) => p.warnBeforeHours < p.windowHours, { path: ['warnBeforeHours'], message: 'The warning must come before the deadline' })
    .default({ windowHours: 72, warnBeforeHours: 24 }),
  businessHours: BusinessHoursSchema.nullable().default(null),
  windowEnforcement: z.enum(['block', 'flag']).default('block'),
  lowRiskRelaxation: RelaxationSchema.default({ enabled: false }),
  /**
   * When the app began to enforce CC8.1 on this site (a date, UTC midnight, or a date-time): the
   * audit reports what happened before it as "before enforcement" notices, not exceptions (issue 16).
   */
  cutover: z
    .string()
    .trim()
    .refine((v) => z.iso.date().safeParse(v).success || z.iso.datetime({ offset: true }).safeParse(v).success, 'Use a date such as 2026-01-01 (or a date-time with its offset)')
    .nullable()
    .default(null),
  optionLabels: OptionLabelsSchema,
  additionalRequiredFields: z.partialRecord(EdgeIdSchema, z.array(FieldKeySchema)).default({}),
  additionalMaterialFields: z.array(FieldKeySchema).default([]),
});
export type Policy = z.infer<typeof PolicySchema>;
export type PolicyInput = z.input<typeof PolicySchema>;
export type PolicyScope = z.infer<typeof ScopeSchema>;
export type BusinessHours = NonNullable<Policy['businessHours']>;

export type PolicyFieldError = { path: string; message: string };
export type PolicyParseResult = { ok: true; policy: Policy } | { ok: false; errors: PolicyFieldError[] };

/** Parses stored or submitted policy; never throws. Errors are per field, with dotted paths. */
export const parsePolicy = (input: unknown): PolicyParseResult => {
  const parsed = PolicySchema.safeParse(input ?? {});
  if (parsed.success) {
    const errors = crossFieldErrors(parsed.data);
    return errors.length ? { ok: false, errors } : { ok: true, policy: parsed.data };
  }
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(policy)',
      message: issue.message,
    })),
  };
};

/** Checks across settings: requiring CAB members needs a CAB (a group or members). */
const crossFieldErrors = (policy: Policy): PolicyFieldError[] => {
  const noCab = policy.cab.groupName === null && policy.cab.memberAccountIds.length === 0;
  const eligibility = (['approver', 'verifier'] as const)
    .filter((role) => policy.eligibility[role].kind === 'cab' && noCab)
    .map((role) => ({ path: `eligibility.${role}`, message: `Set the CAB group first: only CAB members may act as ${role}, and there are none` }));
  const types = (Object.entries(policy.fieldTypes) as [FieldKey, JiraFieldType][])
    .filter(([key, type]) => !canHold(type, key))
    .map(([key, type]) => ({ path: `fieldTypes.${key}`, message: `A ${type} field cannot hold ${fieldLabel(key)}` }));
  return [...eligibility, ...types];
};

/** The Jira type of the field `key` is mapped to: the policy's, else the CC8.1 field's own. */
export const fieldTypeOf = (policy: Pick<Policy, 'fieldTypes'>, key: FieldKey): JiraFieldType => policy.fieldTypes[key] ?? FIELD_DEFS[key].jira;

/** The instant the policy's cut-over names; null without one. */
export const enforcedFrom = (policy: Pick<Policy, 'cutover'>): Date | null =>
  policy.cutover === null ? null : new Date(/^\d{4}-\d{2}-\d{2}$/.test(policy.cutover) ? `${policy.cutover}T00:00:00.000Z` : policy.cutover);

export const defaultPolicy = (): Policy => PolicySchema.parse({});
