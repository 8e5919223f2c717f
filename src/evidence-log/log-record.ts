import { z } from 'zod';
import { AccountIdSchema, EdgeIdSchema, StateSchema } from '../domain';

/** SHA-256, lower-case hex. */
export const HashSchema = z.string().regex(/^[0-9a-f]{64}$/);
/** The previous hash of a chain's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the evidence recorder knows about one lifecycle step. */
export const LogEntrySchema = z.object({
  /** Jira's issue id: stable when the issue moves to another project (its key is not). */
  issueId: z.string().regex(/^\d+$/),
  edge: EdgeIdSchema,
  from: StateSchema,
  to: StateSchema,
  /** The acting user (post function `atlassianId`); null when Jira named none. */
  accountId: AccountIdSchema.nullable(),
  at: z.iso.datetime({ offset: true }),
  /** The transition's executionId: one record per transition, however often the post function is retried. */
  executionId: z.string().min(1),
});
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
