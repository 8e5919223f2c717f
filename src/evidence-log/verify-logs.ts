/**
 * The self-test's check of the evidence logs: each issue's hash chain verified, a page of issues
 * per run. A cursor in app storage carries on where the last run stopped, so on a site with
 * 100,000 changed issues successive runs (the daily scheduled one included) cover them all.
 */
import { z } from 'zod';
import type { LedgerStore } from '../ports/ledger-store';
import { readEvidenceLog } from './evidence-log';
import { describeChainProblem } from './hash-chain';
import { readPublicKey } from './mirror-seal';

export const LOG_HEAD_PREFIX = 'cc81:log-head:';
export const VERIFY_CURSOR_KEY = 'cc81:selftest:log-cursor';
/** Chains verified per run (each is two KVS reads). */
export const DEFAULT_LOGS_PER_RUN = 200;

export interface EvidenceLogCheck {
  verified: number;
  /** Issues whose chain has a problem, with the problems in words. */
  damaged: { issueId: string; problems: string[] }[];
  /** This run reached the last issue (the next run starts again from the first). */
  reachedEnd: boolean;
  /** The public half of the app's mirror-sealing key, for `cc81 audit --evidence-key`; null before the first step was recorded. */
  key: { publicKey: string; keyId: string } | null;
}

const CursorSchema = z.object({ cursor: z.string().nullable() });

export const verifyEvidenceLogs = async (store: LedgerStore, limit = DEFAULT_LOGS_PER_RUN): Promise<EvidenceLogCheck> => {
  const stored = CursorSchema.safeParse(await store.get(VERIFY_CURSOR_KEY));
  const cursor = stored.success ? stored.data.cursor : null;
  const page = await store.listPage(LOG_HEAD_PREFIX, cursor, limit);
  const damaged: EvidenceLogCheck['damaged'] = [];
  for (const { key } of page.entries) {
    const issueId = key.slice(LOG_HEAD_PREFIX.length);
    const reading = await readEvidenceLog(store, issueId);
    if (reading.problems.length) damaged.push({ issueId, problems: reading.problems.map(describeChainProblem) });
  }
  await store.set(VERIFY_CURSOR_KEY, { cursor: page.nextCursor });
  const key = await readPublicKey(store);
  return { verified: page.entries.length, damaged, reachedEnd: page.nextCursor === null, key: key ? { publicKey: key.publicKey, keyId: key.keyId } : null };
};
