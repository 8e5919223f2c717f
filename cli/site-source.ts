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
import { JiraHttpError, JiraRejectedError } from '../src/shared/app-error';
import type { KeyObject } from 'node:crypto';

export { auditFieldIds, RETRIES } from '../src/evidence/ticket-pages';
export { periodJql } from '../src/evidence/period';
import { narrowJql } from '../src/evidence/period';

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

/** Keys per `key in (…)` query. */
const KEYS_PER_QUERY = 100;

/**
 * The tickets `keys` name that `jql` also matches, read whatever their dates (deployments name
 * changes that may not have been updated in the period). Jira refuses a whole `key in (…)` query
 * (400) when one key does not exist, so a refused batch is halved until the missing keys are
 * alone, and those are left out: a key that is no issue names no change.
 */
export const fetchSiteTicketsByKey = async (input: SiteFetchInput, keys: readonly string[]): Promise<AuditTicket[]> => {
  const quote = (key: string) => `"${key.replace(/["\\]/g, '')}"`;
  const read = async (batch: readonly string[]): Promise<AuditTicket[]> => {
    try {
      return await fetchSiteTickets({ ...input, jql: narrowJql(input.jql, `key in (${batch.map(quote).join(', ')})`) });
    } catch (error) {
      if (!((error instanceof JiraRejectedError || error instanceof JiraHttpError) && error.status === 400)) throw error;
      if (batch.length === 1) return [];
      const half = Math.ceil(batch.length / 2);
      return [...(await read(batch.slice(0, half))), ...(await read(batch.slice(half)))];
    }
  };
  const out: AuditTicket[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) out.push(...(await read(keys.slice(i, i + KEYS_PER_QUERY))));
  return out;
};
