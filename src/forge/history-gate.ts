/**
 * The Forge function workflow validator. It decides from what no Jira user can edit: the
 * changelog (status changes and their authors) and the app's evidence log. Its rules: standing
 * approval by a non-implementer, no material change since approval, post-hoc approval before
 * Close, and again the implementer checks the compiled expressions make from the user-writable
 * `cc81.evidence` mirror. Everything else is checked by the compiled Jira-expression validators.
 *
 * 2 REST calls (GET issue with the mapped fields; one bulk changelog page) and one app-storage
 * query, none for edges without gate rules. Never throws: every failure blocks the transition with
 * a message saying what happened and what to do.
 */
import {
  Actor,
  ChangeFieldsSchema,
  Edge,
  evaluateHistoryGate,
  FieldEntry,
  FieldKey,
  findEdge,
  Policy,
  rawFieldValue,
  needsHistoryGate,
  sameRaw,
} from '../domain';
import { AppError, HistoryTooLongError, InvalidPayloadError, MalformedResponseError, NotConfiguredError } from '../shared/app-error';
import { logEvidence, readEvidenceLog } from '../evidence-log/evidence-log';
import { ChainReading } from '../evidence-log/hash-chain';
import { parseFieldValue, readingOf } from '../jira/field-value';
import { createJiraClient, JiraClient } from '../jira/jira-client';
import { changeFieldIds, fieldKeysById, mapChange, MappedChange, stateOfStatus } from '../jira/map-change';
import { BULK_CHANGELOG_LIMITS, BulkChangelogPage, Changelog, IssueJson } from '../jira/schemas';
import { countingTransport, JiraTransport } from '../jira/transport';
import { gateErrorMessage } from './history-gate-messages';
import { withRecurringWindows } from '../schedule/recurring-window';
import { consoleLogger, Logger, LogFields } from '../ports/logger';
import { loadPolicy } from '../policy/policy-store';
import { actorFromContext, modifiedFieldsOf, ValidatorPayload, ValidatorPayloadSchema } from './workflow-payloads';
import type { LedgerStore } from '../ports/ledger-store';
import { gateChangelogFieldIds } from '../jira/changelog-fields';

export type ValidatorResult = { result: true } | { result: false; errorMessage: string };

export interface HistoryGateDeps {
  transport: JiraTransport;
  store: LedgerStore;
  clock: () => Date;
  log?: Logger;
  /** Waits between re-reads of the log (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** Re-reads of the log while a post-hoc approval may still be being recorded (default 3, 1.5 s apart). */
  postHocRereads?: { times: number; everyMs: number };
}

const POSTHOC_REREADS = { times: 3, everyMs: 1_500 };
const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const LOG_EVENT = 'cc81-history-gate';


interface Fetched {
  issue: IssueJson;
  histories: Changelog[];
}

const fetchIssue = async (client: JiraClient, key: string, policy: Policy): Promise<Fetched> => {
  const [issue, page] = await Promise.all([client.getIssue(key, { fields: changeFieldIds(policy) }), client.bulkFetchChangelogs([key], gateChangelogFieldIds(policy))]);
  if (page.nextPageToken) throw new HistoryTooLongError(key, client.changelogPageSize);
  return { issue, histories: historiesOf(issue, page.issueChangeLogs) };
};

/** The change as the gate sees it: Jira's fields and changelog, and the app's log (never the issue property). */
const mapFromLog = (fetched: Fetched, reading: ChainReading, policy: Policy): MappedChange =>
  mapChange({ issue: fetched.issue, histories: fetched.histories, evidence: logEvidence(reading) }, policy);

/** The issue's own histories (bulkfetch answers by issue id). */
const historiesOf = (issue: IssueJson, logs: BulkChangelogPage['issueChangeLogs']): Changelog[] =>
  logs.filter((log) => log.issueId === issue.id).flatMap((log) => log.changeHistories);

/**
 * Applies transition-screen edits (`modifiedFields`, keyed by Jira field id) to the change. An edit
 * that changes a value is also a field entry at `now` by the actor, as the changelog will record
 * it: editing a material field (the implementer, say) on the Implement screen voids the approval.
 */
const applyScreenEdits = (mapped: MappedChange, modified: Record<string, unknown>, policy: Policy, actor: Actor, now: Date): MappedChange => {
  const fieldsById = fieldKeysById(policy);
  const values: Record<string, unknown> = { ...mapped.change.fields };
  const touched: FieldKey[] = [];
  for (const [id, value] of Object.entries(modified)) {
    const field = fieldsById.get(id);
    if (!field) continue;
    const parsed = parseFieldValue(field, value, { bareAccountIds: true, ...readingOf(policy, field) });
    if (!parsed.ok) throw new InvalidPayloadError('validator payload', [{ path: `modifiedFields.${id} (${field})`, problem: parsed.problem }]);
    values[field] = parsed.value;
    touched.push(field);
  }
  if (touched.length === 0) return mapped;
  const next = ChangeFieldsSchema.safeParse(values);
  if (!next.success) throw InvalidPayloadError.fromZod('validator payload modifiedFields', next.error);
  const edits: FieldEntry[] = [];
  for (const field of touched) {
    const from = rawFieldValue(mapped.change.fields, field);
    const to = rawFieldValue(next.data, field);
    if (!sameRaw(from, to)) edits.push({ kind: 'field', at: now, actor, field, from, to });
  }
  return { ...mapped, change: { ...mapped.change, fields: next.data }, history: [...mapped.history, ...edits] };
};

