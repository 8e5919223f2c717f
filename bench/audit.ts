/*
 * Auditor evidence benchmark: `npm run bench:audit`. Prints figures; asserts nothing.
 *
 * Input: BENCH_TICKETS (10,000) generated change tickets with about 20 history entries each, in a
 * sandbox, exported as `search/jql` pages with `expand=changelog` (bench/out/audit-export.json).
 * Measured, BENCH_RUNS (3) times each, in a fresh child process per run: `cc81 evidence --size 50`
 * (population + audit of every ticket + a 50-ticket evidence pack in one command, one read of the
 * source: the goal's figure), then `cc81 population` and `cc81 audit --format json` on their own:
 *   - from the export file, against the goal of 5 s and 500 MB;
 *   - from the sandbox over HTTP with BENCH_LATENCY_MS (50) ms of real latency per request
 *     (sandbox fault injection), counting REST calls (bulk changelog fetch, 1000 issues per call).
 * BENCH_SITE=0 skips the site runs. Also shown, not run: the REST calls and latency of reading each issue's changelog on its own.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_USERS } from '../sandbox/demo/demo-users';
import { startSandbox } from '../sandbox/start-sandbox';
import { writeAuditExport } from './audit/generate-export';
import { median } from './stats';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const GOAL_S = 5;
const GOAL_MB = 500;
const NOW = new Date('2026-04-15T00:00:00.000Z'); // the generated tickets live in March 2026
const PERIOD = ['--from', '2026-01-01', '--to', '2026-12-31'];
const OUT = join(__dirname, 'out');
const CREDENTIALS = { JIRA_EMAIL: DEMO_USERS.compliance.emailAddress, JIRA_API_TOKEN: 'bench' };

interface Measured {
  timings: Record<string, number>;
  restCalls: Record<string, number>;
  evidenceMaxRssMb: number;
  maxRssMb: number;
  peakHeapMb: number;
}

const measure = async (label: string, source: string[], env: Record<string, string>): Promise<Measured[]> => {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const out = join(OUT, `${label}-${i}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const config = { source, out, now: NOW.toISOString(), period: PERIOD, env };
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'audit', 'measure.ts'), JSON.stringify(config)], {
        env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json') },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.stderr.on('data', (d) => (stderr += String(d)));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    if (result.status !== 0) throw new Error(`${label} run ${i} failed: ${result.stderr}`);
    runs.push(JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measured);
  }
  return runs;
};

const main = async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const sandbox = await startSandbox({ port: 0, demo: false, clock: () => NOW, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
  try {
    const t = performance.now();
    const { exportFile, policyFile, entries, pages } = await writeAuditExport(sandbox, TICKETS, OUT);
    const exportMb = statSync(exportFile).size / 1024 / 1024;
    console.log(`generated ${TICKETS} tickets, ${entries} history entries (${(entries / TICKETS).toFixed(1)}/ticket), export ${exportMb.toFixed(0)} MB in ${pages} pages, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const fromFile = await measure('export', ['--export', exportFile, '--policy', policyFile], {});
    if (process.env.BENCH_SITE === '0') {
      console.log(JSON.stringify(fromFile));
      return;
    }
    sandbox.router.faults.update({ latencyMs: LATENCY_MS });
    sandbox.router.stats.reset();
    const fromSite = await measure('site', ['--site', sandbox.url, '--jql', 'project = CHG', '--policy', policyFile], CREDENTIALS);
    const byRoute = sandbox.router.stats.snapshot().byRoute;

    const s = (runs: Measured[], pick: (m: Measured) => number) => median(runs.map(pick));
    const sec = (name: string) => (m: Measured) => m.timings[name]! / 1000;
    const separate = (m: Measured) => (m.timings.population! + m.timings.audit! + m.timings.evidence!) / 1000;
    const calls = (name: string) => (m: Measured) => m.restCalls[name]!;
    const fileMain = s(fromFile, sec('evidence'));
    const siteMain = s(fromSite, sec('evidence'));
    const fileRss = s(fromFile, (m) => m.evidenceMaxRssMb);
    const siteCallsPerCommand = s(fromSite, calls('audit'));
    const naiveCallsPerCommand = Math.ceil(TICKETS / 1000) + TICKETS; // search pages + one changelog call per issue
    const row = (label: string, ...cells: string[]) => console.log(`${label.padEnd(52)}${cells.map((c) => c.padStart(15)).join('')}`);
    console.log(`\nnode ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (the machine is shared)`);
    console.log(`${TICKETS} tickets; median of ${RUNS} runs, each in a fresh process; site latency ${LATENCY_MS} ms per request (real, injected by the sandbox)`);
    row('measure', 'export file', `sandbox ${LATENCY_MS} ms`, 'goal', 'file / goal', 'site / file');
    row('cc81 evidence: population + audit + 50 packs, s', fileMain.toFixed(2), siteMain.toFixed(2), `${GOAL_S}`, (fileMain / GOAL_S).toFixed(2), `${(siteMain / fileMain).toFixed(2)}×`);
    row('  peak RSS (maxRSS, incl. node + ts-node), MB', fileRss.toFixed(0), s(fromSite, (m) => m.evidenceMaxRssMb).toFixed(0), `${GOAL_MB}`, (fileRss / GOAL_MB).toFixed(2), '');
    row('  REST calls', '0', String(s(fromSite, calls('evidence'))), '', '', '');
    for (const name of ['population', 'audit']) {
      const f = s(fromFile, sec(name));
      const w = s(fromSite, sec(name));
      row(`cc81 ${name} alone, s`, f.toFixed(2), w.toFixed(2), '', '', `${(w / f).toFixed(2)}×`);
    }
    const fileSeparate = s(fromFile, separate);
    const siteSeparate = s(fromSite, separate);
    row('population, audit, evidence as 3 commands, s', fileSeparate.toFixed(2), siteSeparate.toFixed(2), '', (fileSeparate / GOAL_S).toFixed(2), `${(siteSeparate / fileSeparate).toFixed(2)}×`);
    row('  peak RSS over the 3 commands, MB', s(fromFile, (m) => m.maxRssMb).toFixed(0), s(fromSite, (m) => m.maxRssMb).toFixed(0), '', '', '');
    row('  peak heap used (sampled), MB', s(fromFile, (m) => m.peakHeapMb).toFixed(0), s(fromSite, (m) => m.peakHeapMb).toFixed(0), '', '', '');
    row('REST calls per command (bulk changelog fetch)', '0', String(siteCallsPerCommand), '', '', '');
    row('  one changelog call per issue instead (not run)', '', String(naiveCallsPerCommand), '', '', `${(naiveCallsPerCommand / siteCallsPerCommand).toFixed(0)}× calls`);
    row('  its latency alone, s (estimate)', '', ((naiveCallsPerCommand * LATENCY_MS) / 1000).toFixed(0), '', '', '');
    const fileTotal = fileMain;
    console.log(`\nexport file: ${fileTotal < GOAL_S ? 'inside' : 'OVER'} the ${GOAL_S} s goal, ${fileRss < GOAL_MB ? 'inside' : 'OVER'} the ${GOAL_MB} MB goal (ratio = measured / goal; peak RSS includes node and ts-node)`);
    console.log('sandbox requests by route (all site runs):', JSON.stringify(byRoute));
  } finally {
    await sandbox.close();
  }
};

void main();
