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
import { AuditTicket, CORE_FIELD_IDS, toAuditTicket } from './audit-ticket';
import { panelChangelogFieldIds } from '../jira/changelog-fields';

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
}

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
    return { tickets: page.issues.map((issue) => toAuditTicket({ issue, histories: histories.get(issue.id) ?? [] }, policy)), nextPageToken: page.nextPageToken ?? null };
  };
};