const resolveEdge = (payload: ValidatorPayload, policy: Policy): Edge => {
  const from = stateOfStatus(policy, payload.transition.from.id);
  const to = stateOfStatus(policy, payload.transition.to.id);
  const edge = findEdge(from, to);
  if (!edge) {
    throw new NotConfiguredError(
      `this workflow moves a change from ${from} to ${to}, which is not a CC8.1 lifecycle step`,
      'Ask a Jira admin to remove this transition from the workflow or correct the status mapping on the CC8.1 admin page.',
    );
  }
  return edge;
};

/** Blocked only for want of a post-hoc approval record: one may still be on its way to the log. */
const awaitingPostHoc = (verdict: { allowed: boolean; reasons: { code: string }[] }): boolean =>
  !verdict.allowed && verdict.reasons.every((r) => r.code === 'EMERGENCY_POSTHOC_MISSING');

const POSTHOC_RETRY_HINT = 'If it was approved moments ago, wait a few seconds and try again: the approval is still being recorded.';

/** The validator, with its dependencies injected. */
export const createHistoryGate =
  (deps: HistoryGateDeps) =>
  async (payload: unknown, context?: unknown): Promise<ValidatorResult> => {
    const log = deps.log ?? consoleLogger;
    const counted = countingTransport(deps.transport);
    const fields: Record<string, LogFields[string]> = {};
    const finish = (result: ValidatorResult, extra: LogFields): ValidatorResult => {
      log(LOG_EVENT, { ...fields, ...extra, restCalls: counted.count() });
      return result;
    };
    try {
      const parsed = ValidatorPayloadSchema.safeParse(payload);
      if (!parsed.success) throw InvalidPayloadError.fromZod('validator payload', parsed.error);
      const input = parsed.data;
      Object.assign(fields, { issueKey: input.issue.key, fromStatus: input.transition.from.id, toStatus: input.transition.to.id });

      const { policy, version } = await loadPolicy(deps.store);
      fields.policyVersion = version;
      const edge = resolveEdge(input, policy);
      fields.edge = edge.id;
      if (!needsHistoryGate(edge, policy)) return finish({ result: true }, { outcome: 'allowed', reason: 'no-history-rules' });

      const who = actorFromContext(context);
      Object.assign(fields, { actorSource: who.source, actorAccountId: who.accountId });
      const actor: Actor = who.accountId ? { accountId: who.accountId } : null;
      const now = deps.clock();

      const client = createJiraClient(counted.transport, { now: deps.clock, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults });
      const fetched = await fetchIssue(client, input.issue.key, policy);
      const modified = modifiedFieldsOf(input);
      let reads = 0;
      const decide = async () => {
        reads += 1;
        const reading = await readEvidenceLog(deps.store, fetched.issue.id);
        const mapped = mapFromLog(fetched, reading, policy);
        Object.assign(fields, { ...mapped.stats, historyEntries: mapped.history.length, logRecords: reading.records.length, chainProblems: reading.problems.length, logReads: reads });
        const { change, history } = applyScreenEdits(mapped, modified, policy, actor, now);
        // Read after the screen's edits: a recurring window typed on the Schedule screen is judged as typed.
        return evaluateHistoryGate(withRecurringWindows(change, history, now), edge.id, actor, policy, now, history);
      };

      let verdict = await decide();
      // Post functions run after the transition: a post-hoc approval taken seconds ago may not be in
      // the log yet. Re-read it for a few seconds; only the log's record can let Close through.
      const rereads = deps.postHocRereads ?? POSTHOC_REREADS;
      const sleep = deps.sleep ?? timerSleep;
      for (let i = 0; i < rereads.times && awaitingPostHoc(verdict); i += 1) {
        await sleep(rereads.everyMs);
        verdict = await decide();
      }
      const codes = verdict.reasons.map((r) => r.code).join(',');
      if (verdict.allowed) return finish({ result: true }, { outcome: 'allowed' });
      const message = verdict.reasons.map((r) => r.message).join(' ') + (awaitingPostHoc(verdict) ? ` ${POSTHOC_RETRY_HINT}` : '');
      return finish({ result: false, errorMessage: message }, { outcome: 'blocked', reasons: codes });
    } catch (error) {
      // The handler is the one place errors stop: every failure blocks with a message. (REST is as
      // the app here, so Forge's NeedsAuthenticationError, a user-consent prompt, cannot occur.)
      return finish(
        { result: false, errorMessage: gateErrorMessage(error) },
        {
          outcome: 'error',
          errorCode: error instanceof AppError ? error.code : 'UNEXPECTED',
          errorName: error instanceof Error ? error.name : typeof error,
          ...(error instanceof MalformedResponseError ? { malformedAt: error.issues.map((i) => i.path).join(',') } : {}),
        },
      );
    }
  };
