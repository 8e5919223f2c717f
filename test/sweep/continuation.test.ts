import { closedNormalTicket, emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { EVENT_LIMITS } from '../../sandbox/forge-runtime/forge-events';
import { CONTINUATION_QUEUE, CURSOR_KEY, LAST_RUN_KEY, SweepCursor, SweepSummary } from '../../src/sweep/sweep';
import { LEASE_KEY, SweepLease } from '../../src/sweep/sweep-lease';
import { sweepSandbox, T0 } from './sweep-fixture';

const mixedTickets = () => [
  ...Array.from({ length: 8 }, (_, i) => emergencyTicket(2 + i)),
  ...Array.from({ length: 6 }, (_, i) => emergencyTicket(60 + i)),
  ...Array.from({ length: 10 }, (_, i) => emergencyTicket(100 + i * 5)),
  ...Array.from({ length: 4 }, (_, i) => emergencyTicket(200 + i, 190)),
  ...Array.from({ length: 4 }, (_, i) => emergencyTicket(300 + i, 100)),
  ...Array.from({ length: 8 }, (_, i) => closedNormalTicket(50 + i)),
];

type Run = Record<string, unknown>;
const total = (runs: Run[], key: string) => runs.reduce((n, r) => n + (r[key] as number), 0);

describe('the sweep continuation chain (@forge/events queue)', () => {
  it('pushes one continuation when the budget runs out; draining the queue finishes the sweep with nothing missed or doubled', async () => {
    const reference = await sweepSandbox({ pageSize: 5 });
    const f = await sweepSandbox({ pageSize: 5, budgetMs: 12, elapsedStepMs: 1 });
    try {
      importTickets(reference.state, mixedTickets(), T0);
      importTickets(f.state, mixedTickets(), T0);
      await reference.run();
      const push = jest.spyOn(f.sandbox.runtime.events, 'push');

      const first = await f.run();
      expect(first).toMatchObject({ complete: false, invocation: 'trigger', continuation: 0, continuationPushed: true });
      const pending = f.sandbox.runtime.events.pending();
      expect(pending).toHaveLength(1);
      expect(pending[0]).toMatchObject({ queueName: CONTINUATION_QUEUE, body: { runId: first.runId, continuation: 1 } });

      const drained = await f.sandbox.runtime.events.drain();
      expect(drained.failed).toBe(0);
      expect(drained.delivered).toBeGreaterThan(1);
      expect(f.sandbox.runtime.events.pending()).toHaveLength(0);

      const runs = f.sweepRuns();
      expect(runs.length).toBe(1 + drained.delivered);
      expect(runs.map((r) => r.continuation)).toEqual(runs.map((_, i) => i));
      expect(runs.every((r) => r.runId === first.runId)).toBe(true);
      expect(runs.at(-1)).toMatchObject({ complete: true, continuationPushed: false });
      expect(f.sweepSkips()).toEqual([]);
      expect(total(runs, 'errors')).toBe(0);
      expect(total(runs, 'warned')).toBe(6);
      expect(total(runs, 'flagged')).toBe(10);
      expect(total(runs, 'lateApprovals')).toBe(4);
      expect(((await f.sandbox.runtime.store.get(CURSOR_KEY)) as SweepCursor).nextPageToken).toBeNull();
      expect(await f.sandbox.runtime.store.get(LEASE_KEY)).toMatchObject({ holder: null, pending: false, runId: first.runId, continuations: drained.delivered });
      expect(f.snapshot()).toEqual(reference.snapshot());

      // Queue limits: one small event per push, no delay beyond the platform's maximum.
      expect(push).toHaveBeenCalledTimes(runs.length - 1);
      for (const [queue, events, settings] of push.mock.calls) {
        expect(queue).toBe(CONTINUATION_QUEUE);
        const list = Array.isArray(events) ? events : [events];
        expect(list.length).toBeLessThanOrEqual(EVENT_LIMITS.maxEventsPerPush);
        expect(list).toHaveLength(1);
        expect(Buffer.byteLength(JSON.stringify(list))).toBeLessThan(EVENT_LIMITS.maxPayloadBytes);
        expect(settings?.delayInSeconds ?? 0).toBeLessThanOrEqual(EVENT_LIMITS.maxDelayInSeconds);
      }
    } finally {
      await f.close();
      await reference.close();
    }
  });

  it('caps the chain per trigger run; the next hourly trigger resumes from the cursor', async () => {
    const reference = await sweepSandbox({ pageSize: 3 });
    const f = await sweepSandbox({ pageSize: 3, budgetMs: 6, elapsedStepMs: 1, maxContinuations: 2 });
    try {
      importTickets(reference.state, mixedTickets(), T0);
      importTickets(f.state, mixedTickets(), T0);
      await reference.run();

      const first = await f.run();
      expect(first.complete).toBe(false);
      const drained = await f.sandbox.runtime.events.drain();
      expect(drained).toMatchObject({ delivered: 2, failed: 0 });
      expect(f.sandbox.runtime.events.pending()).toHaveLength(0);
      const capped = (await f.sandbox.runtime.store.get(LAST_RUN_KEY)) as SweepSummary;
      expect(capped).toMatchObject({ invocation: 'continuation', continuation: 2, complete: false, continuationPushed: false, chainCapped: true });
      expect(await f.sandbox.runtime.store.get(LEASE_KEY)).toMatchObject({ holder: null, pending: false, continuations: 2 });

      // Hourly triggers, each with its own chain, until the sweep is complete.
      for (let i = 0; i < 10; i += 1) {
        const next = await f.run();
        expect(next.resumed).toBe(true);
        await f.sandbox.runtime.events.drain();
        if (((await f.sandbox.runtime.store.get(LAST_RUN_KEY)) as SweepSummary).complete) break;
      }
      const runs = f.sweepRuns();
      expect(runs.every((r) => (r.continuation as number) <= 2)).toBe(true);
      expect(runs.at(-1)!.complete).toBe(true);
      expect(total(runs, 'errors')).toBe(0);
      expect(total(runs, 'flagged')).toBe(10);
      expect(f.snapshot()).toEqual(reference.snapshot());
    } finally {
      await f.close();
      await reference.close();
    }
  });

  it('lets only one invocation sweep when a trigger and a continuation overlap (KVS lease)', async () => {
    const reference = await sweepSandbox({ pageSize: 5 });
    const f = await sweepSandbox({ pageSize: 5, budgetMs: 12, elapsedStepMs: 1 });
    try {
      importTickets(reference.state, mixedTickets(), T0);
      importTickets(f.state, mixedTickets(), T0);
      await reference.run();
      await f.run();
      expect(f.sandbox.runtime.events.pending()).toHaveLength(1);

      // The continuation is delivered while the next trigger fires.
      const runsBefore = f.sweepRuns().length;
      await Promise.all([f.sandbox.runtime.runScheduledTrigger('posthoc-sweep'), f.sandbox.runtime.events.drain()]);
      const skips = f.sweepSkips();
      expect(skips.length).toBeGreaterThanOrEqual(1);
      expect(skips.every((s) => s.kvsOps === 3 || s.kvsOps === 1)).toBe(true); // exits at once: lease reads/write only
      // Exactly one of the two overlapping invocations swept (a winning continuation may chain on).
      const overlapping = f.sweepRuns().slice(runsBefore);
      expect(overlapping.filter((r) => r.invocation === 'trigger').length + (skips.some((s) => s.invocation === 'trigger') ? 1 : 0)).toBe(1);

      // A lease held by a live invocation: a trigger exits at once, without REST calls or a summary.
      const summaryBefore = await f.sandbox.runtime.store.get(LAST_RUN_KEY);
      const lease: SweepLease = { version: 1, holder: 'someone-else', expiresAt: new Date(f.now().getTime() + 60_000).toISOString(), runId: 'r', continuations: 0, pending: false, generation: ((await f.sandbox.runtime.store.get(LEASE_KEY)) as SweepLease).generation };
      await f.sandbox.runtime.store.set(LEASE_KEY, lease);
      f.sandbox.router.stats.reset();
      await f.sandbox.runtime.runScheduledTrigger('posthoc-sweep');
      expect(f.sweepSkips().at(-1)).toMatchObject({ reason: 'lease-held', invocation: 'trigger' });
      expect(f.sandbox.router.stats.snapshot().total).toBe(0);
      expect(await f.sandbox.runtime.store.get(LAST_RUN_KEY)).toEqual(summaryBefore);

      // An expired lease (its holder died) is taken over; the sweep then finishes, nothing doubled.
      await f.sandbox.runtime.store.set(LEASE_KEY, { ...lease, expiresAt: new Date(f.now().getTime() - 1).toISOString() });
      for (let i = 0; i < 20; i += 1) {
        await f.sandbox.runtime.runScheduledTrigger('posthoc-sweep');
        await f.sandbox.runtime.events.drain();
        if (((await f.sandbox.runtime.store.get(LAST_RUN_KEY)) as SweepSummary).complete) break;
      }
      expect(((await f.sandbox.runtime.store.get(LAST_RUN_KEY)) as SweepSummary).complete).toBe(true);
      expect(total(f.sweepRuns(), 'errors')).toBe(0);
      expect(total(f.sweepRuns(), 'warned')).toBe(6);
      expect(total(f.sweepRuns(), 'flagged')).toBe(10);
      expect(f.snapshot()).toEqual(reference.snapshot());
    } finally {
      await f.close();
      await reference.close();
    }
  });

  it('ignores a duplicated or stale continuation event', async () => {
    const f = await sweepSandbox({ pageSize: 5, budgetMs: 12, elapsedStepMs: 1 });
    try {
      importTickets(f.state, mixedTickets(), T0);
      const first = await f.run();
      const [event] = f.sandbox.runtime.events.pending();
      // The platform delivers at least once: the same event twice, and one of a run that no longer exists.
      await f.sandbox.runtime.events.push(CONTINUATION_QUEUE, { body: event!.body });
      await f.sandbox.runtime.events.push(CONTINUATION_QUEUE, { body: { runId: 'old-run', continuation: 1 } });
      await f.sandbox.runtime.events.push(CONTINUATION_QUEUE, { body: { nonsense: true } });
      await f.sandbox.runtime.events.drain();
      const runs = f.sweepRuns();
      expect(runs.map((r) => r.continuation)).toEqual(runs.map((_, i) => i));
      expect(runs.every((r) => r.runId === first.runId)).toBe(true);
      expect(f.sweepSkips().filter((s) => s.reason === 'stale-continuation')).toHaveLength(2);
      expect(f.logs.filter((l) => l.fields.event === 'continuation-malformed')).toHaveLength(1);
      expect(runs.at(-1)!.complete).toBe(true);
      expect(total(runs, 'flagged')).toBe(10);
      expect(total(runs, 'warned')).toBe(6);
    } finally {
      await f.close();
    }
  });
});
