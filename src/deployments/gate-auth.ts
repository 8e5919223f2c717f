/**
 * Who may ask the deployment gate, checked before anything else is read: a POST from a live
 * pipeline's token, signed, fresh, never seen before, and within the pipeline's rate. Failed
 * attempts count towards a site-wide limit, so guessing tokens gets nowhere. Counters are
 * per-minute KVS values (read then write: under a burst a few calls more may pass; it is a
 * brake, not a quota). Nothing here logs or returns the token or the secret.
 */
import type { LedgerStore } from '../ports/ledger-store';
import { GATE_HEADERS, GATE_MAX_SKEW_SECONDS, NonceSchema, signGateCall, sameSecretText } from './gate-signature';
import { markPipelineUsed, pipelineOfToken, type PipelineRecord } from './pipelines';

export interface GateHttpRequest {
  method: string;
  /** Forge gives each header as a list of values; names in any case. */
  headers: Record<string, string[] | undefined>;
  body: string;
}

export const GATE_LIMITS = {
  /** Calls a pipeline may make a minute. */
  perPipelinePerMinute: 30,
  /** Refused attempts (bad token or signature) the whole site takes a minute before the gate stops looking. */
  failedPerMinute: 20,
  /** Largest body the gate reads. */
  maxBodyBytes: 32_768,
} as const;

export type GateRefusal = { status: 401 | 405 | 413 | 429; code: string; message: string; retryAfterSeconds?: number };
export type AuthOutcome = { ok: true; pipeline: PipelineRecord } | ({ ok: false } & GateRefusal);

const NONCE_PREFIX = 'cc81:gate-nonce:';
const RATE_PREFIX = 'cc81:gate-rate:';
const NONCE_BUCKET_SECONDS = 600;

export const headerOf = (headers: GateHttpRequest['headers'], name: string): string | null => {
  for (const [key, values] of Object.entries(headers)) if (key.toLowerCase() === name) return values?.[0] ?? null;
  return null;
};

const minuteOf = (now: Date) => Math.floor(now.getTime() / 60_000);
const untilNextMinute = (now: Date) => 60 - Math.floor((now.getTime() % 60_000) / 1000);

const rateKey = (who: string, minute: number) => `${RATE_PREFIX}${who}:${minute}`;
const readCount = async (store: LedgerStore, key: string): Promise<number> => {
  const value = await store.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};
/** Adds one to this minute's counter; a new minute also drops the one before last. */
const bump = async (store: LedgerStore, who: string, now: Date, current: number): Promise<void> => {
  const minute = minuteOf(now);
  await store.set(rateKey(who, minute), current + 1);
  if (current === 0) await store.delete(rateKey(who, minute - 2));
};

const refuse = (status: GateRefusal['status'], code: string, message: string, retryAfterSeconds?: number): AuthOutcome => ({
  ok: false,
  status,
  code,
  message,
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});

const nonceKey = (pipelineId: string, bucket: number, nonce: string) => `${NONCE_PREFIX}${pipelineId}:${String(bucket).padStart(10, '0')}:${nonce}`;

/** Keeps the nonce store small: a pipeline's first call in a new 10-minute bucket drops its buckets older than the last. */
const pruneNonces = async (store: LedgerStore, pipelineId: string, bucket: number): Promise<void> => {
  const marker = `${NONCE_PREFIX}${pipelineId}:${String(bucket).padStart(10, '0')}`;
  if ((await store.setIfAbsent(`${marker}:~`, true)) === 'exists') return;
  const { entries } = await store.listPage(`${NONCE_PREFIX}${pipelineId}:`, null, 200);
  const keep = String(bucket - 1).padStart(10, '0');
  for (const { key } of entries) if (key.slice(NONCE_PREFIX.length + pipelineId.length + 1).slice(0, 10) < keep) await store.delete(key);
};

