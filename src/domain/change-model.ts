import { z } from 'zod';
import { ChangeTypeSchema, RiskSchema, StateSchema, VerificationResultSchema } from './states';

/**
 * Every CC8.1 field: its value kind in the domain, its label, and the Jira field type it is
 * stored in (which fixes how REST returns it and how a Jira expression reads it).
 */
export const FIELD_DEFS = {
  summary: { kind: 'text', label: 'Summary', jira: 'string' },
  justification: { kind: 'text', label: 'Justification', jira: 'richtext' },
  changeType: { kind: 'changeType', label: 'Change type', jira: 'option' },
  risk: { kind: 'risk', label: 'Risk rating', jira: 'option' },
  requester: { kind: 'user', label: 'Requester', jira: 'user' },
  implementer: { kind: 'user', label: 'Implementer', jira: 'user' },
  approver: { kind: 'user', label: 'Approver', jira: 'user' },
  verifier: { kind: 'user', label: 'Verifier', jira: 'user' },
  cabReference: { kind: 'text', label: 'CAB reference', jira: 'string' },
  targetSystems: { kind: 'list', label: 'Target systems', jira: 'labels' },
  windowStart: { kind: 'datetime', label: 'Maintenance window start', jira: 'datetime' },
  windowEnd: { kind: 'datetime', label: 'Maintenance window end', jira: 'datetime' },
  recurringWindow: { kind: 'text', label: 'Recurring window', jira: 'string' },
  testPlan: { kind: 'text', label: 'Test plan', jira: 'richtext' },
  rollbackPlan: { kind: 'text', label: 'Rollback plan', jira: 'richtext' },
  implementationEvidence: { kind: 'text', label: 'Implementation evidence', jira: 'richtext' },
  verificationResult: { kind: 'verificationResult', label: 'Verification result', jira: 'option' },
  rollbackOutcome: { kind: 'text', label: 'Rollback outcome', jira: 'richtext' },
  standardTemplate: { kind: 'text', label: 'Standard change template', jira: 'string' },
  emergencyJustification: { kind: 'text', label: 'Emergency justification', jira: 'string' },
  cancellationReason: { kind: 'text', label: 'Cancellation reason', jira: 'richtext' },
} as const;

/**
 * The Jira field types the app reads (issue 16: a site maps a CC8.1 field to the field it already
 * has): each CC8.1 field's own type, and `multioption` (a multi-select list, for Target systems).
 */
export const JIRA_FIELD_TYPES = [
  'string',
  'richtext',
  'option',
  'user',
  'labels',
  'datetime',
  'multioption',
  'components',
  'services',
  'cascadingoption',
  'multiuser',
  'group',
  'date',
] as const;
export type JiraFieldType = (typeof JIRA_FIELD_TYPES)[number];

type FieldKind = (typeof FIELD_DEFS)[keyof typeof FIELD_DEFS]['kind'];
/**
 * The Jira field types that can hold each kind of CC8.1 field: text in any text field; a list in
 * labels, text, a multi-select, Components or JSM's Affected services; a choice in a select, radio or
 * cascading select; people in a user or multi-user picker; a time in a date-time or date picker.
 */
export const HOLDERS: Readonly<Record<FieldKind, readonly JiraFieldType[]>> = {
  text: ['string', 'richtext'],
  list: ['labels', 'string', 'richtext', 'multioption', 'components', 'services'],
  changeType: ['option', 'cascadingoption'],
  risk: ['option', 'cascadingoption'],
  verificationResult: ['option', 'cascadingoption'],
  user: ['user', 'multiuser', 'group'],
  datetime: ['datetime', 'date'],
};

/** Each field type the app reads, in words (the admin page's). */
export const JIRA_FIELD_TYPE_WORDS: Readonly<Record<JiraFieldType, string>> = {
  string: 'short text',
  richtext: 'paragraph',
  option: 'select list',
  user: 'user picker',
  labels: 'labels',
  datetime: 'date time',
  multioption: 'multi-select list',
  components: 'components',
  services: 'affected services',
  cascadingoption: 'cascading select',
  multiuser: 'multi-user picker',
  group: 'group picker',
  date: 'date picker',
};

/** The field types that can hold `field`, in words ("a user picker, multi-user picker or group picker field"). */
/** Types named by a plural ("labels"): listed after the others, so the sentence reads "a short text, …, labels or … field". */
const PLURAL_TYPES: readonly JiraFieldType[] = ['labels', 'components', 'services'];

export const holdersInWords = (field: FieldKey): string => {
  const types = HOLDERS[FIELD_DEFS[field].kind].filter((type) => whyCannotHold(type, field) === null);
  const words = [...types.filter((t) => !PLURAL_TYPES.includes(t)), ...types.filter((t) => PLURAL_TYPES.includes(t))].map((type) => JIRA_FIELD_TYPE_WORDS[type]);
  return `a ${words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0]} field`;
};

