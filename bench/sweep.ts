/*
 * Post-hoc sweep benchmark: `npx ts-node --transpile-only bench/sweep.ts`.
 * A sandbox with BENCH_ISSUES (100,000) issues, BENCH_CANDIDATES (2,000) of them emergency
 * candidates, and BENCH_LATENCY_MS (50) ms of latency per REST request (sandbox fault injection).
 * The latency (and any Retry-After wait) is SIMULATED: the router's and the sweep's sleep add to a
 * counter instead of waiting, and the sweep's time budget reads real time + simulated time, so the
 * 45 s budget behaves as it would against a real site with that latency. Reports a full sweep (all
 * runs until complete), a second no-change sweep, and a naive sweep (list every issue, read each
 * one's changelog) measured over BENCH_NAIVE_SAMPLE issues and extrapolated. Asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { loadPolicy } from '../src/forge/policy-store';
import { createJiraClient } from '../src/jira/jira-client';
import { createSearchClient } from '../src/jira/search';
import { countingTransport } from '../src/jira/transport';
import { closedNormalTicket, emergencyTicket, importTickets } from '../src/sandbox/demo/bulk-import';
import type { DemoTicket } from '../src/sandbox/demo/demo-tickets';
import { startSandbox } from '../src/sandbox/start-sandbox';
import { DEFAULT_PAGE_SIZE, LAST_RUN_KEY, sweepFieldIds, SweepSummary } from '../src/sweep/sweep';
import { changelogFieldIds } from '../src/forge/history-gate';
import { POSTHOC_PROPERTY_KEY } from '../src/sweep/posthoc-property';
import { EVIDENCE_PROPERTY_KEY } from '../src/jira/evidence-property';

const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 2_000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const NAIVE_SAMPLE = Number(process.env.BENCH_NAIVE_SAMPLE ?? 5_000);
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

const main = async () => {
  let simulatedMs = 0;
  const simulatedSleep = async (ms: number) => {
    simulatedMs += ms;
  };
  const sandbox = await startSandbox({
    port: 0,
    demo: false,
    clock: () => NOW,
    triggerIntervalMs: 0,
    eventsIntervalMs: 0,
    routerLog: quiet,
    routerSleep: simulatedSleep,
    forgeRuntime: { log: quiet, sleep: simulatedSleep, elapsed: () => performance.now() + simulatedMs },
  });
  try {
    const t = performance.now();
    importTickets(sandbox.state, candidates(CANDIDATES), NOW); // first: the sandbox finds issues by linear scan
    importTickets(sandbox.state, noise(ISSUES - CANDIDATES), NOW);
    console.log(`generated ${sandbox.state.issues.length} issues (${CANDIDATES} emergency candidates) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    sandbox.router.faults.update({ latencyMs: LATENCY_MS });

    const sweep = async () => {
      const runs: SweepSummary[] = [];
      const wall = performance.now();
      const simulatedBefore = simulatedMs;
      sandbox.router.stats.reset();
      for (let i = 0; i < 50; i += 1) {
        await sandbox.runtime.runScheduledTrigger('posthoc-sweep');
        const summary = (await sandbox.runtime.store.get(LAST_RUN_KEY)) as SweepSummary;
        runs.push(summary);
        if (summary.complete) break;
      }
      const sum = (k: keyof SweepSummary) => runs.reduce((n, r) => n + (r[k] as number), 0);
      return {
        runs: runs.length,
        wallS: (performance.now() - wall) / 1000,
        simulatedS: (simulatedMs - simulatedBefore) / 1000,
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

    // Naive: list every issue (pages of 100 with the fields), then read each one's changelog.
    const { policy } = await loadPolicy(sandbox.runtime.store);
    const counted = countingTransport(sandbox.runtime.asApp());
    const search = createSearchClient(counted.transport, { sleep: simulatedSleep });
    const jira = createJiraClient(counted.transport, { retries: 5, sleep: simulatedSleep });
    const naiveWall = performance.now();
    const naiveSimBefore = simulatedMs;
    let token: string | null = null;
    let seen = 0;
    do {
      const page = await search.searchJql('project = CHG', { fields: sweepFieldIds(policy), properties: [POSTHOC_PROPERTY_KEY, EVIDENCE_PROPERTY_KEY], maxResults: NAIVE_PAGE, nextPageToken: token });
      for (const issue of page.issues) await jira.bulkFetchChangelogs([issue.id], changelogFieldIds(policy));
      seen += page.issues.length;
      token = page.nextPageToken ?? null;
    } while (token && seen < NAIVE_SAMPLE);
    const scale = ISSUES / seen;
    const naive = {
      wallS: ((performance.now() - naiveWall) / 1000) * scale,
      simulatedS: ((simulatedMs - naiveSimBefore) / 1000) * scale,
      restCalls: Math.round(counted.count() * scale) + first.writes,
    };

    const target = Math.ceil(CANDIDATES / DEFAULT_PAGE_SIZE);
    const row = (label: string, a: string | number, b: string | number, c: string | number) => console.log(`${label.padEnd(34)}${String(a).padStart(16)}${String(b).padStart(16)}${String(c).padStart(20)}`);
    console.log(`\n${ISSUES} issues, ${CANDIDATES} candidates, ${LATENCY_MS} ms simulated latency per request, page size ${DEFAULT_PAGE_SIZE}`);
    row('', 'full sweep', 'second sweep', `naive (×${scale.toFixed(0)} of ${seen})`);
    row('trigger runs (45 s budget each)', first.runs, second.runs, '-');
    row('wall time, s (in-process)', first.wallS.toFixed(1), second.wallS.toFixed(2), naive.wallS.toFixed(0));
    row('simulated latency + waits, s', first.simulatedS.toFixed(1), second.simulatedS.toFixed(2), naive.simulatedS.toFixed(0));
    row('REST calls', first.restCalls, second.restCalls, naive.restCalls);
    row('  of which writes', first.writes, second.writes, first.writes);
    row('KVS operations', first.kvsOps, second.kvsOps, '-');
    row('issues scanned', first.scanned, second.scanned, ISSUES);
    console.log(`\ntarget: REST calls ≈ ⌈candidates/page⌉ (${target}) + one per write (${first.writes}) = ${target + first.writes} reads-and-writes; second sweep writes nothing`);
    console.log('full sweep actions', JSON.stringify(first.actions));
    console.log('full sweep by route', JSON.stringify(first.byRoute));
    console.log('second sweep by route', JSON.stringify(second.byRoute));
  } finally {
    await sandbox.close();
  }
};

void main();
