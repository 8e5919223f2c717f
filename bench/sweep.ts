/*
 * Post-hoc sweep benchmark: `npx ts-node --transpile-only bench/sweep.ts`.
 * A sandbox with BENCH_ISSUES (100,000) issues, BENCH_CANDIDATES (2,000) of them emergency
 * candidates, and BENCH_LATENCY_MS (50) ms of latency per REST request (sandbox fault injection).
 * The latency (and any Retry-After wait) is SIMULATED on a virtual clock: a sleep registers a
 * timer; once every in-process task is blocked (setImmediate: no pending microtasks), the clock
 * jumps to the earliest timer. Concurrent requests' latencies therefore overlap as on a real site.
 * The sweep's time budget reads real time + virtual time, so the 45 s budget behaves as it would
 * against a real site with that latency. Reports the first full sweep (trigger + continuation
 * chain through the events queue, until complete), a second no-change sweep, the same with the
 * sequential sweep (BENCH_CONCURRENCY=1 side: concurrency 1, no queue), and a naive sweep (list
 * every issue, read each one's changelog) measured over BENCH_NAIVE_SAMPLE issues and
 * extrapolated. BENCH_CONCURRENCY (8) sets the pool. Asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { loadPolicy } from '../src/policy/policy-store';
import { createJiraClient } from '../src/jira/jira-client';
import { createSearchClient } from '../src/jira/search';
import { countingTransport } from '../src/jira/transport';
import { closedNormalTicket, emergencyTicket, importTickets } from '../sandbox/demo/bulk-import';
import type { DemoTicket } from '../sandbox/demo/demo-tickets';
import { startSandbox } from '../sandbox/start-sandbox';
import { DEFAULT_PAGE_SIZE, sweepFieldIds } from '../src/sweep/sweep';
import { POSTHOC_PROPERTY_KEY } from '../src/sweep/posthoc-property';
import { EVIDENCE_PROPERTY_KEY } from '../src/jira/evidence-property';
import { gateChangelogFieldIds } from '../src/jira/changelog-fields';

const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 2_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const NAIVE_SAMPLE = Number(process.env.BENCH_NAIVE_SAMPLE ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const NAIVE_PAGE = 100; // Jira's practical page size when fields are requested
const NOW = new Date('2026-03-02T08:00:00.000Z');
const quiet = () => undefined;

/** Candidates: 25% pending, 25% in warning, 35% overdue, 7.5% approved on time, 7.5% approved late. */
function* candidates(n: number): Generator<DemoTicket> {
  for (let i = 0; i < n; i += 1) {
    const r = i % 40;
    if (r < 10) yield emergencyTicket(2 + (i % 40));
    else if (r < 20) yield emergencyTicket(50 + (i % 20));
    else if (r < 34) yield emergencyTicket(80 + (i % 300));
    else if (r < 37) yield emergencyTicket(200 + (i % 50), 190);
    else yield emergencyTicket(300 + (i % 50), 100);
  }
}
function* noise(n: number): Generator<DemoTicket> {
  for (let i = 0; i < n; i += 1) yield closedNormalTicket(10 + (i % 2000));
}

/** A virtual clock: sleeps resolve in due order once nothing else can run; returns `sleep` and `now`. */
const virtualClock = () => {
  let now = 0;
  let timers: { due: number; resolve: () => void }[] = [];
  let scheduled = false;
  const advance = () => {
    scheduled = false;
    if (!timers.length) return;
    const due = Math.min(...timers.map((t) => t.due));
    now = Math.max(now, due);
    const ready = timers.filter((t) => t.due <= now);
    timers = timers.filter((t) => t.due > now);
    ready.forEach((t) => t.resolve());
    schedule();
  };
  const schedule = () => {
    if (!scheduled && timers.length) {
      scheduled = true;
      setImmediate(advance);
    }
  };
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ due: now + ms, resolve });
        schedule();
      }),
    now: () => now,
  };
};

type Run = Record<string, unknown>;

