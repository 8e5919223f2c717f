import { z } from 'zod';
import { AccountIdSchema, EdgeIdSchema, EVIDENCE_PROPERTY_KEY, EvidenceRecord, StateSchema } from '../domain';
import { MalformedResponseError } from '../shared/app-error';

/** The issue property the evidence post function writes as a mirror of the app's log (defined once, in the domain). */
export { EVIDENCE_PROPERTY_KEY };

/** Jira's limit on an issue property value: 32,768 bytes of JSON (setIssueProperty in the OpenAPI document). */
export const ISSUE_PROPERTY_MAX_BYTES = 32_768;

export const EvidencePropertyRecordSchema = z.object({
  edge: EdgeIdSchema,
  from: StateSchema,
  to: StateSchema,
  accountId: AccountIdSchema.nullable(),
  at: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1),
});
export type EvidencePropertyRecord = z.infer<typeof EvidencePropertyRecordSchema>;

export const EvidencePropertySchema = z.object({
  version: z.literal(1),
  records: z.array(EvidencePropertyRecordSchema),
});
export type EvidenceProperty = z.infer<typeof EvidencePropertySchema>;

export const emptyEvidence = (): EvidenceProperty => ({ version: 1, records: [] });

/** Parses a stored property value; absent (null/undefined) is an empty record list. Throws MalformedResponseError. */
export const parseEvidenceProperty = (value: unknown, source = `issue property ${EVIDENCE_PROPERTY_KEY}`): EvidenceProperty => {
  if (value === null || value === undefined) return emptyEvidence();
  const parsed = EvidencePropertySchema.safeParse(value);
  if (!parsed.success) throw MalformedResponseError.fromZod(source, parsed.error);
  return parsed.data;
};

export const evidenceBytes = (property: EvidenceProperty): number => Buffer.byteLength(JSON.stringify(property), 'utf8');

/** The domain's view of the records (dates parsed). */
export const toDomainEvidence = (property: EvidenceProperty): EvidenceRecord[] =>
  property.records.map((r) => ({ from: r.from, to: r.to, accountId: r.accountId, at: new Date(r.at), executionId: r.executionId }));
