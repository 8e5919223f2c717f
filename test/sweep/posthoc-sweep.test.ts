import { closedNormalTicket, emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { candidateJql } from '../../src/sweep/candidate-jql';
import { CURSOR_KEY, SweepCursor } from '../../src/sweep/sweep';
import { sweepSandbox, T0 } from './sweep-fixture';

const minutes = (date: Date, m: number) => new Date(date.getTime() + m * 60_000);
const hoursAgo = (h: number) => new Date(T0.getTime() - h * 3_600_000);

/** A mix of candidates: pending, warning, overdue, approved on time, approved late, and non-emergency noise. */
const mixedTickets = () => [
  ...Array.from({ length: 8 }, (_, i) => emergencyTicket(2 + i)), // pending
  ...Array.from({ length: 6 }, (_, i) => emergencyTicket(60 + i)), // warning (72 h window, warn 24 h before)
  ...Array.from({ length: 10 }, (_, i) => emergencyTicket(100 + i * 5)), // overdue
  ...Array.from({ length: 4 }, (_, i) => emergencyTicket(200 + i, 190)), // approved on time
  ...Array.from({ length: 4 }, (_, i) => emergencyTicket(300 + i, 100)), // approved late
  ...Array.from({ length: 8 }, (_, i) => closedNormalTicket(50 + i)),
];

describe('the post-hoc sweep in the sandbox', () => {
  it('builds the candidate JQL from the policy, inside the sandbox JQL subset', async () => {
    const f = await sweepSandbox();
    try {
      const jql = candidateJql(f.state.policy);
      expect(jql).toMatch(/^\(status CHANGED FROM "\d+" TO "\d+" AFTER "-30d" OR status CHANGED FROM "\d+" TO "\d+" AFTER "-30d"\)$/);
      const response = await f.sandbox.router({ method: 'POST', path: '/rest/api/3/search/jql', query: {}, headers: {}, body: { jql }, asApp: true });
      expect(response.status).toBe(200);
    } finally {
      await f.close();
    }
  });

  it('warns at the warning threshold, flags at the deadline, then records a late approval, each once', async () => {
    const f = await sweepSandbox();
    try {
      const [issue] = importTickets(f.state, [emergencyTicket(1)], T0);
      const { warnAt, dueAt } = f.clockOf(hoursAgo(1));

      let summary = await f.run();
      expect(summary).toMatchObject({ complete: true, scanned: 1, warned: 0, flagged: 0, errors: 0 });
      expect(issue!.comments).toHaveLength(0);
      expect(issue!.properties['cc81.posthoc']).toBeUndefined();

      f.setNow(minutes(warnAt, 1));
      summary = await f.run();
      expect(summary).toMatchObject({ warned: 1, flagged: 0, errors: 0 });
      expect(issue!.comments).toHaveLength(1);
      expect(JSON.stringify(issue!.comments[0]!.body)).toContain("post-hoc approval");
      expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'warning', warnedAt: minutes(warnAt, 1).toISOString(), flaggedAt: null, dueAt: dueAt.toISOString(), resolvedAt: null });

      f.setNow(minutes(warnAt, 30));
      summary = await f.run();
      expect(summary).toMatchObject({ scanned: 1, warned: 0, flagged: 0 });
      expect(issue!.comments).toHaveLength(1);

      f.setNow(minutes(dueAt, 1));
      summary = await f.run();
      expect(summary).toMatchObject({ warned: 0, flagged: 1, errors: 0 });
      expect(issue!.fields.labels).toEqual(['cc81-posthoc-overdue']);
      expect(issue!.comments).toHaveLength(2);
      expect(issue!.properties['cc81.posthoc']).toMatchObject({ status: 'overdue', flaggedAt: minutes(dueAt, 1).toISOString(), warnedAt: minutes(warnAt, 1).toISOString() });

      f.setNow(minutes(dueAt, 90));
      summary = await f.run();
      expect(summary).toMatchObject({ flagged: 0, warned: 0 });
      expect(issue!.comments).toHaveLength(2);

      f.setNow(minutes(dueAt, 120));
      f.approve(issue!);
      f.setNow(minutes(dueAt, 180));
      summary = await f.run();
      expect(summary).toMatchObject({ lateApprovals: 1, flagged: 0, errors: 0 });
      expect([...(issue!.fields.labels as string[])].sort()).toEqual(['cc81-posthoc-late', 'cc81-posthoc-overdue']);
      expect(issue!.comments).toHaveLength(3);
      expect(issue!.properties['cc81.posthoc']).toMatchObject({
        status: 'satisfied-late',
        flaggedAt: minutes(dueAt, 1).toISOString(),
        approvedAt: minutes(dueAt, 120).toISOString(),
        lateByMs: 120 * 60_000,
        lateRecordedAt: minutes(dueAt, 180).toISOString(),
        resolvedAt: minutes(dueAt, 180).toISOString(),
      });

      // Resolved: later runs read it (the JQL reads no property users could set) and write nothing.
      f.setNow(minutes(dueAt, 600));
      summary = await f.run();
      expect(summary).toMatchObject({ scanned: 1, restCalls: 2, resolved: 0, lateApprovals: 0 });
      expect(issue!.comments).toHaveLength(3);
      // Past the candidate look-back, the JQL no longer finds it: one empty page.
      f.setNow(minutes(dueAt, 31 * 24 * 60));
      summary = await f.run();
      expect(summary).toMatchObject({ scanned: 0, restCalls: 1 });
    } finally {
      await f.close();
    }
  });

  it('finds the demo tickets: flags the overdue emergencies (one retyped Normal), never the non-emergency or on-time ones; a second run changes nothing', async () => {
    const f = await sweepSandbox({ demo: true });
    try {
      const first = await f.run();
      expect(first).toMatchObject({ complete: true, errors: 0 });
      expect(first.flagged).toBeGreaterThanOrEqual(1);
      const byKey = f.snapshot();
      const summaryOf = (text: string) => f.state.issues.find((i) => i.fields.summary === text)!;
      expect(byKey[summaryOf('Emergency with no post-hoc approval: disk full on app01').key]!.labels).toEqual(['cc81-posthoc-overdue']);
      expect(byKey[summaryOf('Emergency approved late: revoke leaked token').key]!.labels).toEqual(['cc81-posthoc-late']);
      expect(byKey[summaryOf('Hotfix: payment webhook signature check').key]).toMatchObject({ labels: [], comments: 0, posthoc: { status: 'satisfied-on-time' } });
      // Typed Normal after its emergency shortcut: judged as it was implemented (issue 15).
      const retyped = summaryOf('Emergency retyped as Normal after the fact: payment gateway hotfix');
      expect(byKey[retyped.key]).toMatchObject({ labels: ['cc81-posthoc-overdue'], posthoc: { status: 'overdue' } });
      const neverEmergency = f.state.issues.filter((i) => i !== retyped && (i.fields[f.state.policy.fields.changeType!] as { value?: string } | null)?.value !== 'Emergency');
      expect(neverEmergency.length).toBeGreaterThan(10);
      for (const issue of neverEmergency) {
        expect(byKey[issue.key]).toMatchObject({ labels: [], posthoc: null });
      }

      const requestsBefore = f.sandbox.router.stats.snapshot();
      const second = await f.run();
      expect(f.snapshot()).toEqual(byKey);
      expect(second).toMatchObject({ warned: 0, flagged: 0, lateApprovals: 0, resolved: 0, errors: 0 });
      // One search page and one bulkfetch; no writes. KVS: lease (read, write, read back, release), policy, cursor, the open index,
      // summary, and per candidate its sweep state, its evidence log (records and head), its tamper note and its deployment gate calls.
      expect(second.restCalls).toBe(2);
      expect(f.sandbox.router.stats.snapshot().byRoute).toEqual({ 'POST /rest/api/3/search/jql': 1, 'POST /rest/api/3/changelog/bulkfetch': 1 });
      expect(second.scanned).toBeGreaterThan(0);
      expect(second.kvsOps).toBe(8 + 5 * second.scanned);
      expect(requestsBefore.total).toBe(first.restCalls);
    } finally {
      await f.close();
    }
  });

  it('counts REST calls per run: ⌈candidates / page size⌉ searches, one bulkfetch per page, one call per write', async () => {
    const f = await sweepSandbox({ pageSize: 7 });
    try {
      importTickets(f.state, mixedTickets(), T0);
      const summary = await f.run();
      const candidates = 32;
      const pages = Math.ceil(candidates / 7);
      // warning: comment + property; overdue: label + comment + property; on time: property; late: label + comment + property.
      const writes = 6 * 2 + 10 * 3 + 4 * 1 + 4 * 3;
      expect(summary).toMatchObject({ scanned: candidates, pages, warned: 6, flagged: 10, lateApprovals: 4, resolved: 4, errors: 0 });
      expect(summary.restCalls).toBe(pages * 2 + writes);
      expect(f.sandbox.router.stats.snapshot().total).toBe(summary.restCalls);
    } finally {
      await f.close();
    }
  });

  it('resumes a run stopped by its time budget, with nothing missed or doubled', async () => {
    const reference = await sweepSandbox({ pageSize: 5 });
    const f = await sweepSandbox({ pageSize: 5, budgetMs: 12, elapsedStepMs: 1 });
    try {
      importTickets(reference.state, mixedTickets(), T0);
      importTickets(f.state, mixedTickets(), T0);
      await reference.run();

      const runs = [];
      for (let i = 0; i < 20; i += 1) {
        const summary = await f.run();
        runs.push(summary);
        if (summary.complete) break;
      }
      expect(runs.length).toBeGreaterThan(1);
      expect(runs[0]!.complete).toBe(false);
      expect(runs[1]!.resumed).toBe(true);
      expect(runs.at(-1)!.complete).toBe(true);
      expect(runs.reduce((n, r) => n + r.errors, 0)).toBe(0);
      expect(runs.reduce((n, r) => n + r.warned, 0)).toBe(6);
      expect(runs.reduce((n, r) => n + r.flagged, 0)).toBe(10);
      expect(runs.reduce((n, r) => n + r.lateApprovals, 0)).toBe(4);
      const cursor = (await f.sandbox.runtime.store.get(CURSOR_KEY)) as SweepCursor;
      expect(cursor.nextPageToken).toBeNull();
      expect(f.snapshot()).toEqual(reference.snapshot());
    } finally {
      await f.close();
      await reference.close();
    }
  });

  it('with 429s on 20% of requests, waits out Retry-After and still processes every candidate', async () => {
    const reference = await sweepSandbox({ pageSize: 5 });
    const f = await sweepSandbox({ pageSize: 5, faults: { rate429: 0.2, retryAfterSeconds: 2, seed: 7 } });
    try {
      importTickets(reference.state, mixedTickets(), T0);
      importTickets(f.state, mixedTickets(), T0);
      await reference.run();
      const summary = await f.run();
      expect(summary).toMatchObject({ complete: true, errors: 0, warned: 6, flagged: 10, lateApprovals: 4, resolved: 4 });
      const stats = f.sandbox.router.stats.snapshot();
      expect(stats.faults.rate429).toBeGreaterThan(0);
      expect(f.sleeps).toHaveLength(stats.faults.rate429);
      expect(f.sleeps.every((ms) => ms === 2000)).toBe(true);
      expect(f.snapshot()).toEqual(reference.snapshot());
    } finally {
      await f.close();
      await reference.close();
    }
  });

  it('skips and reports a ticket on a 500, and picks it up on the next run', async () => {
    const f = await sweepSandbox({ pageSize: 50, faults: { rate500: 0.15, seed: 3 } });
    try {
      importTickets(f.state, mixedTickets(), T0);
      const first = await f.run();
      expect(first.errors).toBeGreaterThan(0);
      expect(first.errorIssues.every((e) => e.code === 'JIRA_HTTP')).toBe(true);
      f.sandbox.router.faults.update({ rate500: 0 });
      const again = await f.run();
      expect(again.errors).toBe(0);
      const issues = Object.values(f.snapshot());
      expect(issues.filter((i) => i.labels.includes('cc81-posthoc-overdue'))).toHaveLength(10);
      expect(issues.filter((i) => i.labels.includes('cc81-posthoc-late'))).toHaveLength(4);
    } finally {
      await f.close();
    }
  });

  it('never flags a non-emergency change or an emergency approved on time, however late the sweep runs', async () => {
    const f = await sweepSandbox();
    try {
      importTickets(f.state, [closedNormalTicket(10), emergencyTicket(10, 8), emergencyTicket(80, 30)], T0);
      for (const h of [0, 100, 1000]) {
        f.setNow(new Date(T0.getTime() + h * 3_600_000));
        await f.run();
      }
      for (const issue of Object.values(f.snapshot())) {
        expect(issue.labels).toEqual([]);
        expect(issue.comments).toBe(0);
      }
      expect(Object.values(f.snapshot()).map((i) => (i.posthoc as { status?: string } | null)?.status ?? null)).toEqual([null, 'satisfied-on-time', 'satisfied-on-time']);
    } finally {
      await f.close();
    }
  });
});
