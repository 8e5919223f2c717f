/**
 * What Forge sends the workflow handlers, parsed at the boundary. Tolerant where the platform
 * is unconfirmed (FORGE-NOTES.md): ids may come as numbers, `modifiedFields` may sit on the
 * transition or at the top level, the acting user may or may not be in `context.principal`.
 */
import { z } from 'zod';

/** Issue keys as Jira spells them (project key, dash, number). Also a safe REST path segment. */
export const IssueKeySchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*-[1-9]\d*$/, 'not an issue key');

const IdSchema = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const StatusRefSchema = z.object({ id: IdSchema });
const ModifiedFieldsSchema = z.record(z.string(), z.unknown());

/** Function validator input: `{ issue: { key }, configuration?, transition: { from, to, modifiedFields? }, modifiedFields? }`. */
export const ValidatorPayloadSchema = z.object({
  issue: z.object({ key: IssueKeySchema }),
  configuration: z.unknown().optional(),
  transition: z.object({
    from: StatusRefSchema,
    to: StatusRefSchema,
    modifiedFields: ModifiedFieldsSchema.nullish(),
  }),
  modifiedFields: ModifiedFieldsSchema.nullish(),
});
export type ValidatorPayload = z.infer<typeof ValidatorPayloadSchema>;

/** Screen edits, wherever Jira put them; the transition's copy wins when both are present. */
export const modifiedFieldsOf = (payload: ValidatorPayload): Record<string, unknown> => ({
  ...(payload.modifiedFields ?? {}),
  ...(payload.transition.modifiedFields ?? {}),
});

/** Post function input. `from` is absent on the create transition; `executionId` is unconfirmed. */
export const PostFunctionPayloadSchema = z.object({
  issue: z.object({ key: IssueKeySchema, id: IdSchema.optional() }),
  transition: z.object({
    from: StatusRefSchema.nullish(),
    to: StatusRefSchema,
    executionId: z.string().min(1).nullish(),
  }),
  atlassianId: z.string().trim().min(1).nullish(),
  changelog: z.unknown().optional(),
  configuration: z.unknown().optional(),
});
export type PostFunctionPayload = z.infer<typeof PostFunctionPayloadSchema>;

/** The changelog id in a post function payload, if it has one (its shape is not documented). */
export const ChangelogRefSchema = z.object({ id: IdSchema });

const AccountIdSchema = z.string().trim().min(1);
const PrincipalContextSchema = z.object({ principal: z.object({ accountId: AccountIdSchema }) });
const AccountContextSchema = z.object({ accountId: AccountIdSchema });

export type ActorSource = 'context.principal' | 'context.accountId' | 'none';

/**
 * The acting user from the invocation context, and where it came from. Whether
 * `context.principal` is the actor is unconfirmed; callers log the source.
 */
export const actorFromContext = (context: unknown): { accountId: string | null; source: ActorSource } => {
  const principal = PrincipalContextSchema.safeParse(context);
  if (principal.success) return { accountId: principal.data.principal.accountId, source: 'context.principal' };
  const account = AccountContextSchema.safeParse(context);
  if (account.success) return { accountId: account.data.accountId, source: 'context.accountId' };
  return { accountId: null, source: 'none' };
};
