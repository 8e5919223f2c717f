/**
 * The issue panel's resolver (`getPanel`). The issue comes from the Forge context, never the
 * payload. Per panel load, one invocation and at most 2 REST calls:
 *   1. GET the issue **as the user** (mapped fields, issue type, the evidence mirror property): a
 *      404/403 means the caller cannot browse it, and nothing more is read or returned;
 *   2. one bulk changelog page **as the app** (the changelog of an issue the user may see),
 * and, with it, the issue's evidence log from app storage. The evidence shown is the log's; the
 * mirror is only compared with it (`EVIDENCE_TAMPERED`). The policy comes from KVS. The answer is
 * validated with `PanelResponseSchema` before it leaves.
 */
import type { GateRecordReading } from '../deployments/gate-record';
import Resolver, { type Request } from '@forge/resolver';
import { z } from 'zod';
import { type Change, type History, Policy } from '../domain';
import { createJiraClient, JiraClient } from '../jira/jira-client';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { logEvidence } from '../evidence-log/evidence-log';
import { compareEvidence } from '../evidence-log/evidence-integrity';
import type { EvidenceReading } from '../evidence-log/evidence-log';
import { mapChange, MappedChange, statusStates, changeFieldIds } from '../jira/map-change';
import { BULK_CHANGELOG_LIMITS, IssueCoreFieldsSchema, IssueJson } from '../jira/schemas';
import { countingTransport, JiraTransport } from '../jira/transport';
import { buildPanelView } from '../panel/build-panel-view';
import { directoryFromChange, unnamedAccounts, withUsers, type UserDirectory } from '../panel/user-directory';
import {
  AppError,
  HistoryTooLongError,
  isAppError,
  JiraHttpError,
  JiraUnreachableError,
  MalformedResponseError,
  PolicyError,
  RateLimitedError,
} from '../shared/app-error';
import { PanelResponse, PanelResponseSchema } from '../shared/panel-contract';
import { PANEL_ERROR_CODES } from '../shared/panel-errors';
import { RESOLVER_KEYS } from '../shared/resolver-keys';
import type { ResolverResult } from '../shared/resolver-result';
import { consoleLogger, type LogFields, type Logger } from '../ports/logger';
import type { LoadedPolicy } from '../policy/policy-store';
import { panelChangelogFieldIds } from '../jira/changelog-fields';
import { missingMappings } from '../panel/panel-fields';
import { rethrowForgeAuthError } from './platform-errors';
import type { UnrecordedReading } from '../evidence-log/unrecorded-steps';

export interface PanelResolverDeps {
  /** REST as the invoking user (`forgeTransport('user')`): the issue read, which is the permission check. */
  userTransport: JiraTransport;
  /** REST as the app (`forgeTransport('app')`): the changelog, read only after the user's read succeeded. */
  appTransport: JiraTransport;
  /** The issue's evidence log and tamper note (`readEvidenceWithNote(store, issueId)`), read only after the user's read succeeded. */
  evidenceLog: (issueId: string) => Promise<EvidenceReading>;
  /** The issue's steps the recorder could not write yet (`unrecordedStepsOf(store, id, key)`); absent: none shown. */
  unrecordedSteps?: (issueId: string, issueKey: string) => Promise<UnrecordedReading[]>;
  /** The deployment gate's records of the issue (`readGateRecords(store, issueId)`), read only after the user's read succeeded; absent: none shown. */
  deployments?: (issueId: string) => Promise<GateRecordReading>;
  /** `loadPolicy(store)` from policy-store; throws a PolicyError when the stored policy is corrupted. */
  loadPolicy: () => Promise<Pick<LoadedPolicy, 'policy' | 'version'>>;
  clock: () => Date;
  /**
   * Issue types (names, case-insensitive, or ids) that are change tickets even before their change
   * type is set. Default: the policy's scope issue type (set on the admin page), else `['Change']`.
   */
  changeIssueTypes?: readonly string[];
  /** Platform errors (e.g. a consent prompt) that must reach Forge unchanged. */
  isPlatformError?: (error: unknown) => boolean;
  log?: Logger;
}

