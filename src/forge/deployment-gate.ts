/**
 * The deployment gate (a Forge web trigger a pipeline calls before it deploys; issue 19). It
 * authenticates the pipeline (gate-auth.ts), finds the changes the call names, judges each as Mark
 * implemented would be judged from what no Jira user can edit (the changelog and the app's log;
 * `judgeDeployment`), records every judgement in the app's gate log and as a comment on the ticket,
 * and answers 200 (allow) or 403 (deny) with the reasons.
 *
 * Per named change: 1 REST call (the issue with its changelog; a second only past 100 histories),
 * 1 for the comment, KVS reads of the policy, the evidence log and the past gate calls. REST is
 * as the app: a web trigger has no user. Never throws; it fails closed: anything it cannot decide
 * is an error answer (503), which a pipeline must treat as "no".
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { changeKeysIn, IssueKeySchema, judgeDeployment, type DeploymentJudgement, type Policy, type Reason } from '../domain';
import { authenticateGateCall, type GateHttpRequest } from '../deployments/gate-auth';
import { appendGateRecord, emergencyDeploymentTimes, readGateRecords, type GateRecordInput } from '../deployments/gate-record';
import { GateRequestSchema, type GateAnswer, type GateRequest } from '../deployments/gate-signature';
import type { PipelineRecord } from '../deployments/pipelines';
import { logEvidence, readEvidenceLog } from '../evidence-log/evidence-log';
import { createJiraClient, type JiraClient } from '../jira/jira-client';
import { changeFieldIds, mapChange } from '../jira/map-change';
import { BULK_CHANGELOG_LIMITS, type Changelog } from '../jira/schemas';
import { createSearchClient } from '../jira/search';
import { countingTransport, type JiraTransport } from '../jira/transport';
import { gateChangelogFieldIds } from '../jira/changelog-fields';
import { loadPolicy } from '../policy/policy-store';
import { consoleLogger, type LogFields, type Logger } from '../ports/logger';
import type { LedgerStore } from '../ports/ledger-store';
import { withRecurringWindows } from '../schedule/recurring-window';
import { AppError, HistoryTooLongError } from '../shared/app-error';
import { openPostHocEntry } from '../sweep/posthoc-index';
import { deploymentComment } from './deployment-comment';
import { gateFailureMessage } from './deployment-gate-messages';

export interface WebTriggerAnswer {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

export interface DeploymentGateDeps {
  /** REST as the app. */
  transport: JiraTransport;
  store: LedgerStore;
  clock: () => Date;
  log?: Logger;
  /** 16 random bytes, hex: the call's id. */
  newCallId?: () => string;
}

/** The web trigger's module key in manifest.yml (a test checks they agree). */
export const DEPLOYMENT_GATE_MODULE_KEY = 'cc81-deployment-gate';

/** A call may name at most this many changes (a release of several); each costs a REST call or two. */
export const MAX_CHANGES_PER_CALL = 5;

const LOG_EVENT = 'cc81-deployment-gate';

const answer = (statusCode: number, body: unknown, extra: Record<string, string[]> = {}): WebTriggerAnswer => ({
  statusCode,
  headers: { 'Content-Type': ['application/json'], 'Cache-Control': ['no-store'], ...extra },
  body: JSON.stringify(body),
});
const errorAnswer = (statusCode: number, code: string, message: string, extra: Record<string, string[]> = {}) => answer(statusCode, { error: { code, message } }, extra);

const plain = (reasons: readonly Reason[]) => reasons.map((r) => ({ code: r.code, message: r.message }));

const parseRequest = (body: string): { ok: true; request: GateRequest; keys: string[] } | { ok: false; message: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, message: 'The body is not JSON: send a JSON object (see the README).' };
  }
  const parsed = GateRequestSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, message: `The request is not valid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}.` };
  }
  const request = parsed.data;
  const named = request.changeKey !== undefined ? z.array(IssueKeySchema).safeParse(request.changeKey.split(/[\s,]+/).filter(Boolean)) : null;
  if (named && !named.success) return { ok: false, message: `changeKey: ${named.error.issues[0]?.message ?? 'not an issue key'}.` };
  return { ok: true, request, keys: named ? named.data : changeKeysIn(request.branch, request.prTitle, request.commitMessage) };
};

interface Judged {
  key: string;
  issueId: string | null;
  judgement: DeploymentJudgement;
}

