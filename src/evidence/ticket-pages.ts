/**
 * Tickets from a Jira site, one JQL page at a time, through the app's Jira adapter: a page of up
 * to 1000 issues (`search/jql`, `nextPageToken`), then that page's changelogs in bulk
 * (`changelog/bulkfetch`, up to 10,000 histories per call), mapped as soon as they are in. 429s
 * wait out `Retry-After` and retry. Used by the `cc81` CLI and by the in-app evidence export.
 */
import type { Policy } from '../domain';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { createJiraClient } from '../jira/jira-client';
import { BULK_CHANGELOG_LIMITS, Changelog } from '../jira/schemas';
import { createSearchClient } from '../jira/search';
import type { JiraTransport } from '../jira/transport';
import { AuditTicket, CORE_FIELD_IDS, RawTicket, toAuditTicket } from './audit-ticket';
import { panelChangelogFieldIds } from '../jira/changelog-fields';
import { EvidenceReading, logEvidence } from '../evidence-log/evidence-log';
import { compareEvidence } from '../evidence-log/evidence-integrity';
import { sealedEvidence } from '../evidence-log/mirror-seal';
import type { KeyObject } from 'node:crypto';
import type { IssueJson } from '../jira/schemas';

export const RETRIES = 5;

/** The issue fields the audit reads: status, created, updated and every mapped CC8.1 field. */
export const auditFieldIds = (policy: Policy): string[] => [...new Set([...CORE_FIELD_IDS, ...Object.values(policy.fields).filter((id): id is string => Boolean(id))])];

export interface TicketPageDeps {
  transport: JiraTransport;
  policy: Policy;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  /** 429 retries per request (default 5). */
  retries?: number;
  /**
   * The app's evidence log and tamper note of an issue (the in-app export, which can read app
   * storage): the evidence is then the log's and the mirror is only compared with it. Absent (the
   * CLI, which cannot): the issue's `cc81.evidence` mirror is the evidence.
   */
  evidenceLog?: (issueId: string) => Promise<EvidenceReading>;
  /** Without app storage (the CLI): the app's public key; only the records it sealed count (`mirror-seal.ts`). */
  evidenceKey?: KeyObject;
}

/** With a public key: the sealed records as the evidence, and any seal failure as the integrity finding. */
export const sealCheck = (issue: IssueJson, key: KeyObject | undefined): Pick<RawTicket, 'evidence' | 'integrity'> =>
  key ? sealedEvidence(issue.properties?.[EVIDENCE_PROPERTY_KEY], issue.id, key) : {};

/** Evidence logs read at once per page (each is three KVS reads). */
const LOG_READS_AT_ONCE = 8;

const mapWithPool = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
};

export interface TicketPage {
  tickets: AuditTicket[];
  nextPageToken: string | null;
}

export const createTicketPageReader = (deps: TicketPageDeps) => {
  const { transport, policy, sleep, now } = deps;
  const retries = deps.retries ?? RETRIES;
  const search = createSearchClient(transport, { sleep, now, retries });
  const jira = createJiraClient(transport, { retries, sleep, now, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults });
  const fields = auditFieldIds(policy);
  const changelogFields = panelChangelogFieldIds(policy);
  return async (jql: string, token: string | null, maxResults: number = BULK_CHANGELOG_LIMITS.maxIssues): Promise<TicketPage> => {
    const page = await search.searchJql(jql, { fields, properties: [EVIDENCE_PROPERTY_KEY], maxResults, nextPageToken: token });
    const histories = new Map<string, Changelog[]>();
    if (page.issues.length) {
      let changelogToken: string | undefined;
      do {
        const part = await jira.bulkFetchChangelogs(page.issues.map((i) => i.id), changelogFields, changelogToken);
        for (const log of part.issueChangeLogs) histories.set(log.issueId, [...(histories.get(log.issueId) ?? []), ...log.changeHistories]);
        changelogToken = part.nextPageToken ?? undefined;
      } while (changelogToken);
    }
    const { evidenceLog } = deps;
    const tickets = evidenceLog
      ? await mapWithPool(page.issues, LOG_READS_AT_ONCE, async (issue) => {
          const { note, ...reading } = await evidenceLog(issue.id);
          const integrity = compareEvidence(reading, issue.properties?.[EVIDENCE_PROPERTY_KEY], now(), note);
          return toAuditTicket({ issue, histories: histories.get(issue.id) ?? [], evidence: logEvidence(reading), integrity }, policy);
        })
      : page.issues.map((issue) => toAuditTicket({ issue, histories: histories.get(issue.id) ?? [], ...sealCheck(issue, deps.evidenceKey) }, policy));
    return { tickets, nextPageToken: page.nextPageToken ?? null };
  };
};