/** Roles a group can hold: any member may approve or verify. The requester and implementer are people who act, so never a group. */
export const GROUP_ROLES: readonly FieldKey[] = ['approver', 'verifier'];

/** Why a Jira field of `type` cannot hold `field`: not a type for its kind, or a group for a role one person must hold. */
export const whyCannotHold = (type: JiraFieldType, field: FieldKey): 'type' | 'group-role' | null => {
  if (!HOLDERS[FIELD_DEFS[field].kind].includes(type)) return 'type';
  return type === 'group' && !GROUP_ROLES.includes(field) ? 'group-role' : null;
};
export const canHold = (type: JiraFieldType, field: FieldKey): boolean => whyCannotHold(type, field) === null;

/** Splits text a site keeps a list in ("prod-db, api; edge") into its items. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,;\n]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The option labels select-list fields use in Jira, per domain value. */
export const OPTION_LABELS = {
  changeType: { standard: 'Standard', normal: 'Normal', emergency: 'Emergency' },
  risk: { low: 'Low', medium: 'Medium', high: 'High' },
  verificationResult: { passed: 'Passed', 'failed-rolled-back': 'Failed and rolled back' },
} as const;
export type OptionField = keyof typeof OPTION_LABELS;

/** The issue property where the app's post function records who took each lifecycle step. */
export const EVIDENCE_PROPERTY_KEY = 'cc81.evidence';

export type FieldKey = keyof typeof FIELD_DEFS;
export const FIELD_KEYS = Object.keys(FIELD_DEFS) as FieldKey[];
export const FieldKeySchema = z.enum(FIELD_KEYS as [FieldKey, ...FieldKey[]]);
export const fieldLabel = (field: FieldKey): string => FIELD_DEFS[field].label;

/** Material fields: changing one after approval voids the approval. Policy may add more. */
export const MATERIAL_FIELDS: readonly FieldKey[] = [
  'changeType',
  'targetSystems',
  'rollbackPlan',
  'testPlan',
  'risk',
  'implementer',
  'windowStart',
  'windowEnd',
  'recurringWindow',
];

export const AccountIdSchema = z.string().trim().min(1);

/** A person as Jira reports them. Deleted users keep their account id with `active: false`. */
export const UserRefSchema = z.object({
  accountId: AccountIdSchema,
  displayName: z.string().nullish(),
  active: z.boolean().nullish(),
});
export type UserRef = z.infer<typeof UserRefSchema>;

/** A role named in a multi-user picker: any listed person counts as named (issue 16). */
export const NamedPeopleSchema = z.object({ anyOf: z.array(UserRefSchema).min(2) });
/** A role named as a group picker: any member counts as named. */
export const NamedGroupSchema = z.object({ group: z.string().trim().min(1) });
/** Who a role field names: one person, several (any of them), or a group. */
export const NamedSchema = z.union([UserRefSchema, NamedPeopleSchema, NamedGroupSchema]);
export type Named = z.infer<typeof NamedSchema>;

const text = z.string().nullish();
const user = NamedSchema.nullish();

export const ChangeFieldsSchema = z.object({
  summary: text,
  justification: text,
  changeType: ChangeTypeSchema.nullish(),
  risk: RiskSchema.nullish(),
  requester: user,
  implementer: user,
  approver: user,
  verifier: user,
  cabReference: text,
  targetSystems: z.array(z.string()).nullish(),
  windowStart: z.date().nullish(),
  windowEnd: z.date().nullish(),
  recurringWindow: text,
  testPlan: text,
  rollbackPlan: text,
  implementationEvidence: text,
  verificationResult: VerificationResultSchema.nullish(),
  rollbackOutcome: text,
  standardTemplate: text,
  emergencyJustification: text,
  cancellationReason: text,
});
export type ChangeFields = z.infer<typeof ChangeFieldsSchema>;

/** Who performed a step. `null` where Jira records no actor (anonymous or automation). */
export const ActorSchema = z
  .object({
    accountId: AccountIdSchema,
    displayName: z.string().nullish(),
    active: z.boolean().nullish(),
    groups: z.array(z.string()).optional(),
  })
  .nullable();
export type Actor = z.infer<typeof ActorSchema>;

