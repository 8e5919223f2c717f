/**
 * The deployment gate's log in app storage (no Jira user can reach it): one record per change a
 * gate call judged, or one `none` record for a call that named no change. Append-only; each record
 * carries the SHA-256 of its content, so an altered record is detectable.
 * Keys: `cc81:deploy:<issueId | none>:<ISO time>:<callId>` — an issue's deployments in time order
 * with one prefix query (the panel), every recorded call with another (`cc81 reconcile`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ERASED_PREFIX } from '../privacy/account-references';
import { z } from 'zod';
import { ReasonCodeSchema, type Deployment } from '../domain';
import type { LedgerStore } from '../ports/ledger-store';

export const GATE_RECORD_PREFIX = 'cc81:deploy:';
export const NO_ISSUE = 'none';

export const GateReasonSchema = z.object({ code: ReasonCodeSchema, message: z.string() });
export type GateReason = z.infer<typeof GateReasonSchema>;

export const GateRecordSchema = z.object({
  v: z.literal(1),
  /** One gate call; the records of a call that named several changes share it. */
  callId: z.string().regex(/^[0-9a-f]{32}$/),
  at: z.iso.datetime({ offset: true }),
  environment: z.string(),
  sha: z.string().nullable(),
  deployer: z.string(),
  deployerAccountId: z.string().nullable(),
  /**
   * The hash covers SHA-256(`cc81-deployer:<salt>:<account id>`), not the id, so the personal-data
   * job can erase a closed account (replace the id, drop the salt) and the record still verifies.
   */
  deployerSalt: z.string().regex(/^[0-9a-f]{32}$/).nullable(),
  deployerDigest: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  pipelineId: z.string(),
  pipelineName: z.string(),
  /** The change judged; null when the call named none. */
  issueId: z.string().regex(/^\d+$/).nullable(),
  changeKey: z.string().nullable(),
  /** Keys the call named or its texts mentioned (all of them, including ones that are no change). */
  namedKeys: z.array(z.string()),
  decision: z.enum(['allow', 'deny']),
  path: z.enum(['approved', 'emergency', 'refused']),
  reasons: z.array(GateReasonSchema),
  notices: z.array(GateReasonSchema),
  /** The emergency post-hoc clock started with this deployment. */
  startsPostHocClock: z.boolean(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type GateRecord = z.infer<typeof GateRecordSchema>;
export type GateRecordInput = Omit<GateRecord, 'v' | 'hash' | 'deployerSalt' | 'deployerDigest'>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const deployerDigestOf = (salt: string, accountId: string) => sha256(`cc81-deployer:${salt}:${accountId}`);

const digest = (r: Omit<GateRecord, 'hash'>): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        'cc81-gate',
        r.v,
        r.callId,
        r.at,
        r.environment,
        r.sha,
        r.deployer,
        r.deployerDigest,
        r.pipelineId,
        r.pipelineName,
        r.issueId,
        r.changeKey,
        r.namedKeys,
        r.decision,
        r.path,
        r.reasons,
        r.notices,
        r.startsPostHocClock,
      ]),
      'utf8',
    )
    .digest('hex');

export const gateRecordKey = (r: Pick<GateRecord, 'issueId' | 'at' | 'callId'>): string => `${GATE_RECORD_PREFIX}${r.issueId ?? NO_ISSUE}:${r.at}:${r.callId}`;
export const gateRecordPrefix = (issueId: string | null): string => `${GATE_RECORD_PREFIX}${issueId ?? NO_ISSUE}:`;

/** `salt`: 16 random bytes, hex (injected by tests). */
export const sealGateRecord = (input: GateRecordInput, salt: string = randomBytes(16).toString('hex')): GateRecord => {
  const withDeployer = input.deployerAccountId === null
    ? { deployerSalt: null, deployerDigest: null }
    : { deployerSalt: salt, deployerDigest: deployerDigestOf(salt, input.deployerAccountId) };
  const body = { v: 1 as const, ...input, ...withDeployer };
  return { ...body, hash: digest(body) };
};

/** Writes a record once (a retried call with the same callId writes nothing more). */
export const appendGateRecord = async (store: LedgerStore, input: GateRecordInput): Promise<GateRecord> => {
  const record = sealGateRecord(input);
  await store.setIfAbsent(gateRecordKey(record), record);
  return record;
};

export interface GateRecordReading {
  records: GateRecord[];
  /** Keys whose value does not parse, or whose content no longer matches its hash. */
  altered: string[];
}

/** Whether a record's content still matches its hash (and its deployer its digest, while the salt is kept). */
export const isIntactGateRecord = (record: GateRecord): boolean => {
  if (record.hash !== digest(record)) return false;
  if (record.deployerSalt === null || record.deployerAccountId === null || record.deployerAccountId.startsWith(ERASED_PREFIX)) return true;
  return record.deployerDigest === deployerDigestOf(record.deployerSalt, record.deployerAccountId);
};

const readEntries = (entries: Array<{ key: string; value: unknown }>): GateRecordReading => {
  const records: GateRecord[] = [];
  const altered: string[] = [];
  for (const { key, value } of entries) {
    const parsed = GateRecordSchema.safeParse(value);
    if (!parsed.success || !isIntactGateRecord(parsed.data) || gateRecordKey(parsed.data) !== key) altered.push(key);
    else records.push(parsed.data);
  }
  return { records, altered };
};

/** One change's recorded gate calls, oldest first. One KVS query (paged). */
export const readGateRecords = async (store: LedgerStore, issueId: string): Promise<GateRecordReading> => readEntries(await store.listByPrefix(gateRecordPrefix(issueId)));

/** Every recorded gate call on the site, by change then time (for reconciliation). */
export const readAllGateRecords = async (store: LedgerStore): Promise<GateRecordReading> => readEntries(await store.listByPrefix(GATE_RECORD_PREFIX));

/**
 * The deployments the records describe, one per gate call in first-seen order (a call that judged
 * several changes is one deployment naming them all), each with its call id. Only allowed calls
 * went out; a denied one is not a deployment.
 */
export const deploymentsOfRecords = (records: readonly GateRecord[]): Array<Deployment & { callId: string }> => {
  const byCall = new Map<string, GateRecord[]>();
  for (const r of records) {
    if (r.decision !== 'allow') continue;
    const group = byCall.get(r.callId);
    if (group) group.push(r);
    else byCall.set(r.callId, [r]);
  }
  return [...byCall.values()].map((group) => {
    const first = group[0]!;
    return {
      callId: first.callId,
      at: new Date(first.at),
      environment: first.environment,
      sha: first.sha,
      deployer: first.deployer,
      deployerAccountId: first.deployerAccountId,
      changeKeys: [...new Set(group.flatMap((r) => (r.changeKey ? [r.changeKey] : [])))],
    };
  });
};

/** The emergency deployments let through for a change before `now` (they may have started its post-hoc clock). */
export const emergencyDeploymentTimes = (records: readonly GateRecord[]): Date[] =>
  records.filter((r) => r.decision === 'allow' && r.path === 'emergency').map((r) => new Date(r.at));
