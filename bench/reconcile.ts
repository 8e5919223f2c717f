/*
 * Reconciliation benchmark: `npm run bench:reconcile`. Prints figures; asserts nothing.
 *
 * Input (deterministic, seed BENCH_SEED): BENCH_DEPLOYMENTS (100,000) deployments against
 * BENCH_TICKETS (10,000) change tickets: 70% name a ticket's key with its commit, 15% name nothing
 * but deploy a ticket's commit (matched by SHA), 10% name nothing with a commit of their own
 * (detached), 5% name a key that is no ticket; 3% are deployed by the approver.
 * Measured, BENCH_RUNS (5) times after one warm-up, each variant in a fresh child process (so its
 * peak RSS is its own):
 *   - indexed: `reconcile` (tickets by key and key-matched commits by SHA in Maps);
 *   - naive: per deployment, a scan of every ticket for its keys and of every deployment for its
 *     commit (deployments × (tickets + deployments)), then the same judging. Too slow for the whole
 *     log: it runs on the first BENCH_NAIVE_SUBSET (1,000) deployments, against all tickets and the
 *     whole log, and its time is extrapolated linearly (each deployment costs the same two scans).
 * The naive subset's matches are checked against the indexed result.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { LoggedDeployment } from '../src/deployments/deployment-file';
import { reconcile, ReconcileTicket } from '../src/deployments/reconcile';
import { deploymentFindings, sameCommit, type Policy } from '../src/domain';
import { aChange } from '../test/builders/change.builder';
import { at } from '../test/builders/clock';
import { aHistory, compliantHistory } from '../test/builders/history.builder';
import { PEOPLE } from '../test/builders/people.builder';
import { aPolicy } from '../test/builders/policy.builder';
import { fmt, median, seededRandom } from './stats';

const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 100_000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SUBSET = Math.min(DEPLOYMENTS, Number(process.env.BENCH_NAIVE_SUBSET ?? 1_000));
const SEED = Number(process.env.BENCH_SEED ?? 20260115);

const commitOf = (n: number) => `${n.toString(16).padStart(8, '0')}${'5eed'.repeat(8)}`;

const generate = (): { tickets: ReconcileTicket[]; deployments: LoggedDeployment[] } => {
  const random = seededRandom(SEED);
  const pick = (n: number) => Math.floor(random() * n);
  const notApproved = aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).build();
  const tickets: ReconcileTicket[] = Array.from({ length: TICKETS }, (_, i) => {
    const key = `CHG-${i + 1}`;
    const kind = i % 10;
    if (kind === 0) return { key, mapped: { change: aChange({ key, state: 'Assessment' }), history: notApproved } };
    if (kind === 1) return { key, mapped: { change: aChange({ key, state: 'Closed', type: 'emergency' }), history: compliantHistory('emergency') } };
    return { key, mapped: { change: aChange({ key, state: 'Closed' }), history: compliantHistory('normal') } };
  });
  const deployments: LoggedDeployment[] = Array.from({ length: DEPLOYMENTS }, (_, i) => {
    const roll = random();
    const ticket = pick(TICKETS) + 1;
    const base = { id: `bench.csv:${i + 2}`, at: at(8 + random() * 8), environment: roll < 0.35 ? 'staging' : 'production', deployer: 'deploy-bot', deployerAccountId: random() < 0.03 ? PEOPLE.approver : null };
    if (roll < 0.7) return { ...base, sha: commitOf(ticket), changeKeys: [`CHG-${ticket}`] };
    if (roll < 0.85) return { ...base, sha: commitOf(ticket).slice(0, 12), changeKeys: [] };
    if (roll < 0.95) return { ...base, sha: commitOf(TICKETS + 1 + i), changeKeys: [] };
    return { ...base, sha: null, changeKeys: [`OPS-${ticket}`] };
  });
  return { tickets, deployments };
};

/** Deployments × (tickets + deployments): what reconciliation looks like without an index. */
const naiveReconcile = (subset: readonly LoggedDeployment[], all: readonly LoggedDeployment[], tickets: readonly ReconcileTicket[], policy: Policy) =>
  subset.map((d) => {
    let changes = tickets.filter((t) => d.changeKeys.includes(t.key)).map((t) => t.key);
    let match = changes.length ? 'key' : 'none';
    if (!changes.length && d.sha) {
      const keys = new Set<string>();
      for (const other of all) {
        if (!other.sha || !sameCommit(other.sha, d.sha)) continue;
        for (const t of tickets) if (other.changeKeys.includes(t.key)) keys.add(t.key);
      }
      changes = [...keys].sort();
      if (changes.length) match = 'sha';
    }
    const findings = changes.flatMap((key) => {
      const mapped = tickets.find((t) => t.key === key)!.mapped!;
      return deploymentFindings(mapped.change, mapped.history, policy, d).map((f) => f.code);
    });
    return { id: d.id, match, changes, findings: match === 'none' ? ['DEPLOYMENT_WITHOUT_CHANGE'] : findings };
  });

