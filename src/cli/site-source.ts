/**
 * Tickets from a Jira site (or the sandbox) through the app's Jira adapter: JQL pages of up to
 * 1000 issues (`search/jql`, `nextPageToken`), then each page's changelogs in bulk
 * (`changelog/bulkfetch`, 1000 issues per call, up to 10,000 histories per page). 429s wait out
 * `Retry-After` and retry.
 */
import type { Policy } from '../domain';
import { panelChangelogFieldIds } from '../forge/create-panel-resolver';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { createJiraClient } from '../jira/jira-client';
import { BULK_CHANGELOG_LIMITS, Changelog } from '../jira/schemas';
import { createSearchClient } from '../jira/search';
import type { JiraTransport } from '../jira/transport';
import { AuditTicket, CORE_FIELD_IDS, toAuditTicket } from '../evidence/audit-ticket';
import { Period, widenedDates } from '../evidence/period';
import type { Progress } from './progress';

export const RETRIES = 5;

/** The issue fields the audit reads: status, created, updated and every mapped CC8.1 field. */
export const auditFieldIds = (policy: Policy): string[] => [...new Set([...CORE_FIELD_IDS, ...Object.values(policy.fields).filter((id): id is string => Boolean(id))])];

const ORDER_BY = /\s+order\s+by\s+[\s\S]*$/i;

/** The given JQL narrowed to tickets touched around the period (the exact cut is made locally, in UTC). */
export const periodJql = (jql: string, period: Period): string => {
  const trimmed = jql.trim();
  const order = ORDER_BY.exec(trimmed)?.[0] ?? '';
  const where = trimmed.slice(0, trimmed.length - order.length).trim();
  const { after, before } = widenedDates(period);
  const dates = `updated >= "${after}" AND created < "${before}"`;
  return `${where ? `(${where}) AND ` : ''}${dates}${order}`;
};

export interface SiteFetchInput {
  transport: JiraTransport;
  policy: Policy;
  /** The JQL to send (`periodJql`). */
  jql: string;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  progress: Progress;
}

/** Each page is mapped as soon as its changelogs are in, so raw JSON never piles up. */
export const fetchSiteTickets = async (input: SiteFetchInput): Promise<AuditTicket[]> => {
  const { transport, policy, sleep, now, progress } = input;
  const search = createSearchClient(transport, { sleep, now, retries: RETRIES });
  const jira = createJiraClient(transport, { retries: RETRIES, sleep, now, changelogPageSize: BULK_CHANGELOG_LIMITS.maxResults });
  const fields = auditFieldIds(policy);
  const changelogFields = panelChangelogFieldIds(policy);
  const tickets: AuditTicket[] = [];
  let token: string | null = null;
  do {
    const page = await search.searchJql(input.jql, { fields, properties: [EVIDENCE_PROPERTY_KEY], maxResults: BULK_CHANGELOG_LIMITS.maxIssues, nextPageToken: token });
    const histories = new Map<string, Changelog[]>();
    if (page.issues.length) {
      let changelogToken: string | undefined;
      do {
        const part = await jira.bulkFetchChangelogs(page.issues.map((i) => i.id), changelogFields, changelogToken);
        for (const log of part.issueChangeLogs) histories.set(log.issueId, [...(histories.get(log.issueId) ?? []), ...log.changeHistories]);
        changelogToken = part.nextPageToken ?? undefined;
      } while (changelogToken);
    }
    for (const issue of page.issues) tickets.push(toAuditTicket({ issue, histories: histories.get(issue.id) ?? [] }, policy));
    progress.update('Reading Jira', tickets.length, null);
    token = page.nextPageToken ?? null;
  } while (token);
  return tickets;
};
