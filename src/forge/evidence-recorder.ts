/**
 * The Forge workflow post function that records who took a lifecycle step, and when: first in the
 * app's evidence log (app storage, hash-chained, beyond any Jira user's reach), then in the
 * `cc81.evidence` issue property, rewritten as a mirror of the log. It matters most for the
 * post-hoc approval loop, which leaves no status change in the changelog. Before rewriting the
 * mirror it compares what the issue shows with the log and notes any difference (`tamper-note.ts`),
 * so tampering stays reported after the rewrite. A move into Implemented also opens the issue's
 * entry in the sweep's app-only index (`posthoc-index.ts`). Runs after the transition, so it
 * cannot block: it logs (ids only) and returns; it never throws.
 */
import { Edge, EdgeId, EVIDENCE_EDGES, findEdge } from '../domain';
import { AppError, InvalidPayloadError, NotConfiguredError } from '../shared/app-error';
import { EVIDENCE_PROPERTY_KEY, ISSUE_PROPERTY_MAX_BYTES } from '../jira/evidence-property';
import { loadSigningKey, SEAL_MAX_BYTES, sealMirror } from '../evidence-log/mirror-seal';
import { appendEvidenceLog } from '../evidence-log/evidence-log';
import type { LogEntry } from '../evidence-log/log-record';
import { mirrorOf } from '../evidence-log/mirror';
import { createJiraClient } from '../jira/jira-client';
import { stateOfStatus } from '../jira/map-change';
import type { IssueJson } from '../jira/schemas';
import { countingTransport, JiraTransport } from '../jira/transport';
import { consoleLogger, LogFields, Logger } from '../ports/logger';
import { loadPolicy } from '../policy/policy-store';
import { ChangelogRefSchema, PostFunctionPayload, PostFunctionPayloadSchema } from './workflow-payloads';
import type { LedgerStore } from '../ports/ledger-store';
import { accountIdsOnlyOnIssue, currentDifferences } from '../evidence-log/evidence-integrity';
import { noteTamper, readTamperNote } from '../evidence-log/tamper-note';
import { openPostHocEntry } from '../sweep/posthoc-index';
import { noteUnrecordedStep, unrecordedKey } from '../evidence-log/unrecorded-steps';
import { FIRST_RETRY_DELAY_SECONDS, RecordRetryQueue, retryPayloadOf } from './evidence-retry-queue';

export interface EvidenceRecorderDeps {
  transport: JiraTransport;
  store: LedgerStore;
  clock: () => Date;
  log?: Logger;
  /** Where a failed recording is queued for a retry (`@forge/events`); absent: a failure is only logged and noted. */
  retryQueue?: RecordRetryQueue;
}

/** A retry records the step at the time it was taken, and does not queue itself again. */
export interface RecordOptions {
  at?: Date;
  retry?: boolean;
}

export type RecorderOutcome =
  /** In the log. `mirror`: whether the issue property now mirrors it (a failed write is redone by the next step). */
  | { outcome: 'recorded' | 'duplicate'; edge: EdgeId; mirror: 'written' | 'failed' }
  | { outcome: 'skipped'; reason: 'not-an-evidence-step' | 'no-from-status' }
  /** `retry`: queued for a retry, or not (a bad payload, no queue, or the queue refused). */
  | { outcome: 'failed'; code: string; retry: 'queued' | 'not-queued'; edge: EdgeId | null };

const LOG_EVENT = 'cc81-evidence-recorder';

/** Idempotency key: the transition's executionId; else the changelog id; else none (unconfirmed payload). */
const executionIdOf = (executionId: string | null | undefined, changelog: unknown, issueId: string, edge: Edge, at: Date) => {
  if (executionId) return { id: executionId, source: 'executionId' };
  const ref = ChangelogRefSchema.safeParse(changelog);
  if (ref.success) return { id: `changelog:${ref.data.id}`, source: 'changelog.id' };
  return { id: `generated:${issueId}:${edge.id}:${at.toISOString()}`, source: 'generated' };
};

/** The mirror sealed with the app's key; unsealed (and logged) when the key cannot be read: the copy still serves JQL and expressions. */
const sealed = async (store: LedgerStore, mirror: ReturnType<typeof mirrorOf>, issueId: string, now: Date, fields: Record<string, LogFields[string]>) => {
  try {
    return sealMirror(mirror.property, issueId, mirror.omitted, await loadSigningKey(store, now));
  } catch (error) {
    fields.sealErrorCode = error instanceof AppError ? error.code : 'UNEXPECTED';
    return mirror.property;
  }
};

