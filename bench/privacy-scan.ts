/*
 * Personal data reporting on a big site: `npx ts-node --transpile-only bench/privacy-scan.ts`.
 * App storage as issue 14 leaves it on a site with BENCH_ISSUES (100,000) change tickets: each
 * ticket's evidence log (BENCH_RECORDS, 5 records) and log head, a sweep state for 2% of them, the
 * policy. KVS is simulated: 20 keys per query, BENCH_QUERY_MS (50) ms per query on a virtual clock.
 * Baseline: the job before this change, one listing of every `cc81:` key in one invocation.
 * Now: the resumable cycle (`runPersonalDataReport`), invocations of BENCH_BUDGET_S (840) s
 * (the function's 900 s timeout less a margin), until the cycle completes; once with no closed
 * account (collect only), once with one closed account (collect, then rewrite). Prints KVS queries,
 * invocations and simulated time; the wall time is the median of BENCH_REPEAT (3) runs. Asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { runPersonalDataReport, type RecordStore, type StoredRecord } from '../src/privacy/personal-data-report';
import { median } from './stats';

const ISSUES = Number(process.env.BENCH_ISSUES ?? 100_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 5);
const QUERY_MS = Number(process.env.BENCH_QUERY_MS ?? 50);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 840) * 1000;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const PAGE = 20;
const NOW = new Date('2026-12-06T00:00:00.000Z');
const people = Array.from({ length: 400 }, (_, i) => `5b10a2844c20165700ede${String(i).padStart(3, '0')}`);

/** KVS as the job sees it: keys in order, 20 per query; counts queries and the virtual time they take. */
class SortedKvs implements RecordStore {
  keys: string[] = [];
  values = new Map<string, unknown>();
  queries = 0;
  clockMs = 0;
  private lowerBound(prefix: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  async list(prefix: string, cursor: string | null): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
    this.queries += 1;
    this.clockMs += QUERY_MS;
    let i = cursor === null ? this.lowerBound(prefix) : Number(cursor);
    const records: StoredRecord[] = [];
    while (records.length < PAGE && i < this.keys.length && this.keys[i]!.startsWith(prefix)) {
      const key = this.keys[i++]!;
      if (this.values.has(key)) records.push({ key, value: this.values.get(key) });
    }
    return { records, nextCursor: i < this.keys.length && this.keys[i]!.startsWith(prefix) ? String(i) : null };
  }
  async get(key: string): Promise<unknown> {
    return this.values.get(key);
  }
  async set(key: string, value: unknown): Promise<void> {
    if (!this.values.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

const site = (): SortedKvs => {
  const kvs = new SortedKvs();
  const entries: Array<[string, unknown]> = [['cc81:policy', { version: 1, updatedBy: people[0], policy: { cab: { memberAccountIds: people.slice(0, 5) } } }]];
  for (let n = 0; n < ISSUES; n += 1) {
    const issueId = String(10_000 + n);
    for (let seq = 1; seq <= RECORDS; seq += 1) {
      entries.push([`cc81:log:${issueId}:${String(seq).padStart(12, '0')}`, { v: 1, issueId, seq, accountId: people[(n * 7 + seq) % people.length], actorSalt: 'f'.repeat(32), at: NOW.toISOString(), executionId: `e-${issueId}-${seq}`, hash: 'a'.repeat(64) }]);
    }
    entries.push([`cc81:log-head:${issueId}`, { seq: RECORDS, hash: 'a'.repeat(64) }]);
    if (n % 50 === 0) entries.push([`cc81:posthoc:${issueId}`, { status: 'satisfied-on-time', approverAccountId: people[n % people.length] }]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  kvs.keys = entries.map(([k]) => k);
  for (const [k, v] of entries) kvs.values.set(k, v);
  return kvs;
};

const baseline = () => {
  const kvsKeys = 1 + ISSUES * (RECORDS + 1) + Math.ceil(ISSUES / 50);
  const queries = Math.ceil(kvsKeys / PAGE);
  return { keys: kvsKeys, queries, simulatedS: (queries * QUERY_MS) / 1000 };
};

const cycle = async (closed: readonly string[]) => {
  const kvs = site();
  let invocations = 0;
  const t0 = performance.now();
  for (;;) {
    invocations += 1;
    const start = kvs.clockMs;
    const outcome = await runPersonalDataReport({
      store: kvs,
      report: async (accounts) => accounts.filter((a) => closed.includes(a.accountId)).map((a) => ({ accountId: a.accountId, status: 'closed' as const })),
      clock: () => NOW,
      newToken: () => `t${invocations}`,
      elapsed: () => kvs.clockMs - start,
      budgetMs: BUDGET_MS,
    });
    if (outcome.phase !== 'partial') return { invocations, queries: kvs.queries, simulatedS: kvs.clockMs / 1000, wallMs: performance.now() - t0, outcome };
  }
};

const main = async () => {
  const base = baseline();
  console.log(`Personal data reporting, ${ISSUES.toLocaleString('en')} tickets × ${RECORDS} log records (+ heads, 2% sweep states): ${base.keys.toLocaleString('en')} keys, ${QUERY_MS} ms per KVS query of ${PAGE}`);
  const fits = base.simulatedS <= 55 ? 'fits the 55 s default' : base.simulatedS <= 900 ? 'over the 55 s default, within the 900 s maximum' : 'over the 900 s maximum: it can never finish';
  console.log(`baseline (one listing, one invocation): ${base.queries.toLocaleString('en')} queries, ${base.simulatedS.toFixed(0)} s simulated in one invocation (${fits})`);
  for (const [name, closed] of [['no closed account', []], ['one closed account', [people[3]!]]] as const) {
    const runs = [];
    for (let r = 0; r < REPEAT; r += 1) runs.push(await cycle(closed));
    const last = runs.at(-1)!;
    console.log(
      `resumable cycle, ${name}: ${last.invocations} invocations of ≤ ${BUDGET_MS / 1000} s, ${last.queries.toLocaleString('en')} queries (${(last.queries / base.queries).toFixed(2)}× the baseline listing), ${last.simulatedS.toFixed(0)} s simulated; ` +
        `records ${last.outcome.records.toLocaleString('en')}, accounts ${last.outcome.accounts}, rewritten ${last.outcome.rewritten.toLocaleString('en')}; wall median ${(median(runs.map((x) => x.wallMs)) / 1000).toFixed(1)} s`,
    );
  }
};

void main();