const LOG_EVENT = 'cc81-panel';
const ADMIN_POINTER = 'A Jira admin can set this up on the CC8.1 admin page (Jira settings → Apps → CC8.1 Change Control).';
const INTERNAL_MESSAGE = 'The CC8.1 panel could not be loaded. Reload the issue; if it keeps failing, contact your Jira admin.';
const NOT_A_CHANGE_MESSAGE = 'This issue is not a CC8.1 change ticket: it has no change type and its issue type is not a change type.';
const ISSUE_TYPE_FIELD_ID = 'issuetype';

/** The panel's view of an issue the user cannot browse: nothing. */
export class PanelIssueNotFoundError extends AppError {
  readonly code = PANEL_ERROR_CODES.notFound;
  constructor(options?: { cause?: unknown }) {
    super('This issue does not exist or you do not have permission to view it.', options);
  }
}

/** The resolver was not invoked from an issue panel (no issue in the Forge context). */
export class NoIssueContextError extends AppError {
  readonly code = PANEL_ERROR_CODES.noIssue;
  constructor() {
    super('The CC8.1 panel can only be opened on a Jira issue.');
  }
}

const PanelContextSchema = z.object({
  accountId: z.string().min(1).optional(),
  extension: z.object({ issue: z.object({ key: z.string().min(1), id: z.union([z.string(), z.number()]).optional() }) }),
});

/** The issue key and the viewer, from the Forge context (the payload is ignored entirely). */
const panelContext = (context: unknown): { issueKey: string; accountId: string | null } => {
  const parsed = PanelContextSchema.safeParse(context);
  if (!parsed.success) throw new NoIssueContextError();
  return { issueKey: parsed.data.extension.issue.key, accountId: parsed.data.accountId ?? null };
};

const IssueTypeSchema = z.object({ id: z.union([z.string(), z.number()]).nullish(), name: z.string().nullish() }).nullish();

const isChangeIssueType = (issue: IssueJson, changeIssueTypes: readonly string[]): boolean => {
  const type = IssueTypeSchema.safeParse(issue.fields[ISSUE_TYPE_FIELD_ID]);
  if (!type.success || !type.data) return false;
  const id = type.data.id == null ? null : String(type.data.id);
  const name = type.data.name?.trim().toLowerCase() ?? null;
  return changeIssueTypes.some((t) => t === id || t.trim().toLowerCase() === name);
};

const hasChangeType = (issue: IssueJson, policy: Policy): boolean => {
  const id = policy.fields.changeType;
  const value = id ? issue.fields[id] : null;
  return value !== null && value !== undefined && value !== '';
};

/** Reads the issue as the user; a 404 or 403 means the caller may not see it. */
const readIssueAsUser = async (client: JiraClient, issueKey: string, policy: Policy): Promise<IssueJson> => {
  try {
    return await client.getIssue(issueKey, { fields: changeFieldIds(policy, ISSUE_TYPE_FIELD_ID), properties: [EVIDENCE_PROPERTY_KEY] });
  } catch (error) {
    if (error instanceof JiraHttpError && (error.status === 404 || error.status === 403)) throw new PanelIssueNotFoundError({ cause: error });
    throw error;
  }
};

/** The changelog (as the app) and the app's log; the evidence is the log's, compared with the mirror. */
const readChangeAsApp = async (client: JiraClient, evidenceLog: PanelResolverDeps['evidenceLog'], issue: IssueJson, policy: Policy, now: Date): Promise<MappedChange> => {
  const [page, reading] = await Promise.all([client.bulkFetchChangelogs([issue.id], panelChangelogFieldIds(policy)), evidenceLog(issue.id)]);
  if (page.nextPageToken) throw new HistoryTooLongError(issue.key, client.changelogPageSize);
  const histories = page.issueChangeLogs.filter((log) => log.issueId === issue.id).flatMap((log) => log.changeHistories);
  const mapped = mapChange({ issue, histories, evidence: logEvidence(reading), now }, policy);
  const integrity = compareEvidence(reading, issue.properties?.[EVIDENCE_PROPERTY_KEY], now, reading.note);
  return { ...mapped, change: { ...mapped.change, integrity } };
};