const notAChange = (key: string, why: string): Judged => ({
  key,
  issueId: null,
  judgement: { allowed: false, path: 'refused', reasons: [{ code: 'DEPLOYMENT_WITHOUT_CHANGE', message: `${key} ${why}`, people: [] }], notices: [], startsPostHocClock: false },
});

const IdSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String) }).nullish();
const ScopeFieldsSchema = z.object({ project: IdSchema, issuetype: IdSchema });

/** Whether the issue is in the policy's change project and of its issue type (an unreadable answer: not). */
const inScope = (fields: Record<string, unknown>, policy: Policy): boolean => {
  const parsed = ScopeFieldsSchema.safeParse(fields);
  return parsed.success && parsed.data.project?.id === policy.scope?.projectId && parsed.data.issuetype?.id === policy.scope?.issueTypeId;
};

/** The issue's histories: embedded when Jira sent them all, else every bulkfetch page (the gate's fields). */
const historiesOf = async (client: JiraClient, issueId: string, embedded: { histories: Changelog[]; complete: boolean }, policy: Policy): Promise<Changelog[]> => {
  if (embedded.complete) return embedded.histories;
  const page = await client.bulkFetchChangelogs([issueId], gateChangelogFieldIds(policy));
  if (page.nextPageToken) throw new HistoryTooLongError(issueId, client.changelogPageSize);
  return page.issueChangeLogs.filter((l) => l.issueId === issueId).flatMap((l) => l.changeHistories);
};

const judgeOne = async (deps: DeploymentGateDeps, client: JiraClient, key: string, policy: Policy, request: GateRequest, now: Date): Promise<Judged> => {
  const found = await client.getIssueWithChangelog(key, { fields: changeFieldIds(policy, 'project', 'issuetype') });
  if (!found) return notAChange(key, 'is no issue the app can see: check the key.');
  if (!inScope(found.issue.fields, policy)) return notAChange(key, `is not a change ticket (${policy.scope!.projectKey} / ${policy.scope!.issueTypeName}).`);
  const [histories, reading, prior] = await Promise.all([
    historiesOf(client, found.issue.id, found, policy),
    readEvidenceLog(deps.store, found.issue.id),
    readGateRecords(deps.store, found.issue.id),
  ]);
  const mapped = mapChange({ issue: found.issue, histories, evidence: logEvidence(reading) }, policy);
  const change = withRecurringWindows(mapped.change, mapped.history, now);
  const judgement = judgeDeployment(change, mapped.history, policy, { deployerAccountId: request.deployerAccountId ?? null }, now, emergencyDeploymentTimes(prior.records));
  return { key: found.issue.key, issueId: found.issue.id, judgement };
};

const recordOf = (callId: string, at: string, request: GateRequest, pipeline: PipelineRecord, namedKeys: string[], judged: Judged | null, reasons: Reason[]): GateRecordInput => ({
  callId,
  at,
  environment: request.environment,
  sha: request.sha.toLowerCase(),
  deployer: request.deployer,
  deployerAccountId: request.deployerAccountId ?? null,
  pipelineId: pipeline.id,
  pipelineName: pipeline.name,
  issueId: judged?.issueId ?? null,
  changeKey: judged?.key ?? null,
  namedKeys,
  decision: judged?.judgement.allowed ? 'allow' : 'deny',
  path: judged?.judgement.path ?? 'refused',
  reasons: plain(judged ? judged.judgement.reasons : reasons),
  notices: plain(judged?.judgement.notices ?? []),
  startsPostHocClock: judged?.judgement.startsPostHocClock ?? false,
});

