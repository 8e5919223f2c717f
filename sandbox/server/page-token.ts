/**
 * Opaque page tokens (`nextPageToken`): a cursor after the last item returned, tied to the request
 * it pages (a hash), so paging stays exact while issues are created or edited between pages.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

const TokenSchema = z.object({ v: z.literal(1), q: z.string(), after: z.array(z.union([z.string(), z.number(), z.null()])) });
export type Cursor = z.infer<typeof TokenSchema>['after'];

export const requestHash = (identity: unknown): string => createHash('sha256').update(JSON.stringify(identity)).digest('base64url').slice(0, 16);

export const encodePageToken = (identity: unknown, after: Cursor): string =>
  Buffer.from(JSON.stringify({ v: 1, q: requestHash(identity), after })).toString('base64url');

/** The cursor in `token`, or null when the token is malformed or belongs to another request. */
export const decodePageToken = (token: string, identity: unknown): Cursor | null => {
  try {
    const parsed = TokenSchema.safeParse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return parsed.success && parsed.data.q === requestHash(identity) ? parsed.data.after : null;
  } catch {
    return null; // not base64 JSON: an invalid token, answered 400 by the caller
  }
};

export const INVALID_PAGE_TOKEN = 'The provided next page token is invalid or expired.';
