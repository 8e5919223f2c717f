/**
 * Benchmark data for `bench:audit`: the domain benchmark's generated tickets (about 20 history
 * entries each, every path, some violations), imported into a sandbox as Jira would hold them,
 * with the people mapped to the sandbox's demo users.
 */
import type { Actor, Change, History, UserRef } from '../../src/domain';
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

const remap = (change: Change, history: History): { change: Change; history: History } => ({
  change: {
    ...change,
    createdAt: new Date(Math.min(change.createdAt.getTime(), ...history.map((h) => h.at.getTime())) - 3_600_000),
    fields: { ...change.fields, requester: person(change.fields.requester), implementer: person(change.fields.implementer), approver: person(change.fields.approver), verifier: person(change.fields.verifier) },
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
