/**
 * Tickets from a Jira site (or the sandbox) through the app's Jira adapter: JQL pages of up to
 * 1000 issues (`search/jql`, `nextPageToken`), then each page's changelogs in bulk
 * (`changelog/bulkfetch`, 1000 issues per call, up to 10,000 histories per page). 429s wait out
 * `Retry-After` and retry.
 */
import type { Policy } from '../src/domain';
import type { JiraTransport } from '../src/jira/transport';
import type { AuditTicket } from '../src/evidence/audit-ticket';
import { createTicketPageReader } from '../src/evidence/ticket-pages';
import type { Progress } from './progress';
import type { KeyObject } from 'node:crypto';

export { auditFieldIds, RETRIES } from '../src/evidence/ticket-pages';
export { periodJql } from '../src/evidence/period';

export interface SiteFetchInput {
  transport: JiraTransport;
  policy: Policy;
  /** The JQL to send (`periodJql`). */
  jql: string;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  progress: Progress;
  /** The app's public evidence key: only mirrors it sealed count as evidence. */
  evidenceKey?: KeyObject;
}

/** Each page is mapped as soon as its changelogs are in, so raw JSON never piles up. */
export const fetchSiteTickets = async (input: SiteFetchInput): Promise<AuditTicket[]> => {
  const readPage = createTicketPageReader(input);
  const tickets: AuditTicket[] = [];
  let token: string | null = null;
  do {
    const page = await readPage(input.jql, token);
    tickets.push(...page.tickets);
    input.progress.update('Reading Jira', tickets.length, null);
    token = page.nextPageToken;
  } while (token);
  return tickets;
};