/** An error as the panel shows it: a stable code and a message that says what to do. Never values. */
const panelError = (error: unknown): { code: string; message: string } => {
  if (error instanceof PanelIssueNotFoundError || error instanceof NoIssueContextError) return { code: error.code, message: error.message };
  if (error instanceof MalformedResponseError) {
    return { code: PANEL_ERROR_CODES.malformed, message: `Jira sent data the CC8.1 panel cannot read (${error.message}). Reload the issue; if it persists, contact your Jira admin.` };
  }
  if (error instanceof RateLimitedError) {
    const wait = error.retryAfterSeconds === null ? 'in a minute' : `in ${error.retryAfterSeconds} s`;
    return { code: PANEL_ERROR_CODES.rateLimited, message: `Jira is rate-limiting the CC8.1 app. Reload the issue ${wait}.` };
  }
  if (error instanceof JiraHttpError) {
    return { code: PANEL_ERROR_CODES.jiraError, message: `Jira answered ${error.status} while the CC8.1 panel loaded. Reload the issue; if it keeps failing, contact your Jira admin.` };
  }
  if (error instanceof JiraUnreachableError) return { code: PANEL_ERROR_CODES.unreachable, message: 'Jira could not be reached. Reload the issue in a moment.' };
  if (error instanceof HistoryTooLongError) {
    return { code: PANEL_ERROR_CODES.historyTooLong, message: `This issue's history is longer than the panel can read in one go (${error.pageSize} entries). Use the audit export instead.` };
  }
  if (error instanceof PolicyError) {
    return { code: PANEL_ERROR_CODES.policyInvalid, message: `The stored CC8.1 policy is invalid and must be fixed before the panel can judge changes. ${ADMIN_POINTER}` };
  }
  return { code: PANEL_ERROR_CODES.internal, message: INTERNAL_MESSAGE };
};

const httpStatusOf = (error: unknown): { httpStatus?: number } => {
  const http = error instanceof JiraHttpError ? error : error instanceof Error && error.cause instanceof JiraHttpError ? error.cause : null;
  return http ? { httpStatus: http.status } : {};
};

/** At most this many people are looked up by id per panel load (one REST call each). */
export const MAX_NAME_LOOKUPS = 10;

/**
 * The people the panel shows, by name: those the issue and changelog name, plus a lookup (as the
 * viewer, so only people they may see) of each one only the app's log names. A lookup Jira refuses
 * leaves that person as "Unknown user": names are never worth failing the panel for.
 */
/** `alsoNamed`: accounts the page shows besides the ticket's (the deployment gate's deployers). */
const namedDirectory = async (client: JiraClient, change: Change, history: History, fields: Record<string, LogFields[string]>, log: Logger, alsoNamed: readonly string[] = []): Promise<UserDirectory> => {
  const directory = directoryFromChange(change, history);
  const unnamed = [...new Set([...unnamedAccounts(directory, change, history), ...alsoNamed.filter((id) => !directory.has(id))])].slice(0, MAX_NAME_LOOKUPS);
  fields.nameLookups = unnamed.length;
  const looked = new Map<string, Awaited<ReturnType<JiraClient['getUser']>>>();
  await Promise.all(
    unnamed.map(async (id) => {
      try {
        looked.set(id, await client.getUser(id));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        log(LOG_EVENT, { event: 'name-lookup-failed', accountId: id, errorCode: error.code });
      }
    }),
  );
  return withUsers(directory, looked);
};

