/**
 * Benchmark data for `bench:audit`: the domain benchmark's generated tickets (about 20 history
 * entries each, every path, some violations), imported into a sandbox as Jira would hold them,
 * with the people mapped to the sandbox's demo users.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor, Change, History, Named, UserRef } from '../../src/domain';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { importChange } from '../../sandbox/demo/import-change';
import type { SandboxState } from '../../sandbox/state/sandbox-state';
import { PEOPLE } from '../../test/builders/people.builder';
import { generateTickets } from '../domain/generate';

const TO_DEMO: Record<string, string> = {
  [PEOPLE.requester]: DEMO_USERS.requester.accountId,
  [PEOPLE.implementer]: DEMO_USERS.implementer.accountId,
  [PEOPLE.approver]: DEMO_USERS.approver.accountId,
  [PEOPLE.verifier]: DEMO_USERS.verifier.accountId,
  [PEOPLE.cab]: DEMO_USERS.cab.accountId,
  [PEOPLE.outsider]: DEMO_USERS.compliance.accountId,
};

const person = <T extends UserRef | NonNullable<Actor>>(p: T | null | undefined): T | null => (p ? { ...p, accountId: TO_DEMO[p.accountId] ?? p.accountId } : null);
/** The generator only names single people. */
const named = (p: Named | null | undefined): UserRef | null => (p && 'accountId' in p ? person(p) : null);

const remap = (change: Change, history: History): { change: Change; history: History } => ({
  change: {
    ...change,
    createdAt: new Date(Math.min(change.createdAt.getTime(), ...history.map((h) => h.at.getTime())) - 3_600_000),
    fields: { ...change.fields, requester: named(change.fields.requester), implementer: named(change.fields.implementer), approver: named(change.fields.approver), verifier: named(change.fields.verifier) },
  },
  history: history.map((entry) => {
    const actor = person(entry.actor);
    if (entry.kind === 'status' || !['requester', 'implementer', 'approver', 'verifier'].includes(entry.field)) return { ...entry, actor };
    return { ...entry, actor, from: entry.from && (TO_DEMO[entry.from] ?? entry.from), to: entry.to && (TO_DEMO[entry.to] ?? entry.to) };
  }),
});

/** Imports `count` generated tickets; returns the total history entries. */
export const importGeneratedTickets = (state: SandboxState, count: number): number => {
  let entries = 0;
  for (const { change, history } of generateTickets(count, 20)) {
    const mapped = remap(change, history);
    importChange(state, mapped.change, mapped.history);
    entries += history.length;
  }
  return entries;
};

export interface AuditExport {
  exportFile: string;
  policyFile: string;
  entries: number;
  pages: number;
}

/**
 * Writes `count` generated tickets as an auditor's export (`search/jql` pages of 1000 with the
 * changelog expanded and the `cc81.evidence` property) and the sandbox's policy, read from `sandbox`
 * over HTTP, into `dir`.
 */
export const writeAuditExport = async (sandbox: { url: string; state: SandboxState }, count: number, dir: string): Promise<AuditExport> => {
  const entries = importGeneratedTickets(sandbox.state, count);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(sandbox.state.policy));
  const pages: unknown[] = [];
  let nextPageToken: string | undefined;
  const auth = `Basic ${Buffer.from(`${DEMO_USERS.compliance.emailAddress}:x`).toString('base64')}`;
  do {
    const res = await fetch(`${sandbox.url}/rest/api/3/search/jql`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jql: 'project = CHG', fields: ['*all'], expand: 'changelog', properties: ['cc81.evidence'], maxResults: 1000, ...(nextPageToken ? { nextPageToken } : {}) }),
    });
    const page = (await res.json()) as { nextPageToken?: string };
    pages.push(page);
    nextPageToken = page.nextPageToken;
  } while (nextPageToken);
  const exportFile = join(dir, 'audit-export.json');
  writeFileSync(exportFile, JSON.stringify(pages));
  return { exportFile, policyFile, entries, pages: pages.length };
};