export const createEvidenceRecorder =
  (deps: EvidenceRecorderDeps) =>
  async (payload: unknown, options: RecordOptions = {}): Promise<RecorderOutcome> => {
    const log = deps.log ?? consoleLogger;
    const counted = countingTransport(deps.transport);
    const fields: Record<string, LogFields[string]> = {};
    const finish = (outcome: RecorderOutcome, extra: LogFields = {}): RecorderOutcome => {
      log(LOG_EVENT, { ...fields, ...extra, outcome: outcome.outcome, restCalls: counted.count() });
      return outcome;
    };
    const at = options.at ?? deps.clock();
    const parsed = PostFunctionPayloadSchema.safeParse(payload);
    let knownEdge: EdgeId | null = null;
    try {
      if (!parsed.success) throw InvalidPayloadError.fromZod('post function payload', parsed.error);
      const { issue, transition, atlassianId, changelog } = parsed.data;
      Object.assign(fields, { issueKey: issue.key, issueId: issue.id ?? null, toStatus: transition.to.id, fromStatus: transition.from?.id ?? null });
      if (!transition.from) return finish({ outcome: 'skipped', reason: 'no-from-status' });

      const { policy, version } = await loadPolicy(deps.store);
      fields.policyVersion = version;
      const from = stateOfStatus(policy, transition.from.id);
      const to = stateOfStatus(policy, transition.to.id);
      const edge = findEdge(from, to);
      if (!edge) throw new NotConfiguredError(`no CC8.1 lifecycle step goes from ${from} to ${to}`, 'Correct the workflow or the status mapping.');
      fields.edge = edge.id;
      knownEdge = edge.id;
      if (!EVIDENCE_EDGES.has(edge.id)) return finish({ outcome: 'skipped', reason: 'not-an-evidence-step' });

      const client = createJiraClient(counted.transport, { now: deps.clock });
      // One read gives the issue id (the log is keyed by it: a key changes when the issue moves) and
      // the mirror as users left it, compared with the log before it is rewritten. When Jira sent
      // the id, a failed read only skips that comparison: the step is still recorded.
      let current: IssueJson | null = null;
      try {
        current = await client.getIssue(issue.id ?? issue.key, { fields: ['status'], properties: [EVIDENCE_PROPERTY_KEY] });
      } catch (error) {
        if (!issue.id) throw error;
        fields.mirrorReadErrorCode = error instanceof AppError ? error.code : 'UNEXPECTED';
      }
      const issueId = issue.id ?? current!.id;
      const execution = executionIdOf(transition.executionId, changelog, issueId, edge, at);
      Object.assign(fields, { issueId, executionId: execution.id, executionIdSource: execution.source, actorAccountId: atlassianId ?? null });
      const entry: LogEntry = { issueId, edge: edge.id, from, to, accountId: atlassianId ?? null, at: at.toISOString(), executionId: execution.id };

      const appended = await appendEvidenceLog(deps.store, entry);
      Object.assign(fields, { logSeq: appended.record.seq, logAttempts: appended.attempts });
      const outcome = appended.outcome === 'appended' ? 'recorded' : 'duplicate';
      if (to === 'Implemented') await openPostHocEntry(deps.store, issueId, at);
      const note = await readTamperNote(deps.store, issueId);
      const { records, problems } = appended.chain;
      // The step just logged is within the grace period, so its absence from the old mirror is no difference.
      const oldMirror = current?.properties?.[EVIDENCE_PROPERTY_KEY];
      const differences = current ? currentDifferences(appended.chain, oldMirror, at, note.mirrorStaleSince !== null) : [];
      fields.mirrorDifferences = differences.length;
      let mirrorWritten = false;
      try {
        const mirror = mirrorOf(records, ISSUE_PROPERTY_MAX_BYTES - SEAL_MAX_BYTES);
        await client.setIssueProperty(issueId, EVIDENCE_PROPERTY_KEY, await sealed(deps.store, mirror, issueId, at, fields));
        mirrorWritten = true;
        Object.assign(fields, { mirrorOmitted: mirror.omitted, chainProblems: problems.length });
      } catch (error) {
        // The log holds the record; the mirror is only a copy, rewritten whole at the next step.
        fields.mirrorErrorCode = error instanceof AppError ? error.code : 'UNEXPECTED';
      }
      await noteTamper(deps.store, issueId, note, { differences, accountIds: accountIdsOnlyOnIssue(appended.chain, oldMirror), mirrorStale: !mirrorWritten, seenBy: 'recorder' }, at);
      return finish({ outcome, edge: edge.id, mirror: mirrorWritten ? 'written' : 'failed' });
    } catch (error) {
      // Post functions cannot block the transition: log the failure (ids and codes only) and return.
      // REST is as the app: no user-consent prompt (NeedsAuthenticationError) can arise here.
      const code = error instanceof AppError ? error.code : 'UNEXPECTED';
      const errorFields = { errorCode: code, errorName: error instanceof Error ? error.name : typeof error };
      if (!parsed.success || options.retry) return finish({ outcome: 'failed', code, retry: 'not-queued', edge: knownEdge }, errorFields);
      const retry = await queueRetry(deps, parsed.data, { at, code, edge: knownEdge }, fields);
      return finish({ outcome: 'failed', code, retry, edge: knownEdge }, errorFields);
    }
  };

/**
 * Queues the step for a retry (the consumer records it with the time it was taken) and notes it as
 * unrecorded, for the panel and the self-test. Each part is best effort: the one that fails is logged.
 */
const queueRetry = async (
  deps: EvidenceRecorderDeps,
  payload: PostFunctionPayload,
  { at, code, edge }: { at: Date; code: string; edge: EdgeId | null },
  fields: Record<string, LogFields[string]>,
): Promise<'queued' | 'not-queued'> => {
  const markerId = payload.transition.executionId ?? `${payload.issue.id ?? payload.issue.key}:${payload.transition.to.id}:${at.toISOString()}`;
  let retry: 'queued' | 'not-queued' = 'not-queued';
  if (deps.retryQueue) {
    try {
      await deps.retryQueue.push({ payload: retryPayloadOf(payload), at: at.toISOString(), markerId }, FIRST_RETRY_DELAY_SECONDS);
      retry = 'queued';
    } catch (error) {
      fields.retryQueueErrorName = error instanceof Error ? error.name : typeof error;
    }
  }
  try {
    await noteUnrecordedStep(deps.store, markerId, {
      v: 1,
      issueId: payload.issue.id ?? null,
      issueKey: payload.issue.key,
      edge,
      at: at.toISOString(),
      state: retry === 'queued' ? 'retrying' : 'lost',
      attempts: 1,
      lastErrorCode: code,
      updatedAt: deps.clock().toISOString(),
    });
  } catch (error) {
    fields.unrecordedNoteErrorName = error instanceof Error ? error.name : typeof error;
  }
  fields.unrecordedKey = unrecordedKey(payload.issue.id ?? payload.issue.key, markerId);
  return retry;
};
