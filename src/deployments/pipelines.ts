/**
 * The pipelines allowed to call the deployment gate, in app storage (`cc81:pipeline:<id>`). Each
 * has one secret; the app keeps its SHA-256 (`hashSecret`) and a 4-character hint, never the
 * secret. Rotating replaces the hash: the old secret stops working at once. Revoking keeps the
 * record (its name still labels past gate calls) and refuses it from then on.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../shared/app-error';
import type { LedgerStore } from '../ports/ledger-store';
import { hashSecret, parsePipelineToken, pipelineToken, sameSecretText } from './gate-signature';

export const PIPELINE_PREFIX = 'cc81:pipeline:';
export const pipelineKey = (id: string): string => `${PIPELINE_PREFIX}${id}`;
/** At most this many live pipelines per site: enough for every repository's pipeline, bounded for the admin page. */
export const MAX_PIPELINES = 100;

export const PipelineRecordSchema = z.object({
  v: z.literal(1),
  id: z.string().regex(/^[0-9a-f]{16}$/),
  name: z.string(),
  createdAt: z.string(),
  /** An object with `accountId`, so the personal-data job reports it and drops the name of a closed or changed account. */
  createdBy: z.object({ accountId: z.string(), displayName: z.string().nullable() }).nullable(),
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  secretHint: z.string(),
  secretSetAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type PipelineRecord = z.infer<typeof PipelineRecordSchema>;

export interface PipelineRandom {
  /** `n` random bytes, hex. */
  hex(n: number): string;
}
export const cryptoRandom: PipelineRandom = { hex: (n) => randomBytes(n).toString('hex') };

export class PipelineIdTakenError extends AppError {
  readonly code = 'PIPELINE_ID_TAKEN';
  constructor() {
    super('three random pipeline ids in a row were taken; try again');
  }
}

export class PipelineNotFoundError extends AppError {
  readonly code = 'PIPELINE_NOT_FOUND';
  constructor(readonly pipelineId: string) {
    super(`no live pipeline ${pipelineId}: it was revoked, or never existed`);
  }
}

/** Live pipelines, oldest first. A record that does not parse is left out (and counted). */
export const listPipelines = async (store: LedgerStore): Promise<{ pipelines: PipelineRecord[]; unreadable: number }> => {
  const entries = await store.listByPrefix(PIPELINE_PREFIX);
  const pipelines: PipelineRecord[] = [];
  let unreadable = 0;
  for (const { value } of entries) {
    const parsed = PipelineRecordSchema.safeParse(value);
    if (!parsed.success) unreadable += 1;
    else if (parsed.data.revokedAt === null) pipelines.push(parsed.data);
  }
  return { pipelines: pipelines.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), unreadable };
};

const readPipeline = async (store: LedgerStore, id: string): Promise<PipelineRecord | null> => {
  const parsed = PipelineRecordSchema.safeParse(await store.get(pipelineKey(id)));
  return parsed.success ? parsed.data : null;
};

const newSecret = (random: PipelineRandom) => random.hex(32);

export const createPipeline = async (store: LedgerStore, input: { name: string; by: PipelineRecord['createdBy']; now: Date; random?: PipelineRandom }): Promise<{ record: PipelineRecord; token: string }> => {
  const random = input.random ?? cryptoRandom;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const id = random.hex(8);
    const secret = newSecret(random);
    const at = input.now.toISOString();
    const record: PipelineRecord = { v: 1, id, name: input.name, createdAt: at, createdBy: input.by, secretHash: hashSecret(secret), secretHint: secret.slice(0, 4), secretSetAt: at, revokedAt: null, lastUsedAt: null };
    if ((await store.setIfAbsent(pipelineKey(id), record)) === 'written') return { record, token: pipelineToken(id, secret) };
  }
  throw new PipelineIdTakenError();
};

/** A new secret for a live pipeline; the old one stops working at once. */
export const rotatePipelineSecret = async (store: LedgerStore, id: string, now: Date, random: PipelineRandom = cryptoRandom): Promise<{ record: PipelineRecord; token: string }> => {
  const current = await readPipeline(store, id);
  if (!current || current.revokedAt !== null) throw new PipelineNotFoundError(id);
  const secret = newSecret(random);
  const record: PipelineRecord = { ...current, secretHash: hashSecret(secret), secretHint: secret.slice(0, 4), secretSetAt: now.toISOString() };
  await store.set(pipelineKey(id), record);
  return { record, token: pipelineToken(id, secret) };
};

export const revokePipeline = async (store: LedgerStore, id: string, now: Date): Promise<PipelineRecord> => {
  const current = await readPipeline(store, id);
  if (!current || current.revokedAt !== null) throw new PipelineNotFoundError(id);
  const record: PipelineRecord = { ...current, revokedAt: now.toISOString() };
  await store.set(pipelineKey(id), record);
  return record;
};

/** The live pipeline whose token this is, or null (unknown, revoked, rotated away, or not a token). One KVS read. */
export const pipelineOfToken = async (store: LedgerStore, token: string): Promise<{ record: PipelineRecord; secret: string } | null> => {
  const parsed = parsePipelineToken(token);
  if (!parsed) return null;
  const record = await readPipeline(store, parsed.pipelineId);
  if (!record || record.revokedAt !== null || !sameSecretText(record.secretHash, hashSecret(parsed.secret))) return null;
  return { record, secret: parsed.secret };
};

/** Notes the time of the pipeline's last accepted call (admin page); at most one write a minute. */
export const markPipelineUsed = async (store: LedgerStore, record: PipelineRecord, now: Date): Promise<void> => {
  if (record.lastUsedAt && now.getTime() - new Date(record.lastUsedAt).getTime() < 60_000) return;
  await store.set(pipelineKey(record.id), { ...record, lastUsedAt: now.toISOString() });
};