/** A lifecycle step recorded by the app's evidence post function (not editable by users). */
export const EvidenceRecordSchema = z.object({
  from: StateSchema,
  to: StateSchema,
  accountId: AccountIdSchema.nullable(),
  at: z.date(),
  executionId: z.string().optional(),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecordSchema>;

/**
 * How the evidence the issue shows (the `cc81.evidence` mirror, which users can write) compares
 * with the app's own log, each difference in words. Absent: not compared (no access to the log).
 */
export const EvidenceIntegritySchema = z.object({ differences: z.array(z.string().min(1)) });
export type EvidenceIntegrity = z.infer<typeof EvidenceIntegritySchema>;

const OccurrenceSchema = z.object({ start: z.date(), end: z.date() });
export type Occurrence = z.infer<typeof OccurrenceSchema>;

/**
 * A recurring window's text as an adapter read it (RFC 5545; the domain imports no library): the
 * occurrences in force at each instant of `judgedAt` and the next few, or why it cannot be read.
 */
export const RecurringWindowReadingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('occurrences'), text: z.string(), description: z.string(), occurrences: z.array(OccurrenceSchema), judgedAt: z.array(z.date()) }),
  z.object({ kind: z.literal('invalid'), text: z.string(), problem: z.string() }),
]);
export type RecurringWindowReading = z.infer<typeof RecurringWindowReadingSchema>;

export const ChangeSchema = z.object({
  key: z.string().min(1),
  state: StateSchema,
  createdAt: z.date(),
  /** Who created the issue (Jira's `creator`, which no one can edit): the one who set the fields it was created with. */
  creatorAccountId: z.string().nullish(),
  fields: ChangeFieldsSchema,
  /** The app's evidence log records (or, without access to the log, what the issue shows). */
  evidence: z.array(EvidenceRecordSchema).default([]),
  integrity: EvidenceIntegritySchema.optional(),
  /** One reading per recurring-window text the change had (see RecurringWindowReadingSchema). */
  recurringWindows: z.array(RecurringWindowReadingSchema).optional(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const StatusEntrySchema = z.object({
  kind: z.literal('status'),
  at: z.date(),
  actor: ActorSchema,
  from: StateSchema,
  to: StateSchema,
});
/** Field values in history are raw ids or strings, as in Jira's changelog `from`/`to`. */
export const FieldEntrySchema = z.object({
  kind: z.literal('field'),
  at: z.date(),
  actor: ActorSchema,
  field: FieldKeySchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export const HistoryEntrySchema = z.discriminatedUnion('kind', [StatusEntrySchema, FieldEntrySchema]);
export type StatusEntry = z.infer<typeof StatusEntrySchema>;
export type FieldEntry = z.infer<typeof FieldEntrySchema>;
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export const HistorySchema = z.array(HistoryEntrySchema);
export type History = HistoryEntry[];

/** True when a field holds a usable value (not null, blank, or an empty list). */
export const hasValue = (fields: ChangeFields, field: FieldKey): boolean => {
  const value: unknown = fields[field];
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && v.trim().length > 0);
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return true;
};

/** The raw comparable value of a field, as it appears in history `from`/`to`. */
export const rawFieldValue = (fields: ChangeFields, field: FieldKey): string | null => {
  const value = fields[field];
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length ? [...value].sort().join(',') : null;
  if (typeof value === 'object') return rawNamed(value);
  const s = value.trim();
  return s.length ? s : null;
};

/** Marks a group in the raw encoding (account ids never contain it). */
export const GROUP_RAW_PREFIX = 'group:';

/** A named role in the raw encoding: an account id; several, sorted and comma-joined; or `group:<name>`. */
export const rawNamed = (named: Named): string => {
  if ('group' in named) return `${GROUP_RAW_PREFIX}${named.group}`;
  if ('anyOf' in named) return named.anyOf.map((p) => p.accountId).sort().join(',');
  return named.accountId;
};

/** The people a named value lists (none for a group), in order. */
export const namedPeople = (named: Named | null | undefined): UserRef[] => {
  if (!named || 'group' in named) return [];
  return 'anyOf' in named ? named.anyOf : [named];
};

export type RoleField = 'requester' | 'implementer' | 'approver' | 'verifier';

/** The account ids a role field names (every listed person; none for a group). */
export const accountsOf = (fields: ChangeFields, role: RoleField): string[] => namedPeople(fields[role]).map((p) => p.accountId);

/** The first person a role field names (for messages), or null. */
export const accountOf = (fields: ChangeFields, role: RoleField): string | null => accountsOf(fields, role)[0] ?? null;

/** The group a role field names, or null. */
export const groupOf = (fields: ChangeFields, role: RoleField): string | null => {
  const named = fields[role];
  return named && 'group' in named ? named.group : null;
};

/**
 * Whether the role field names `actor`: they are the person, one of the listed people, or a
 * member of the group. Null: a group is named and the actor's groups are not known (the changelog
 * does not keep them; the compiled expression, with Jira's user, decides).
 */
export const namesActor = (fields: ChangeFields, role: RoleField, actor: NonNullable<Actor>): boolean | null => {
  const group = groupOf(fields, role);
  if (group !== null) return actor.groups === undefined ? null : actor.groups.includes(group);
  return accountsOf(fields, role).includes(actor.accountId);
};

/** Stable time order; entries at the same instant keep their given order. */
export const sortHistory = (history: readonly HistoryEntry[]): HistoryEntry[] =>
  history
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index)
    .map(({ entry }) => entry);
