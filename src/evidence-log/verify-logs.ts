/**
 * The self-test's check of the evidence logs: each issue's hash chain verified and, given a way to
 * read them, each issue's `cc81.evidence` mirror compared with its log (one search for the page).
 * A page of issues per run; a cursor in app storage carries on where the last run stopped, so on
 * a site with 100,000 changed issues successive runs (the daily scheduled one included) cover
 * them all. KVS says its cursors may not stay valid: one it refuses starts the rotation over.
 */
import { z } from 'zod';
import type { LedgerStore } from '../ports/ledger-store';
import { readEvidenceWithNote } from './evidence-log';
import { compareEvidence } from './evidence-integrity';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { createSearchClient } from '../jira/search';
import type { JiraTransport } from '../jira/transport';
import { isAppError } from '../shared/app-error';
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
  /** Issues whose mirror differs, or differed, from their log; `mirrors` says whether mirrors were read at all. */
  tampered: { issueId: string; differences: string[] }[];
  mirrors: { compared: number } | { notCompared: string };
  /** This run reached the last issue (the next run starts again from the first). */
  reachedEnd: boolean;
  /** The public half of the app's mirror-sealing key, for `cc81 audit --evidence-key`; null before the first step was recorded. */
  key: { publicKey: string; keyId: string } | null;
}

const CursorSchema = z.object({ cursor: z.string().nullable() });

/** Issue id → the mirror's value (absent: no mirror). Issues Jira did not return are not in the map. */
export type MirrorReader = (issueIds: readonly string[]) => Promise<Map<string, unknown>>;

/** The mirrors of a page of issues in one search as the app (`id in (…)`, properties only). */
export const searchMirrors =
  (transport: JiraTransport, sleep: (ms: number) => Promise<void>): MirrorReader =>
  async (issueIds) => {
    const search = createSearchClient(transport, { sleep });
    const mirrors = new Map<string, unknown>();
    let token: string | null = null;
    do {
      const page = await search.searchJql(`id in (${issueIds.join(', ')})`, { fields: ['status'], properties: [EVIDENCE_PROPERTY_KEY], maxResults: issueIds.length, nextPageToken: token });
      for (const issue of page.issues) mirrors.set(issue.id, issue.properties?.[EVIDENCE_PROPERTY_KEY]);
      token = page.nextPageToken ?? null;
    } while (token);
    return mirrors;
  };

export interface VerifyOptions {
  limit?: number;
  /** Reads the page's mirrors; absent: chains only. */
  readMirrors?: MirrorReader;
  now: Date;
}

export const verifyEvidenceLogs = async (store: LedgerStore, options: VerifyOptions): Promise<EvidenceLogCheck> => {
  const stored = CursorSchema.safeParse(await store.get(VERIFY_CURSOR_KEY));
  const cursor = stored.success ? stored.data.cursor : null;
  const limit = options.limit ?? DEFAULT_LOGS_PER_RUN;
  const page = await store.listPage(LOG_HEAD_PREFIX, cursor, limit).catch((error: unknown) => {
    if (cursor === null) throw error;
    return store.listPage(LOG_HEAD_PREFIX, null, limit);
  });
  const ids = page.entries.map(({ key }) => key.slice(LOG_HEAD_PREFIX.length));
  const damaged: EvidenceLogCheck['damaged'] = [];
  const readings = new Map<string, Awaited<ReturnType<typeof readEvidenceWithNote>>>();
  for (const issueId of ids) {
    const reading = await readEvidenceWithNote(store, issueId);
    readings.set(issueId, reading);
    if (reading.problems.length) damaged.push({ issueId, problems: reading.problems.map(describeChainProblem) });
  }
  let mirrors: EvidenceLogCheck['mirrors'] = { notCompared: 'no reader of the issues' };
  const tampered: EvidenceLogCheck['tampered'] = [];
  if (options.readMirrors && ids.length) {
    try {
      const found = await options.readMirrors(ids);
      for (const [issueId, mirror] of found) {
        const reading = readings.get(issueId);
        if (!reading) continue;
        // Chain problems are reported above; here only what the mirror shows.
        const { differences } = compareEvidence({ records: reading.records, problems: [] }, mirror, options.now, reading.note);
        if (differences.length) tampered.push({ issueId, differences });
      }
      mirrors = { compared: found.size };
    } catch (error) {
      if (!isAppError(error)) throw error;
      mirrors = { notCompared: error.message };
    }
  } else if (options.readMirrors) mirrors = { compared: 0 };
  await store.set(VERIFY_CURSOR_KEY, { cursor: page.nextCursor });
  const key = await readPublicKey(store);
  return { verified: ids.length, damaged, tampered, mirrors, reachedEnd: page.nextCursor === null, key: key ? { publicKey: key.publicKey, keyId: key.keyId } : null };
};
