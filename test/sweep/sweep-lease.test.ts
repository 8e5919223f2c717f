/**
 * The sweep's KVS lease: one invocation sweeps at a time; a continuation event runs only as the next
 * link of the chain the lease records. The sweep core is called directly, every port injected.
 */
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import type { LedgerStore } from '../../src/ports/ledger-store';
import { LAST_RUN_KEY, SweepInvocation } from '../../src/sweep/sweep';
import { CLAIM_PREFIX, claimKey, CLAIMS_KEPT, LEASE_KEY, SweepLease } from '../../src/sweep/sweep-lease';
import { directSweep, SweepSandbox, sweepSandbox, T0, ledgerOps } from './sweep-fixture';

const ms = (offset: number) => new Date(T0.getTime() + offset).toISOString();
const lease = (fields: Partial<SweepLease>): SweepLease => ({ version: 1, holder: null, expiresAt: ms(-60_000), runId: 'run-1', continuations: 0, pending: false, generation: 0, ...fields });

let f: SweepSandbox;
beforeEach(async () => {
  f = await sweepSandbox();
  importTickets(f.state, [emergencyTicket(100)], T0); // overdue: the sweep flags it
});
afterEach(() => f.close());

describe('a lease held by another invocation', () => {
  it.each([
    { name: 'expiring 1 ms from now', held: lease({ holder: 'other', expiresAt: ms(1) }), sweeps: false },
    { name: 'expiring exactly now (its holder is dead)', held: lease({ holder: 'other', expiresAt: ms(0) }), sweeps: true },
    { name: 'expired 1 ms ago', held: lease({ holder: 'other', expiresAt: ms(-1) }), sweeps: true },
    { name: 'released (no holder), expiry still ahead', held: lease({ holder: null, expiresAt: ms(60_000) }), sweeps: true },
  ])('$name: the trigger sweeps = $sweeps', async ({ held, sweeps }) => {
    await f.sandbox.runtime.store.set(LEASE_KEY, held);
    const s = directSweep(f);
    const summary = await s.run();
    expect(summary.skipped).toBe(sweeps ? null : 'lease-held');
    expect(summary.flagged).toBe(sweeps ? 1 : 0);
    expect(s.requests.length > 0).toBe(sweeps);
  });

  it('exits at once: no Jira call, no stored summary, and a summary that claims nothing', async () => {
    await f.sandbox.runtime.store.set(LEASE_KEY, lease({ holder: 'other', expiresAt: ms(10_000) }));
    let t = 5_000;
    const s = directSweep(f, { deps: { elapsed: () => (t += 20) } });
    const summary = await s.run();
    expect(summary).toMatchObject({
      skipped: 'lease-held', runId: null, complete: false, resumed: false, pages: 0, scanned: 0, errors: 0, continuationPushed: false, chainCapped: false,
      durationMs: 20, // two reads of the budget timer: at start and at exit
    });
    expect(s.requests).toEqual([]);
    expect(s.pushes).toEqual([]);
    expect(await f.sandbox.runtime.store.get(LAST_RUN_KEY)).toBeUndefined();
    expect(s.logged('skipped')).toEqual([{ event: 'skipped', reason: 'lease-held', invocation: 'trigger', kvsOps: 1 }]);
  });
});