/** Decides whether the call may be judged. KVS: 2 reads, then (accepted) up to 4 writes. */
export const authenticateGateCall = async (store: LedgerStore, request: GateHttpRequest, now: Date): Promise<AuthOutcome> => {
  if (request.method.toUpperCase() !== 'POST') return refuse(405, 'METHOD_NOT_ALLOWED', 'The deployment gate takes POST requests only.');
  if (Buffer.byteLength(request.body ?? '', 'utf8') > GATE_LIMITS.maxBodyBytes) return refuse(413, 'BODY_TOO_LARGE', `The request body is over ${GATE_LIMITS.maxBodyBytes} bytes; send only the fields the gate takes.`);

  const failed = await readCount(store, rateKey('failed', minuteOf(now)));
  if (failed >= GATE_LIMITS.failedPerMinute) {
    return refuse(429, 'TOO_MANY_FAILED_CALLS', 'Too many refused calls to the gate this minute: wait and try again with a valid token.', untilNextMinute(now));
  }
  const fail = async (code: string, message: string): Promise<AuthOutcome> => {
    await bump(store, 'failed', now, failed);
    return refuse(401, code, message);
  };

  const authorization = headerOf(request.headers, GATE_HEADERS.authorization);
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!bearer) return fail('UNAUTHENTICATED', "Send the pipeline's token as 'Authorization: Bearer cc81p_…' (Jira admin: CC8.1 admin page → Deployment gate).");
  const found = await pipelineOfToken(store, bearer);
  if (!found) return fail('UNAUTHENTICATED', 'This token is unknown, revoked or was rotated: ask a Jira admin for the pipeline\'s current token.');

  const timestamp = headerOf(request.headers, GATE_HEADERS.timestamp);
  const nonce = headerOf(request.headers, GATE_HEADERS.nonce);
  const signature = headerOf(request.headers, GATE_HEADERS.signature);
  if (!timestamp || !nonce || !signature) {
    return fail('UNSIGNED', `Sign the call: send ${GATE_HEADERS.timestamp}, ${GATE_HEADERS.nonce} and ${GATE_HEADERS.signature} (see the README's examples).`);
  }
  if (!/^\d{1,12}$/.test(timestamp) || !NonceSchema.safeParse(nonce).success) {
    return fail('UNSIGNED', `${GATE_HEADERS.timestamp} is Unix seconds and ${GATE_HEADERS.nonce} is 16 to 64 letters, digits, '-' or '_'.`);
  }
  if (!sameSecretText(signature, signGateCall(found.secret, timestamp, nonce, request.body ?? ''))) {
    return fail('BAD_SIGNATURE', 'The signature does not match this body: sign `<timestamp>.<nonce>.<body>` with HMAC-SHA256 and the token\'s secret.');
  }
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > GATE_MAX_SKEW_SECONDS) return fail('STALE_TIMESTAMP', `The call is ${Math.round(skew)} s away from the gate's clock (at most ${GATE_MAX_SKEW_SECONDS}): check the runner's clock, and never resend an old call.`);

  const pipeline = found.record;
  const bucket = Math.floor(Number(timestamp) / NONCE_BUCKET_SECONDS);
  if ((await store.setIfAbsent(nonceKey(pipeline.id, bucket, nonce), true)) === 'exists') {
    return fail('REPLAYED', 'This call was already made (its nonce was seen): send a new nonce with every call.');
  }

  const used = await readCount(store, rateKey(pipeline.id, minuteOf(now)));
  if (used >= GATE_LIMITS.perPipelinePerMinute) {
    return refuse(429, 'RATE_LIMITED', `This pipeline made ${GATE_LIMITS.perPipelinePerMinute} gate calls this minute: wait and try again.`, untilNextMinute(now));
  }
  await bump(store, pipeline.id, now, used);
  await pruneNonces(store, pipeline.id, bucket);
  await markPipelineUsed(store, pipeline, now);
  return { ok: true, pipeline };
};
