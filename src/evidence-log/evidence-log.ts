/**
 * The app's evidence log: append-only, one hash chain per issue, in app storage that no Jira user
 * can reach. Appends are idempotent on the transition's executionId and safe against concurrent
 * appends (each record key is written only if absent; a lost race re-reads and retries).
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../shared/app-error';
import type { LedgerStore } from '../ports/ledger-store';
import type { EvidenceProperty } from '../jira/evidence-property';
import { projectLog } from './mirror';
import { chainRecord, ChainReading, verifyChain } from './hash-chain';
import type { LogEntry, LogRecord } from './log-record';
import { logHeadKey, logRecordKey, logRecordPrefix, MAX_LOG_SEQ } from './log-keys';
import { readTamperNote, TamperNote } from './tamper-note';

export interface EvidenceLogOptions {
  /** 16 random bytes, hex (the actor digest's salt). Injected by tests. */
  newSalt?: () => string;
  /** Appends that lose a race re-read and try again, this many times in all. */
  maxAttempts?: number;
}

export class EvidenceLogContentionError extends AppError {
  readonly code = 'EVIDENCE_LOG_CONTENTION';
  constructor(
    readonly issueId: string,
    readonly attempts: number,
  ) {
    super(`the evidence log of issue ${issueId} kept changing during ${attempts} attempts to append`);
  }
}

export class EvidenceLogFullError extends AppError {
  readonly code = 'EVIDENCE_LOG_FULL';
  constructor(readonly issueId: string) {
    super(`the evidence log of issue ${issueId} has reached ${MAX_LOG_SEQ} records`);
  }
}

/** `chain`: the issue's readable records after the append (what the mirror shows), and what is wrong with them. */
export type AppendResult = { outcome: 'appended' | 'duplicate'; record: LogRecord; attempts: number; chain: Pick<ChainReading, 'records' | 'problems'> };

/** An issue's records and what is wrong with its chain (an empty list: intact). */
export const readEvidenceLog = async (store: LedgerStore, issueId: string): Promise<ChainReading> => {
  const [entries, head] = await Promise.all([store.listByPrefix(logRecordPrefix(issueId)), store.get(logHeadKey(issueId))]);
  return verifyChain(issueId, entries, head);
};

/** What a reader compares the mirror with: the chain and what the app noted about the mirror before. */
export type EvidenceReading = ChainReading & { note?: TamperNote };

/** The chain and the tamper note, read together (three KVS reads in parallel). */
export const readEvidenceWithNote = async (store: LedgerStore, issueId: string): Promise<EvidenceReading> => {
  const [reading, note] = await Promise.all([readEvidenceLog(store, issueId), readTamperNote(store, issueId)]);
  return { ...reading, note };
};

/** The records that can count as evidence: a record whose hash does not verify never does (callers fail closed). */
export const trustedRecords = (reading: ChainReading): LogRecord[] => {
  const doubtful = new Set(reading.problems.filter((p) => p.kind === 'altered' || p.kind === 'misplaced').map((p) => p.seq));
  return reading.records.filter((r) => !doubtful.has(r.seq));
};

/** What decides: the trusted records in the shape `mapChange` takes as evidence. */
export const logEvidence = (reading: ChainReading): EvidenceProperty => projectLog(trustedRecords(reading));

const randomSalt = () => randomBytes(16).toString('hex');

export const appendEvidenceLog = async (store: LedgerStore, entry: LogEntry, options: EvidenceLogOptions = {}): Promise<AppendResult> => {
  const maxAttempts = options.maxAttempts ?? 5;
  const newSalt = options.newSalt ?? randomSalt;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const { records, problems, next } = await readEvidenceLog(store, entry.issueId);
    const existing = records.find((r) => r.executionId === entry.executionId);
    if (existing) return { outcome: 'duplicate', record: existing, attempts: attempt, chain: { records, problems } };
    // A damaged chain stays reported; it never stops new evidence being recorded.
    const record = chainRecord(entry, next, newSalt());
    if (record.seq > MAX_LOG_SEQ) throw new EvidenceLogFullError(entry.issueId);
    if ((await store.setIfAbsent(logRecordKey(entry.issueId, record.seq), record)) === 'exists') continue;
    await store.set(logHeadKey(entry.issueId), { seq: record.seq, hash: record.hash });
    return { outcome: 'appended', record, attempts: attempt, chain: { records: [...records, record], problems } };
  }
  throw new EvidenceLogContentionError(entry.issueId, maxAttempts);
};
