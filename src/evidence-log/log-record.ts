import { z } from 'zod';
import { EvidencePropertyRecordSchema } from '../jira/evidence-property';

/** SHA-256, lower-case hex. */
export const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);
/** The previous hash of a chain's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What the evidence recorder knows about one lifecycle step: the mirror's record (edge, from, to,
 * the acting user or null, time, the transition's executionId, which makes a retried post function
 * record once) and Jira's issue id, stable when the issue moves to another project (its key is not).
 */
export const LogEntrySchema = EvidencePropertyRecordSchema.extend({ issueId: z.string().regex(/^\d+$/) });
export type LogEntry = z.infer<typeof LogEntrySchema>;

/**
 * One stored record. The hash covers every field but `accountId` and `actorSalt`; it covers
 * `actorDigest` = SHA-256(salt:accountId) instead. When Jira reports the account closed, the
 * privacy job replaces the id and drops the salt, and the chain still verifies.
 */
export const LogRecordSchema = LogEntrySchema.extend({
  v: z.literal(1),
  seq: z.number().int().min(1),
  actorSalt: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
  actorDigest: HashSchema.nullable(),
  prevHash: HashSchema,
  hash: HashSchema,
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

/** The last record written, kept apart so that deleting the newest records is detectable. */
export const LogHeadSchema = z.object({ seq: z.number().int().min(1), hash: HashSchema });
export type LogHead = z.infer<typeof LogHeadSchema>;