const runBench = async (concurrency: number, withQueue: boolean) => {
  const runs: Run[] = [];
  const clock = virtualClock();
  const simulatedSleep = clock.sleep;
  const sandbox = await startSandbox({
    port: 0,
    demo: false,
    clock: () => NOW,
    triggerIntervalMs: 0,
    eventsIntervalMs: 0,
    routerLog: quiet,
    routerSleep: simulatedSleep,
    forgeRuntime: { log: (event, fields) => void (event === 'cc81-posthoc-sweep' && fields.event === 'run' && runs.push(fields as Run)), sleep: simulatedSleep, elapsed: () => performance.now() + clock.now(), sweepConcurrency: concurrency },
  });
  if (!withQueue) sandbox.runtime.events.push = async () => ({ jobId: 'dropped' }); // no continuation: hourly triggers only
  try {
    const t = performance.now();
    importTickets(sandbox.state, candidates(CANDIDATES), NOW); // first: the sandbox finds issues by linear scan
    importTickets(sandbox.state, noise(ISSUES - CANDIDATES), NOW);
    console.log(`generated ${sandbox.state.issues.length} issues (${CANDIDATES} emergency candidates) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    sandbox.router.faults.update({ latencyMs: LATENCY_MS });

    const sweep = async () => {
      runs.length = 0;
      let triggers = 0;
      const wall = performance.now();
      const simulatedBefore = clock.now();
      sandbox.router.stats.reset();
      for (let i = 0; i < 50; i += 1) {
        await sandbox.runtime.runScheduledTrigger('posthoc-sweep');
        triggers += 1;
        // The continuation chain: the consumer runs (and pushes again) until done or capped.
        await sandbox.runtime.events.drain({ all: true });
        if (runs.at(-1)?.complete) break;
      }
      const sum = (k: string) => runs.reduce((n, r) => n + (r[k] as number), 0);
      return {
        runs: runs.length,
        triggers,
        wallS: (performance.now() - wall) / 1000,
        simulatedS: (clock.now() - simulatedBefore) / 1000,
        restCalls: sum('restCalls'),
        routerRequests: sandbox.router.stats.snapshot().total,
        byRoute: sandbox.router.stats.snapshot().byRoute,
        kvsOps: sum('kvsOps'),
        scanned: sum('scanned'),
        writes: sum('warned') * 2 + sum('flagged') * 3 + sum('lateApprovals') * 3 + sum('resolved'),
        actions: { warned: sum('warned'), flagged: sum('flagged'), lateApprovals: sum('lateApprovals'), resolved: sum('resolved'), errors: sum('errors') },
      };
    };

    const first = await sweep();
    const second = await sweep();
    if (!withQueue) return { first, second, naive: null };

    // Naive: list every issue (pages of 100 with the fields), then read each one's changelog.
    const { policy } = await loadPolicy(sandbox.runtime.store);
    const counted = countingTransport(sandbox.runtime.asApp());
    const search = createSearchClient(counted.transport, { sleep: simulatedSleep });
    const jira = createJiraClient(counted.transport, { retries: 5, sleep: simulatedSleep });
    const naiveWall = performance.now();
    const naiveSimBefore = clock.now();
    let token: string | null = null;
    let seen = 0;
    do {
      const page = await search.searchJql('project = CHG', { fields: sweepFieldIds(policy), properties: [POSTHOC_PROPERTY_KEY, EVIDENCE_PROPERTY_KEY], maxResults: NAIVE_PAGE, nextPageToken: token });
      for (const issue of page.issues) await jira.bulkFetchChangelogs([issue.id], gateChangelogFieldIds(policy));
      seen += page.issues.length;
      token = page.nextPageToken ?? null;
    } while (token && seen < NAIVE_SAMPLE);
    const scale = ISSUES / seen;
    const naive = {
      seen,
      scale,
      wallS: ((performance.now() - naiveWall) / 1000) * scale,
      simulatedS: ((clock.now() - naiveSimBefore) / 1000) * scale,
      restCalls: Math.round(counted.count() * scale) + first.writes,
    };
    return { first, second, naive };
  } finally {
    await sandbox.close();
  }
};

const main = async () => {
  const pooled = await runBench(CONCURRENCY, true);
  const sequential = await runBench(1, false);
  const { first, second } = pooled;
  const naive = pooled.naive!;
  const target = Math.ceil(CANDIDATES / DEFAULT_PAGE_SIZE);
  const row = (label: string, ...cells: (string | number)[]) => console.log(`${label.padEnd(36)}${cells.map((c) => String(c).padStart(15)).join('')}`);
  console.log(`\n${ISSUES} issues, ${CANDIDATES} candidates, ${LATENCY_MS} ms simulated latency per request, page size ${DEFAULT_PAGE_SIZE}, pool ${CONCURRENCY}`);
  row('', `pool ${CONCURRENCY} full`, 'second', 'sequential full', 'second', `naive ×${naive.scale.toFixed(0)}`);
  row('invocations (45 s budget each)', first.runs, second.runs, sequential.first.runs, sequential.second.runs, '-');
  row('  of which hourly triggers', first.triggers, second.triggers, sequential.first.triggers, sequential.second.triggers, '-');
  row('wall time, s (in-process)', first.wallS.toFixed(1), second.wallS.toFixed(2), sequential.first.wallS.toFixed(1), sequential.second.wallS.toFixed(2), naive.wallS.toFixed(0));
  row('simulated time (virtual clock), s', first.simulatedS.toFixed(1), second.simulatedS.toFixed(2), sequential.first.simulatedS.toFixed(1), sequential.second.simulatedS.toFixed(2), naive.simulatedS.toFixed(0));
  row('REST calls', first.restCalls, second.restCalls, sequential.first.restCalls, sequential.second.restCalls, naive.restCalls);
  row('  of which writes', first.writes, second.writes, sequential.first.writes, sequential.second.writes, first.writes);
  row('KVS operations', first.kvsOps, second.kvsOps, sequential.first.kvsOps, sequential.second.kvsOps, '-');
  row('issues scanned', first.scanned, second.scanned, sequential.first.scanned, sequential.second.scanned, ISSUES);
  console.log(`\ntarget: REST calls ≈ ⌈candidates/page⌉ (${target}) + one per write (${first.writes}) = ${target + first.writes} reads-and-writes; second sweep writes nothing`);
  console.log('sequential (pool 1, no continuation queue): the hourly trigger alone, as before');
  console.log('full sweep actions', JSON.stringify(first.actions));
  console.log('full sweep by route', JSON.stringify(first.byRoute));
  console.log('second sweep by route', JSON.stringify(second.byRoute));
};

void main();