interface Measured {
  variant: string;
  timings: number[];
  maxRssMb: number;
  heapAfterMb: number;
  summary: unknown;
  agrees?: boolean;
}

const measure = (variant: 'indexed' | 'naive'): Measured => {
  const { tickets, deployments } = generate();
  const policy = aPolicy();
  const timings: number[] = [];
  let summary: unknown = null;
  let agrees: boolean | undefined;
  for (let i = 0; i <= RUNS; i += 1) {
    const start = performance.now();
    if (variant === 'indexed') summary = reconcile({ deployments, tickets, policy }).summary;
    else naiveReconcile(deployments.slice(0, SUBSET), deployments, tickets, policy);
    if (i > 0) timings.push(performance.now() - start);
  }
  if (variant === 'naive') {
    const naive = naiveReconcile(deployments.slice(0, SUBSET), deployments, tickets, policy);
    const indexed = new Map(reconcile({ deployments, tickets, policy }).deployments.map((d) => [d.deployment.id, d]));
    agrees = naive.every((n) => {
      const d = indexed.get(n.id)!;
      return d.match === n.match && d.changes.join() === n.changes.join() && d.findings.map((f) => f.code).join() === n.findings.join();
    });
  }
  return { variant, timings, maxRssMb: process.resourceUsage().maxRSS / 1024, heapAfterMb: process.memoryUsage().heapUsed / 1024 / 1024, summary, ...(agrees === undefined ? {} : { agrees }) };
};

const inChild = (variant: string): Promise<Measured> =>
  new Promise((resolve, reject) => {
    const child = fork(__filename, ['measure', variant], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Measured) : reject(new Error(`${variant} exited ${code}`))));
  });

const main = async () => {
  const t = performance.now();
  const { deployments } = generate();
  const generateMs = performance.now() - t;
  const indexed = await inChild('indexed');
  const naive = await inChild('naive');
  const indexedMs = median(indexed.timings);
  const naiveSubsetMs = median(naive.timings);
  const naiveMs = (naiveSubsetMs * DEPLOYMENTS) / SUBSET;
  console.log(`bench/reconcile  node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (the machine is shared)`);
  console.log(`${DEPLOYMENTS} deployments against ${TICKETS} tickets (seed ${SEED}), generated in ${fmt(generateMs, 0).trim()} ms; median of ${RUNS} runs after 1 warm-up, each variant in a fresh process`);
  console.log(`summary: ${JSON.stringify(indexed.summary)}`);
  console.log('');
  console.log('variant                                          median ms   per deployment µs   peak RSS MB   heap after MB');
  console.log(`indexed (Maps by key and by SHA)                 ${fmt(indexedMs)}   ${fmt((indexedMs * 1000) / DEPLOYMENTS, 2)}           ${fmt(indexed.maxRssMb, 0)}     ${fmt(indexed.heapAfterMb, 0)}`);
  console.log(`naive nested scan, ${SUBSET} deployments measured     ${fmt(naiveSubsetMs)}   ${fmt((naiveSubsetMs * 1000) / SUBSET, 2)}           ${fmt(naive.maxRssMb, 0)}     ${fmt(naive.heapAfterMb, 0)}`);
  console.log(`naive, all ${DEPLOYMENTS} (extrapolated ×${DEPLOYMENTS / SUBSET})          ${fmt(naiveMs)}`);
  console.log('');
  console.log(`ratio naive / indexed: ${(naiveMs / indexedMs).toFixed(0)}× (naive extrapolated linearly from ${SUBSET} of ${DEPLOYMENTS} deployments: each costs one scan of the tickets and one of the log)`);
  console.log(`naive subset agrees with the indexed result: ${naive.agrees ? 'yes' : 'NO'}`);
  void deployments;
};

if (process.argv[2] === 'measure') console.log(JSON.stringify(measure(process.argv[3] as 'indexed' | 'naive')));
else void main();
