/**
 * The sweep's lease: one invocation sweeps at a time. `cc81:sweep:lease` says who holds it, until
 * when, and the run and continuation chain. Taking it is a conditional write: each taking claims the
 * next generation (`cc81:sweep:claim:<generation>`, `setIfAbsent`), so of two invocations that read
 * the same free lease exactly one wins. A claim whose winner died before writing the lease blocks
 * until its expiry, then the next generation is claimed. The last `CLAIMS_KEPT` claims are kept (a
 * stale reader of an older lease finds its generation taken); older ones are deleted on release.
 */
import { z } from 'zod';
import type { LedgerStore } from '../ports/ledger-store';

export const LEASE_KEY = 'cc81:sweep:lease';
export const CLAIM_PREFIX = 'cc81:sweep:claim:';
export const claimKey = (generation: number): string => `${CLAIM_PREFIX}${String(generation).padStart(12, '0')}`;
export const CLAIMS_KEPT = 5;
/** Claims tried in one taking: each past one is an expired claim whose winner never wrote the lease. */
const MAX_CLAIM_ATTEMPTS = 3;

export const SweepLeaseSchema = z.object({
  version: z.literal(1),
  /** The invocation sweeping now; null once released. */
  holder: z.string().nullable(),
  expiresAt: z.string(),
  /** The trigger run this chain belongs to. */
  runId: z.string(),
  /** Continuations of this run started so far. */
  continuations: z.number().int().min(0),
  /** A continuation event of this run is queued and not yet claimed. */
  pending: z.boolean(),
  /** The claim this lease was taken with (0: taken before claims existed). */
  generation: z.number().int().min(0).default(0),
});
/** Stored under `LEASE_KEY`. */
export type SweepLease = z.infer<typeof SweepLeaseSchema>;

const ClaimSchema = z.object({ v: z.literal(1), holder: z.string(), expiresAt: z.string() });

export type LeaseRequest = {
  me: string;
  now: Date;
  expiresAt: string;
  invocation: { kind: 'trigger'; runId: string } | { kind: 'continuation'; runId: string; continuation: number };
};
export type LeaseOutcome = { lease: SweepLease; unreadable: boolean } | { skipped: 'lease-held' | 'stale-continuation'; unreadable: boolean };

const generationOf = (key: string): number => Number(key.slice(CLAIM_PREFIX.length));

/** The newest claim's generation (0 if none): a missing or unreadable lease retries it (it may be a rival's, taken just now). */
const latestGeneration = async (store: LedgerStore): Promise<number> => {
  const claims = await store.listByPrefix(CLAIM_PREFIX);
  return claims.reduce((max, { key }) => Math.max(max, Number.isSafeInteger(generationOf(key)) ? generationOf(key) : 0), 0);
};

/** Takes the lease for `me`, or says why not. An unreadable stored lease counts as free (and is reported). */
export const takeLease = async (store: LedgerStore, request: LeaseRequest): Promise<LeaseOutcome> => {
  const stored = await store.get(LEASE_KEY);
  const parsed = stored === undefined || stored === null ? null : SweepLeaseSchema.safeParse(stored);
  const unreadable = parsed !== null && !parsed.success;
  const held = parsed?.success ? parsed.data : null;
  const nowMs = request.now.getTime();
  const { invocation } = request;
  if (held?.holder && Date.parse(held.expiresAt) > nowMs) return { skipped: 'lease-held', unreadable };
  if (invocation.kind === 'continuation' && (held?.runId !== invocation.runId || !held.pending || held.continuations + 1 !== invocation.continuation)) {
    return { skipped: 'stale-continuation', unreadable };
  }
  let generation = held ? held.generation : Math.max(0, (await latestGeneration(store)) - 1);
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
    generation += 1;
    const key = claimKey(generation);
    if ((await store.setIfAbsent(key, { v: 1, holder: request.me, expiresAt: request.expiresAt })) === 'exists') {
      const claim = ClaimSchema.safeParse(await store.get(key));
      // 'exists' with our own claim: the write landed and only its answer was lost.
      if (!(claim.success && claim.data.holder === request.me)) {
        if (claim.success && Date.parse(claim.data.expiresAt) > nowMs) return { skipped: 'lease-held', unreadable };
        continue;
      }
    }
    const lease: SweepLease =
      invocation.kind === 'trigger'
        ? { version: 1, holder: request.me, expiresAt: request.expiresAt, runId: invocation.runId, continuations: 0, pending: false, generation }
        : { version: 1, holder: request.me, expiresAt: request.expiresAt, runId: invocation.runId, continuations: (held?.continuations ?? 0) + 1, pending: false, generation };
    await store.set(LEASE_KEY, lease);
    return { lease, unreadable };
  }
  return { skipped: 'lease-held', unreadable };
};

/** Frees the lease (recording whether a continuation is queued). */
export const releaseLease = (store: LedgerStore, lease: SweepLease, now: Date, pending: boolean): Promise<void> =>
  store.set(LEASE_KEY, { ...lease, holder: null, expiresAt: now.toISOString(), pending } satisfies SweepLease);

/** Deletes the claim that fell out of the kept window with this lease's generation. */
export const pruneClaims = async (store: LedgerStore, lease: SweepLease): Promise<void> => {
  if (lease.generation > CLAIMS_KEPT) await store.delete(claimKey(lease.generation - CLAIMS_KEPT));
};
