/**
 * Bulk import for tests and benchmarks: demo-style tickets straight into the sandbox state (no
 * REST, no workflow), with changelogs and evidence records as Jira would hold them.
 */
import type { SandboxIssue, SandboxState } from '../state/sandbox-state';
import { DemoTicket, materialize } from './demo-tickets';
import { importChange } from './import-change';

/** Imports each ticket, placed relative to `now`; returns the created issues in order. */
export const importTickets = (state: SandboxState, tickets: Iterable<DemoTicket>, now: Date): SandboxIssue[] => {
  const issues: SandboxIssue[] = [];
  let index = state.issues.length;
  for (const ticket of tickets) {
    const { change, history } = materialize(ticket, index, now);
    issues.push(importChange(state, change, history));
    index += 1;
  }
  return issues;
};

/** An emergency change implemented straight from Draft `hoursAgo` hours before now, optionally approved post hoc. */
export const emergencyTicket = (hoursAgo: number, approvedHoursAgo: number | null = null): DemoTicket => ({
  summary: `Emergency fix implemented ${hoursAgo} h ago`,
  type: 'emergency',
  risk: 'high',
  state: 'Implemented',
  window: [hoursAgo + 1, hoursAgo - 1],
  steps: [
    ['move', 'Draft', 'Implemented', 'implementer', hoursAgo],
    ...(approvedHoursAgo === null ? [] : ([['move', 'Implemented', 'Implemented', 'approver', approvedHoursAgo]] as const)),
  ],
  expected: [],
});

/** A normal change closed along the normal path, `hoursAgo` hours before now (never a sweep candidate). */
export const closedNormalTicket = (hoursAgo: number): DemoTicket => ({
  summary: `Routine change closed ${hoursAgo} h ago`,
  type: 'normal',
  risk: 'low',
  state: 'Closed',
  window: [hoursAgo + 8, hoursAgo + 6],
  steps: [
    ['move', 'Draft', 'Assessment', 'requester', hoursAgo + 12],
    ['move', 'Assessment', 'Approved', 'approver', hoursAgo + 10],
    ['move', 'Approved', 'Scheduled', 'requester', hoursAgo + 9],
    ['move', 'Scheduled', 'Implemented', 'implementer', hoursAgo + 7],
    ['move', 'Implemented', 'Closed', 'verifier', hoursAgo],
  ],
  expected: [],
});
