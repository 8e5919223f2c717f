import { z } from 'zod';
import { FieldKey, FieldKeySchema } from './change-model';
import { FINDING_SEVERITY, FindingCode, FindingCodeSchema, ReasonCode } from './finding-codes';
import { EdgeIdSchema } from './lifecycle';
import { ROLES } from './states';

export const PersonSchema = z.object({
  role: z.enum([...ROLES, 'actor', 'editor', 'cab']),
  accountId: z.string().nullable(),
});
export type Person = z.infer<typeof PersonSchema>;

export const FindingSchema = z.object({
  code: FindingCodeSchema,
  severity: z.enum(['exception', 'notice']),
  issueKey: z.string(),
  edge: EdgeIdSchema.nullable(),
  field: FieldKeySchema.nullable(),
  message: z.string(),
  people: z.array(PersonSchema),
  /** When the finding happened (the transition, the edit, or the missed deadline). */
  at: z.date().nullable(),
  /** Other instants that explain it, e.g. approvedAt, dueAt. */
  timestamps: z.record(z.string(), z.date()),
  /** It happened before the policy's cut-over: reported as a notice, not an exception (issue 16). */
  beforeEnforcement: z.boolean().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** Why a transition is refused, or a notice it carries. Same codes as findings. */
export interface Reason {
  code: ReasonCode;
  message: string;
  field?: FieldKey;
  people: Person[];
}

export const isFindingCode = (code: ReasonCode): code is FindingCode => FindingCodeSchema.safeParse(code).success;

export const severityOf = (code: FindingCode) => FINDING_SEVERITY[code];
