/**
 * The per-issue hash chain: each record carries the SHA-256 of the one before, so an altered,
 * deleted or reordered record is detectable. Deterministic; no I/O.
 */
import { createHash } from 'node:crypto';
import { GENESIS_HASH, LogEntry, LogHead, LogHeadSchema, LogRecord, LogRecordSchema } from './log-record';
import { seqOfKey } from './log-keys';
import { ERASED_PREFIX } from '../privacy/account-references';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const digestActor = (salt: string, accountId: string): string => sha256(`cc81-actor:${salt}:${accountId}`);

type Hashed = Omit<LogRecord, 'hash' | 'accountId' | 'actorSalt'>;

/** The hash of a record's content: a JSON array in a fixed order, so the same record always hashes the same. */
export const hashRecord = (r: Hashed): string =>
  sha256(JSON.stringify(['cc81-log', r.v, r.issueId, r.seq, r.edge, r.from, r.to, r.actorDigest, r.at, r.executionId, r.prevHash]));

/** Where a new record goes: its sequence number and the hash it links to. */
export interface ChainPosition {
  seq: number;
  prevHash: string;
}

/** The record for `entry` at `position`. `salt` is 16 random bytes, hex. */
export const chainRecord = (entry: LogEntry, position: ChainPosition, salt: string): LogRecord => {
  const body: Hashed & Pick<LogRecord, 'accountId' | 'actorSalt'> = {
    v: 1,
    ...entry,
    seq: position.seq,
    actorSalt: entry.accountId === null ? null : salt,
    actorDigest: entry.accountId === null ? null : digestActor(salt, entry.accountId),
    prevHash: position.prevHash,
  };
  return { ...body, hash: hashRecord(body) };
};

export type ChainProblemKind = 'malformed' | 'altered' | 'broken-link' | 'gap' | 'truncated' | 'misplaced';
export interface ChainProblem {
  kind: ChainProblemKind;
  /** The record's sequence number (for `truncated`: the head's). */
  seq: number;
}

export interface StoredEntry {
  key: string;
  value: unknown;
}

export interface ChainReading {
  /** Records that parse and sit under their own key, in sequence order (intact or not). */
  records: LogRecord[];
  problems: ChainProblem[];
  /** Where the next record goes: after the highest stored number, linked to the last readable record. */
  next: ChainPosition;
}

/** Whether the stored account id still matches the digest the chain covers (not checkable once erased). */
const actorIntact = (r: LogRecord): boolean => {
  if (r.actorDigest === null) return r.accountId === null && r.actorSalt === null;
  if (r.actorSalt === null) return r.accountId?.startsWith(ERASED_PREFIX) === true; // erased by the privacy job: a token, the digest stays
  return r.accountId !== null && digestActor(r.actorSalt, r.accountId) === r.actorDigest;
};

/**
 * Checks an issue's stored records (`entries`: every key under its prefix, in key order) and its
 * head. Reports, by sequence number: values that are not records, records whose content no longer
 * matches their hash, links to a previous record that is not the one before (a deletion, an
 * alteration or a reordering), missing numbers, and records missing after the last one but
 * recorded in the head.
 */
export const verifyChain = (issueId: string, entries: readonly StoredEntry[], headValue: unknown): ChainReading => {
  const problems: ChainProblem[] = [];
  const records: LogRecord[] = [];
  let expectedSeq = 1;
  let previousHash: string | null = GENESIS_HASH;
  for (const { key, value } of entries) {
    const seq = seqOfKey(issueId, key);
    if (seq === null) continue; // another issue's prefix that happens to start the same (ids are digits: "12" vs "123" cannot)
    const parsed = LogRecordSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ kind: 'malformed', seq });
      expectedSeq = seq + 1;
      previousHash = null;
      continue;
    }
    const record = parsed.data;
    if (record.seq !== seq || record.issueId !== issueId) problems.push({ kind: 'misplaced', seq });
    if (seq > expectedSeq) problems.push({ kind: 'gap', seq });
    if (record.hash !== hashRecord(record) || !actorIntact(record)) problems.push({ kind: 'altered', seq });
    if (previousHash !== null && record.prevHash !== previousHash) problems.push({ kind: 'broken-link', seq });
    records.push(record);
    expectedSeq = seq + 1;
    previousHash = record.hash;
  }
  if (headValue !== undefined && headValue !== null) {
    const head = LogHeadSchema.safeParse(headValue);
    if (!head.success) problems.push({ kind: 'malformed', seq: 0 });
    else checkHead(head.data, records, problems);
  }
  return { records, problems, next: { seq: expectedSeq, prevHash: records.at(-1)?.hash ?? GENESIS_HASH } };
};

/** The head may lag by a record (a write between record and head failed), never lead or disagree. */
const checkHead = (head: LogHead, records: readonly LogRecord[], problems: ChainProblem[]) => {
  const last = records.at(-1);
  if (!last || last.seq < head.seq) {
    problems.push({ kind: 'truncated', seq: head.seq });
    return;
  }
  const atHead = records.find((r) => r.seq === head.seq);
  if (atHead && atHead.hash !== head.hash) problems.push({ kind: 'altered', seq: head.seq });
};

const PROBLEM_TEXT: Record<Exclude<ChainProblemKind, 'truncated'>, string> = {
  malformed: 'is not a valid log record',
  altered: 'no longer matches its hash',
  'broken-link': 'does not follow the record before it (one was deleted, altered or moved)',
  gap: 'follows a gap: earlier records are missing',
  misplaced: 'is stored under another issue or sequence number',
};

export const describeChainProblem = (p: ChainProblem): string =>
  p.kind === 'truncated' ? `the log ends before record ${p.seq}, the last one written` : p.seq === 0 ? 'the log head is not valid' : `log record ${p.seq} ${PROBLEM_TEXT[p.kind]}`;
