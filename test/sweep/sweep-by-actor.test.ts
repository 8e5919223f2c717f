/**
 * The sweep judges a post-hoc approval by who acted: an approval by whoever implemented the change
 * (by the changelog, or as the named implementer) is no approval, whatever the approver field says.
 */
import { importTickets } from '../../sandbox/demo/bulk-import';
import type { DemoTicket } from '../../sandbox/demo/demo-tickets';
import { DEMO_USERS, DemoRole } from '../../sandbox/demo/demo-users';
import { sweepSandbox, T0 } from './sweep-fixture';

const person = (role: DemoRole) => ({ accountId: DEMO_USERS[role].accountId, displayName: DEMO_USERS[role].displayName, active: true });

/** Implemented 100 h ago (due 28 h ago), approved post hoc 90 h ago, both by the given people. */
const ticket = (implementedBy: DemoRole, approvedBy: DemoRole, implementerField: DemoRole = 'implementer'): DemoTicket => ({
  summary: `Emergency implemented by ${implementedBy}, approved by ${approvedBy}, implementer field ${implementerField}`,
  type: 'emergency',
  risk: 'high',
  state: 'Implemented',
  window: [101, 99],
  fields: { implementer: person(implementerField) },
  steps: [
    ['move', 'Draft', 'Implemented', implementedBy, 100],
    ['move', 'Implemented', 'Implemented', approvedBy, 90],
  ],
  expected: [],
});

const ON_TIME = { labels: [], status: 'satisfied-on-time' };
const OVERDUE = { labels: ['cc81-posthoc-overdue'], status: 'overdue' };
const ROWS = [
  { name: 'implementer implemented, approver approved', ticket: ticket('implementer', 'approver'), expected: ON_TIME },
  { name: 'implementer implemented, a CAB member approved', ticket: ticket('implementer', 'cab'), expected: ON_TIME },
  { name: 'the approver implemented (field: implementer) and approved', ticket: ticket('approver', 'approver'), expected: OVERDUE },
  { name: 'the implementer approved their own change', ticket: ticket('implementer', 'implementer'), expected: OVERDUE },
  { name: 'implementer implemented, approver approved, but the implementer field names the approver', ticket: ticket('implementer', 'approver', 'approver'), expected: OVERDUE },
];

describe('the sweep: post-hoc approval by actor', () => {
  it('flags the tickets whose only post-hoc approval came from an implementer, and resolves the others', async () => {
    const f = await sweepSandbox();
    try {
      const issues = importTickets(
        f.state,
        ROWS.map((row) => row.ticket),
        T0,
      );
      const summary = await f.run();
      expect(summary).toMatchObject({ scanned: ROWS.length, flagged: 3, resolved: 2, errors: 0 });
      const seen = Object.fromEntries(
        ROWS.map((row, i) => [row.name, { labels: [...((issues[i]!.fields.labels as string[] | undefined) ?? [])], status: (issues[i]!.properties['cc81.posthoc'] as { status: string }).status }]),
      );
      expect(seen).toEqual(Object.fromEntries(ROWS.map((row) => [row.name, row.expected])));
    } finally {
      await f.close();
    }
  });
});