/** The web trigger's core, with its dependencies injected. */
export const createDeploymentGate =
  (deps: DeploymentGateDeps) =>
  async (request: GateHttpRequest): Promise<WebTriggerAnswer> => {
    const log = deps.log ?? consoleLogger;
    const counted = countingTransport(deps.transport);
    const fields: Record<string, LogFields[string]> = {};
    const finish = (result: WebTriggerAnswer, extra: LogFields): WebTriggerAnswer => {
      log(LOG_EVENT, { ...fields, ...extra, status: result.statusCode, restCalls: counted.count() });
      return result;
    };
    try {
      const now = deps.clock();
      const auth = await authenticateGateCall(deps.store, { method: request.method, headers: request.headers ?? {}, body: request.body ?? '' }, now);
      if (!auth.ok) {
        const retry: Record<string, string[]> = auth.retryAfterSeconds === undefined ? {} : { 'Retry-After': [String(auth.retryAfterSeconds)] };
        return finish(errorAnswer(auth.status, auth.code, auth.message, retry), { outcome: 'refused', code: auth.code });
      }
      const pipeline = auth.pipeline;
      fields.pipelineId = pipeline.id;

      const parsed = parseRequest(request.body ?? '');
      if (!parsed.ok) return finish(errorAnswer(400, 'INVALID_REQUEST', parsed.message), { outcome: 'invalid' });
      const { policy, version } = await loadPolicy(deps.store);
      fields.policyVersion = version;
      if (!policy.scope) return finish(errorAnswer(503, 'NOT_CONFIGURED', 'CC8.1 is not set up on this site yet (no change project): the gate says no. Ask a Jira admin to finish the setup on the CC8.1 admin page.'), { outcome: 'error' });
      const { request: call } = parsed;
      // Keys found in free text count only in the change project ("UTF-8" is no change); a named changeKey is taken as named.
      const keys = call.changeKey !== undefined ? parsed.keys : parsed.keys.filter((key) => key.startsWith(`${policy.scope!.projectKey}-`));
      if (keys.length > MAX_CHANGES_PER_CALL) {
        return finish(errorAnswer(400, 'TOO_MANY_CHANGES', `The call names ${keys.length} changes; name at most ${MAX_CHANGES_PER_CALL} (put the change key in changeKey).`), { outcome: 'invalid' });
      }
      Object.assign(fields, { environment: call.environment, changes: keys.join(',') });

      const callId = deps.newCallId?.() ?? randomBytes(16).toString('hex');
      const at = now.toISOString();
      fields.callId = callId;
      if (keys.length === 0) {
        const reasons: Reason[] = [{ code: 'DEPLOYMENT_WITHOUT_CHANGE', message: 'The call names no change: send changeKey, or put the change key in the branch, PR title or commit message.', people: [] }];
        await appendGateRecord(deps.store, recordOf(callId, at, call, pipeline, keys, null, reasons));
        const body: GateAnswer = { decision: 'deny', callId, changes: [], reasons: plain(reasons) };
        return finish(answer(403, body), { outcome: 'deny', reasons: 'DEPLOYMENT_WITHOUT_CHANGE' });
      }

      const client = createJiraClient(counted.transport, { now: deps.clock, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults });
      const judged = await Promise.all(keys.map((key) => judgeOne(deps, client, key, policy, call, now)));
      for (const j of judged) {
        await appendGateRecord(deps.store, recordOf(callId, at, call, pipeline, keys, j, []));
        if (j.issueId && j.judgement.startsPostHocClock) await openPostHocEntry(deps.store, j.issueId, now);
      }
      // The ticket's comment is a courtesy copy: the app's log above is the record. A failed comment never changes the answer.
      const comments = createSearchClient(counted.transport, { retries: 0, sleep: async () => undefined, now: deps.clock });
      let commentsFailed = 0;
      for (const j of judged) {
        if (!j.issueId) continue;
        try {
          await comments.addComment(j.issueId, deploymentComment(call, pipeline.name, j.judgement, now));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          commentsFailed += 1;
        }
      }
      const allowed = judged.every((j) => j.judgement.allowed);
      const body: GateAnswer = {
        decision: allowed ? 'allow' : 'deny',
        callId,
        changes: judged.map((j) => ({ key: j.key, decision: j.judgement.allowed ? 'allow' : 'deny', path: j.judgement.path, reasons: plain(j.judgement.reasons), notices: plain(j.judgement.notices) })),
        reasons: [],
      };
      const reasonCodes = judged.flatMap((j) => j.judgement.reasons.map((r) => r.code)).join(',');
      return finish(answer(allowed ? 200 : 403, body), { outcome: allowed ? 'allow' : 'deny', reasons: reasonCodes, commentsFailed });
    } catch (error) {
      return finish(errorAnswer(503, error instanceof AppError ? error.code : 'UNEXPECTED', gateFailureMessage(error)), {
        outcome: 'error',
        errorCode: error instanceof AppError ? error.code : 'UNEXPECTED',
        errorName: error instanceof Error ? error.name : typeof error,
      });
    }
  };