describe('claiming the lease', () => {
  const recording = (writes: SweepLease[]) => (inner: LedgerStore): LedgerStore => ({
  ...ledgerOps(inner),
    get: (key) => inner.get(key),
    set: (key, value) => {
      if (key === LEASE_KEY) writes.push(structuredClone(value as SweepLease));
      return inner.set(key, value);
    },
  });

  it('a trigger starts a new run: held until now + budget + 30 s (crash safety), no continuation pending; released at the end', async () => {
    const writes: SweepLease[] = [];
    const s = directSweep(f, { store: recording(writes), deps: { budgetMs: 10_000 } });
    const summary = await s.run();
    expect(summary).toMatchObject({ runId: 'id-2', continuation: 0, flagged: 1 });
    expect(writes).toEqual([
      { version: 1, holder: 'id-1', expiresAt: ms(40_000), runId: 'id-2', continuations: 0, pending: false, generation: 1 },
      { version: 1, holder: null, expiresAt: ms(0), runId: 'id-2', continuations: 0, pending: false, generation: 1 },
    ]);
  });

  it('a continuation takes over its run as the next link, no continuation pending while it sweeps', async () => {
    await f.sandbox.runtime.store.set(LEASE_KEY, lease({ runId: 'run-1', continuations: 1, pending: true }));
    const writes: SweepLease[] = [];
    const s = directSweep(f, { store: recording(writes), deps: { budgetMs: 10_000 } });
    const summary = await s.run({ kind: 'continuation', runId: 'run-1', continuation: 2 });
    expect(summary).toMatchObject({ invocation: 'continuation', runId: 'run-1', continuation: 2, skipped: null, flagged: 1 });
    expect(writes[0]).toEqual({ version: 1, holder: 'id-1', expiresAt: ms(40_000), runId: 'run-1', continuations: 2, pending: false, generation: 1 });
  });

  it('of two invocations that both read the lease free, only the one whose claim lands sweeps', async () => {
    // B reads the free lease, then waits until A holds it and is sweeping; read-write-read would let B in too.
    let aHolds!: () => void;
    const aHoldsLease = new Promise<void>((resolve) => (aHolds = resolve));
    let bResume!: () => void;
    const bMayFinish = new Promise<void>((resolve) => (bResume = resolve));
    const a = directSweep(f, {
      deps: { newId: (() => { let n = 0; return () => `a-${(n += 1)}`; })() },
      intercept: async (request, next) => {
        aHolds();
        await bMayFinish;
        return next(request);
      },
    });
    const b = directSweep(f, {
      deps: { newId: (() => { let n = 0; return () => `b-${(n += 1)}`; })() },
      store: (inner) => ({
        ...ledgerOps(inner),
        set: (key, value) => inner.set(key, value),
        get: async (key) => {
          const value = await inner.get(key);
          if (key === LEASE_KEY) await aHoldsLease;
          return value;
        },
      }),
    });
    const [runA, runB] = [a.run(), b.run()];
    const summaryB = await runB;
    bResume();
    const summaryA = await runA;
    expect(summaryB).toMatchObject({ skipped: 'lease-held', scanned: 0 });
    expect(b.requests).toEqual([]);
    expect(summaryA).toMatchObject({ skipped: null, flagged: 1 });
    expect(f.state.issues[0]!.comments).toHaveLength(1);
  });

  it.each([
    { name: 'unexpired (its winner is writing the lease now)', expiresAt: ms(1), sweeps: false, generation: 1 },
    { name: 'expired (its winner died before writing the lease)', expiresAt: ms(0), sweeps: true, generation: 2 },
    { name: 'unreadable', expiresAt: null, sweeps: true, generation: 2 },
  ])('a claim of the next generation already made, $name: sweeps = $sweeps', async ({ expiresAt, sweeps, generation }) => {
    await f.sandbox.runtime.store.set(LEASE_KEY, lease({ generation: 0 }));
    await f.sandbox.runtime.store.set(claimKey(1), expiresAt ? { v: 1, holder: 'dead', expiresAt } : 'garbage');
    const s = directSweep(f);
    const summary = await s.run();
    expect(summary.skipped).toBe(sweeps ? null : 'lease-held');
    expect(((await f.sandbox.runtime.store.get(LEASE_KEY)) as SweepLease).generation).toBe(sweeps ? generation : 0);
  });

  it('a claim whose answer was lost (it exists, and is ours) is ours', async () => {
    const s = directSweep(f, {
      store: (inner) => ({
        ...ledgerOps(inner),
        get: (key) => inner.get(key),
        set: (key, value) => inner.set(key, value),
        setIfAbsent: async (key, value) => {
          await inner.setIfAbsent(key, value);
          return 'exists';
        },
      }),
    });
    expect(await s.run()).toMatchObject({ skipped: null, flagged: 1 });
  });

  it.each([
    { name: 'missing', stored: undefined },
    { name: 'unreadable', stored: { version: 7, holder: 42 } },
  ])('a $name lease resumes after the newest claim, and an unreadable one is logged', async ({ stored }) => {
    if (stored) await f.sandbox.runtime.store.set(LEASE_KEY, stored);
    for (const g of [3, 4]) await f.sandbox.runtime.store.set(claimKey(g), { v: 1, holder: 'old', expiresAt: ms(-1) });
    const s = directSweep(f);
    expect(await s.run()).toMatchObject({ skipped: null, flagged: 1 });
    expect(((await f.sandbox.runtime.store.get(LEASE_KEY)) as SweepLease).generation).toBe(5);
    expect(s.logged('lease-unreadable')).toHaveLength(stored ? 1 : 0);
  });

  it(`keeps the last ${CLAIMS_KEPT} claims: the one that falls out is deleted on release`, async () => {
    for (let run = 0; run < CLAIMS_KEPT + 2; run += 1) await directSweep(f).run();
    const claims = (await f.sandbox.runtime.store.listByPrefix(CLAIM_PREFIX)).map((e) => e.key);
    expect(claims).toEqual([3, 4, 5, 6, 7].map(claimKey));
  });

  it('sweeps nothing when KVS fails while the lease is read, and reports it as a failed run', async () => {
    let failures = 1;
    const s = directSweep(f, {
      store: (inner) => ({
        ...ledgerOps(inner),
        get: async (key) => {
          if (key === LEASE_KEY && failures-- > 0) throw Object.assign(new Error('KVS unavailable'), { name: 'KvsUnavailable' });
          return inner.get(key);
        },
        set: (key, value) => inner.set(key, value),
      }),
    });
    const summary = await s.run();
    expect(summary).toMatchObject({ skipped: null, runId: null, complete: false, scanned: 0, errors: 1, errorIssues: [{ issueId: '(lease)', code: 'KvsUnavailable' }] });
    expect(s.requests).toEqual([]);
    expect(f.state.issues[0]!.comments).toHaveLength(0);
  });
});

describe('a continuation event', () => {
  // The lease as the trigger run left it: run-1, one continuation started, the next one queued.
  const chain = lease({ runId: 'run-1', continuations: 1, pending: true });
  const continuation = (runId: string, n: number): SweepInvocation => ({ kind: 'continuation', runId, continuation: n });
  it.each([
    { name: 'the next link (2)', stored: chain, event: continuation('run-1', 2), skipped: null },
    { name: 'a replay of the link already run (1)', stored: chain, event: continuation('run-1', 1), skipped: 'stale-continuation' },
    { name: 'a link from the future (3)', stored: chain, event: continuation('run-1', 3), skipped: 'stale-continuation' },
    { name: 'of another run', stored: chain, event: continuation('run-0', 2), skipped: 'stale-continuation' },
    { name: 'when none is pending', stored: { ...chain, pending: false }, event: continuation('run-1', 2), skipped: 'stale-continuation' },
    { name: 'when no lease exists', stored: null, event: continuation('run-1', 1), skipped: 'stale-continuation' },
  ])('$name: skipped = $skipped', async ({ stored, event, skipped }) => {
    if (stored) await f.sandbox.runtime.store.set(LEASE_KEY, stored);
    const s = directSweep(f);
    const summary = await s.run(event);
    expect(summary.skipped).toBe(skipped);
    expect(s.requests.length > 0).toBe(skipped === null);
  });
});
