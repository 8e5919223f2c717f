/**
 * The sweep at the edges of the post-hoc deadline (README "Warn. At the warning threshold",
 * "Flag. At the deadline"). Due and warning instants are written out here, not computed by src.
 */
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { seedPolicy } from '../../sandbox/forge-runtime/stored-policy';
import type { SandboxIssue } from '../../sandbox/state/sandbox-state';
import { sweepSandbox, T0 } from './sweep-fixture';

const H = 3_600_000;
const MIN = 60_000;
const OVERDUE = 'cc81-posthoc-overdue';

const outcome = (issue: SandboxIssue) => ({
  labels: [...((issue.fields.labels as string[] | undefined) ?? [])],
  comments: issue.comments.length,
  status: (issue.properties['cc81.posthoc'] as { status?: string } | undefined)?.status ?? null,
});

describe('the sweep around the 72 h deadline (default policy: warn 24 h before)', () => {
  // Each ticket is implemented so that the run's now lies `pastDue` after its deadline.
  const RUN_AT = new Date(T0.getTime() + 500 * H);
  const ROWS = [
    { name: 'deadline −25 h', pastDue: -25 * H, expected: { labels: [], comments: 0, status: null } },
    { name: 'deadline −1 h', pastDue: -H, expected: { labels: [], comments: 1, status: 'warning' } },
    { name: 'deadline −1 min', pastDue: -MIN, expected: { labels: [], comments: 1, status: 'warning' } },
    { name: 'deadline −1 ms', pastDue: -1, expected: { labels: [], comments: 1, status: 'warning' } },
    { name: 'the deadline', pastDue: 0, expected: { labels: [OVERDUE], comments: 1, status: 'overdue' } },
    { name: 'deadline +1 ms', pastDue: 1, expected: { labels: [OVERDUE], comments: 1, status: 'overdue' } },
  ] as const;

  it('flags exactly the tickets at or past their deadline, and warns the rest that are within 24 h of it', async () => {
    const f = await sweepSandbox();
    try {
      const issues = ROWS.map(({ pastDue }) => importTickets(f.state, [emergencyTicket(0)], new Date(RUN_AT.getTime() - 72 * H - pastDue))[0]!);
      f.setNow(RUN_AT);
      const summary = await f.run();
      expect(summary).toMatchObject({ scanned: ROWS.length, warned: 3, flagged: 2, errors: 0 });
      expect(Object.fromEntries(ROWS.map((row, i) => [row.name, outcome(issues[i]!)]))).toEqual(Object.fromEntries(ROWS.map((row) => [row.name, row.expected])));
    } finally {
      await f.close();
    }
  });
});

describe('the sweep with business hours (UTC, Mon–Fri 09:00–17:00), implemented Friday 6 March 17:00Z', () => {
  // 48 working hours later: Monday 16 March 17:00Z (warning); 72: Thursday 19 March 17:00Z (deadline).
  const IMPL = new Date('2026-03-06T17:00:00Z');
  const WARN = Date.parse('2026-03-16T17:00:00Z');
  const DUE = Date.parse('2026-03-19T17:00:00Z');
  const RUNS = [
    { name: 'Sunday 17:00 (48 clock hours)', nowMs: IMPL.getTime() + 48 * H, expected: { labels: [], comments: 0, status: null } },
    { name: 'Monday 17:00 (72 clock hours)', nowMs: IMPL.getTime() + 72 * H, expected: { labels: [], comments: 0, status: null } },
    { name: 'the warning time −1 ms', nowMs: WARN - 1, expected: { labels: [], comments: 0, status: null } },
    { name: 'the warning time', nowMs: WARN, expected: { labels: [], comments: 1, status: 'warning' } },
    { name: 'the deadline −1 h', nowMs: DUE - H, expected: { labels: [], comments: 1, status: 'warning' } },
    { name: 'the deadline −1 ms', nowMs: DUE - 1, expected: { labels: [], comments: 1, status: 'warning' } },
    { name: 'the deadline', nowMs: DUE, expected: { labels: [OVERDUE], comments: 2, status: 'overdue' } },
  ] as const;

  it('warns and flags in working time, never at the clock-hour times', async () => {
    const f = await sweepSandbox();
    try {
      const policy = { ...f.state.policy, version: f.state.policy.version + 1, businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } };
      await seedPolicy(f.sandbox.runtime.store, policy, T0);
      const [issue] = importTickets(f.state, [emergencyTicket(0)], IMPL);
      const seen: Record<string, ReturnType<typeof outcome>> = {};
      for (const run of RUNS) {
        f.setNow(new Date(run.nowMs));
        expect(await f.run()).toMatchObject({ scanned: 1, errors: 0 });
        seen[run.name] = outcome(issue!);
      }
      expect(seen).toEqual(Object.fromEntries(RUNS.map((run) => [run.name, run.expected])));
      expect(issue!.properties['cc81.posthoc']).toMatchObject({ warnAt: new Date(WARN).toISOString(), dueAt: new Date(DUE).toISOString(), flaggedAt: new Date(DUE).toISOString() });
    } finally {
      await f.close();
    }
  });
});
