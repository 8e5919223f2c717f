/**
 * How a pipeline calls the deployment gate: the one place its wire format is spelled (the gate,
 * `cc81 gate`, the sandbox and the README's examples follow it).
 *
 * - `Authorization: Bearer cc81p_<pipelineId>_<secret>`: the pipeline's token from the admin page.
 *   The app keeps only the secret's SHA-256 and compares in constant time.
 * - `X-CC81-Timestamp`: Unix seconds; more than 5 minutes off the gate's clock is refused.
 * - `X-CC81-Nonce`: 16 to 64 of [A-Za-z0-9_-], new for every call; a nonce seen before is refused.
 * - `X-CC81-Signature`: `sha256=` + hex HMAC-SHA256, keyed with the secret, of `<timestamp>.<nonce>.<body>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const GATE_HEADERS = {
  authorization: 'authorization',
  timestamp: 'x-cc81-timestamp',
  nonce: 'x-cc81-nonce',
  signature: 'x-cc81-signature',
} as const;

export const GATE_MAX_SKEW_SECONDS = 300;

const TOKEN = /^cc81p_([0-9a-f]{16})_([0-9a-f]{64})$/;
export const NonceSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const pipelineToken = (pipelineId: string, secret: string): string => `cc81p_${pipelineId}_${secret}`;

/** The pipeline id and secret a token carries, or null when it is not one of ours. */
export const parsePipelineToken = (token: string): { pipelineId: string; secret: string } | null => {
  const match = TOKEN.exec(token.trim());
  return match ? { pipelineId: match[1]!, secret: match[2]! } : null;
};

export const hashSecret = (secret: string): string => createHash('sha256').update(`cc81-pipeline:${secret}`, 'utf8').digest('hex');

export const signGateCall = (secret: string, timestamp: string, nonce: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${nonce}.${body}`, 'utf8').digest('hex')}`;

/** Constant-time equality of two strings (false when their lengths differ). */
export const sameSecretText = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The headers of a signed call (what `cc81 gate` and the README's curl example send). */
export const signedGateHeaders = (token: string, body: string, now: Date, nonce: string): Record<string, string> => {
  const parsed = parsePipelineToken(token);
  if (!parsed) throw new Error('not a CC8.1 pipeline token (cc81p_<id>_<secret>)');
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${token.trim()}`,
    [GATE_HEADERS.timestamp]: timestamp,
    [GATE_HEADERS.nonce]: nonce,
    [GATE_HEADERS.signature]: signGateCall(parsed.secret, timestamp, nonce, body),
  };
};

/** The body a pipeline sends. Keys come from `changeKey`, else from the branch, PR title and commit message. */
export const GateRequestSchema = z.object({
  /** Empty counts as absent (a CI variable that found no key): the keys then come from the texts. */
  changeKey: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((key) => key || undefined),
  branch: z.string().max(500).optional(),
  prTitle: z.string().max(2_000).optional(),
  commitMessage: z.string().max(10_000).optional(),
  environment: z.string().trim().min(1, 'name the environment').max(100),
  sha: z.string().trim().regex(/^[0-9a-fA-F]{7,64}$/, 'a commit SHA is 7 to 64 hex digits'),
  deployer: z.string().trim().min(1, 'name who (or which service) deploys').max(200),
  deployerAccountId: z.string().trim().min(1).max(128).optional(),
});
export type GateRequest = z.infer<typeof GateRequestSchema>;

/** What the gate answers (HTTP 200 for allow, 403 for deny, with this body either way). */
export const GateAnswerSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  callId: z.string(),
  changes: z.array(
    z.object({
      key: z.string(),
      decision: z.enum(['allow', 'deny']),
      path: z.enum(['approved', 'emergency', 'refused']),
      reasons: z.array(z.object({ code: z.string(), message: z.string() })),
      notices: z.array(z.object({ code: z.string(), message: z.string() })),
    }),
  ),
  /** Why the call as a whole was refused (no change named), else empty. */
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type GateAnswer = z.infer<typeof GateAnswerSchema>;

/** An error answer (401, 400, 405, 413, 429, 500, 503): `{ error: { code, message } }`. */
export const GateErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