/** Builds the panel resolver (`getPanel`) over injected ports. */
export const createPanelResolver = (deps: PanelResolverDeps) => {
  const log = deps.log ?? consoleLogger;
  const isPlatformError = deps.isPlatformError ?? (() => false);

  const getPanel = async (fields: Record<string, LogFields[string]>, context: unknown, count: { user: JiraTransport; app: JiraTransport }): Promise<PanelResponse> => {
    const { issueKey, accountId } = panelContext(context);
    fields.issueKey = issueKey;
    const { policy, version } = await deps.loadPolicy();
    fields.policyVersion = version;

    const userClient = createJiraClient(count.user, { now: deps.clock });
    const issue = await readIssueAsUser(userClient, issueKey, policy);

    const changeIssueTypes = deps.changeIssueTypes ?? (policy.scope ? [policy.scope.issueTypeId, policy.scope.issueTypeName] : ['Change']);
    if (!hasChangeType(issue, policy) && !isChangeIssueType(issue, changeIssueTypes)) {
      return { status: 'not-a-change', message: NOT_A_CHANGE_MESSAGE };
    }
    const missing = missingMappings(policy);
    const core = IssueCoreFieldsSchema.safeParse(issue.fields);
    if (core.success && missing.length === 0 && !statusStates(policy).has(core.data.status.id)) {
      const name = core.data.status.name ?? core.data.status.id;
      missing.push(`Status "${name}" (not mapped to a lifecycle state)`);
    }
    if (missing.length > 0) {
      fields.missing = missing.length;
      return {
        status: 'not-configured',
        missing,
        message: `The CC8.1 app is not fully set up, so this change cannot be checked yet. Still to map: ${missing.join(', ')}. ${ADMIN_POINTER}`,
      };
    }

    const appClient = createJiraClient(count.app, { now: deps.clock, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults });
    const now = deps.clock();
    const [{ change, history, stats }, unrecorded, deployments] = await Promise.all([
      readChangeAsApp(appClient, deps.evidenceLog, issue, policy, now),
      deps.unrecordedSteps ? deps.unrecordedSteps(issue.id, issue.key) : Promise.resolve([]),
      deps.deployments ? deps.deployments(issue.id) : Promise.resolve({ records: [], altered: [] }),
    ]);
    Object.assign(fields, { unrecordedSteps: unrecorded.length, deployments: deployments.records.length, deploymentsAltered: deployments.altered.length });
    Object.assign(fields, { historyEntries: history.length, unknownStatusItems: stats.unknownStatusItems, evidenceDifferences: change.integrity?.differences.length ?? 0 });
    const deployers = deployments.records.flatMap((r) => (r.deployerAccountId ? [r.deployerAccountId] : []));
    const users = await namedDirectory(userClient, change, history, fields, log, deployers);
    const view = buildPanelView({ change, history, policy, policyVersion: version, users, viewerAccountId: accountId, unrecorded: unrecorded.map((r) => r.step), deployments, now });
    return { status: 'ok', view };
  };

  /** The only place errors are caught. One log line per call, ids and counts only. */
  const handler = async (request: Request): Promise<ResolverResult<PanelResponse>> => {
    const fields: Record<string, LogFields[string]> = { key: RESOLVER_KEYS.panel.getPanel };
    const user = countingTransport(deps.userTransport);
    const app = countingTransport(deps.appTransport);
    const restCalls = () => user.count() + app.count();
    try {
      const response = PanelResponseSchema.safeParse(await getPanel(fields, request.context, { user: user.transport, app: app.transport }));
      if (!response.success) {
        log(LOG_EVENT, { ...fields, outcome: 'error', errorCode: PANEL_ERROR_CODES.internal, errorName: 'InvalidPanelResponse', restCalls: restCalls() });
        return { ok: false, error: { code: PANEL_ERROR_CODES.internal, message: INTERNAL_MESSAGE } };
      }
      log(LOG_EVENT, { ...fields, outcome: response.data.status, restCalls: restCalls() });
      return { ok: true, data: response.data };
    } catch (error) {
      rethrowForgeAuthError(error); // the user's "allow access" prompt (the issue read is as the user)
      if (isPlatformError(error)) throw error;
      const mapped = panelError(error);
      log(LOG_EVENT, {
        ...fields,
        outcome: isAppError(error) ? 'refused' : 'error',
        errorCode: mapped.code,
        errorName: error instanceof Error ? error.name : typeof error,
        ...httpStatusOf(error),
        restCalls: restCalls(),
      });
      return { ok: false, error: mapped };
    }
  };

  return new Resolver().define(RESOLVER_KEYS.panel.getPanel, handler).getDefinitions();
};
