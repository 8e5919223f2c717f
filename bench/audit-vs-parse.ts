/*
 * `npm run bench:audit-parse`: `cc81 audit` on the 10k-ticket export against a bare `JSON.parse`
 * of the same file. Prints figures; asserts nothing.
 *
 * Builds the CLI (`npm run build:cli`) and writes the export once (bench/out/audit-parse, reused
 * while BENCH_TICKETS is unchanged). Then, BENCH_RUNS (7) times each, alternating, in a fresh
 * process: `node -e` reading and `JSON.parse`-ing the file, and `cc81 audit --format json
 * --output FILE` through bin/cc81.js. Wall time of each whole process (node start-up included in
 * both), and its CPU time (user + system, Linux: the children's times in /proc/self/stat), which a
 * shared machine disturbs less; prints the medians and their ratios (goal ≤ 1.5× wall).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../sandbox/start-sandbox';
import { writeAuditExport } from './audit/generate-export';
import { median } from './stats';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GOAL = 1.5;
const NOW = new Date('2026-04-15T00:00:00.000Z'); // the generated tickets live in March 2026
const ROOT = join(__dirname, '..');
const OUT = join(__dirname, 'out', 'audit-parse');
const META = join(OUT, 'export-meta.json');

const ensureExport = async (): Promise<{ exportFile: string; policyFile: string }> => {
  mkdirSync(OUT, { recursive: true });
  const exportFile = join(OUT, 'audit-export.json');
  const policyFile = join(OUT, 'policy.json');
  if (existsSync(META) && existsSync(exportFile) && (JSON.parse(readFileSync(META, 'utf8')) as { tickets: number }).tickets === TICKETS) return { exportFile, policyFile };
  const sandbox = await startSandbox({ port: 0, demo: false, clock: () => NOW, triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
  try {
    const written = await writeAuditExport(sandbox, TICKETS, OUT);
    writeFileSync(META, JSON.stringify({ tickets: TICKETS }));
    return written;
  } finally {
    await sandbox.close();
  }
};

/** CPU ms of waited-for children so far (cutime + cstime), or NaN off Linux. */
const childrenCpuMs = (): number => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
};

const timed = (args: string[]): { wall: number; cpu: number } => {
  const cpu = childrenCpuMs();
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { wall, cpu: childrenCpuMs() - cpu };
};

const main = async () => {
  execFileSync(process.execPath, [join(ROOT, 'cli', 'build.mjs')], { stdio: 'inherit' });
  const { exportFile, policyFile } = await ensureExport();
  const output = join(OUT, 'audit.json');
  const parse = ['-e', 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))', exportFile];
  const audit = [join(ROOT, 'bin', 'cc81.js'), 'audit', '--export', exportFile, '--policy', policyFile, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json', '--output', output];
  const load = loadavg()[0]!;
  timed(parse);
  timed(audit); // warm the file cache
  const parseRuns: { wall: number; cpu: number }[] = [];
  const auditRuns: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    parseRuns.push(timed(parse));
    auditRuns.push(timed(audit));
  }
  const report = JSON.parse(readFileSync(output, 'utf8')) as { tickets: unknown[] };
  const s = (ms: number) => (ms / 1000).toFixed(2).padStart(8);
  const row = (label: string, runs: { wall: number; cpu: number }[]) =>
    console.log(`${label.padEnd(44)}${s(median(runs.map((r) => r.wall)))}${s(median(runs.map((r) => r.cpu)))}   (wall: ${runs.map((r) => (r.wall / 1000).toFixed(2)).join(' ')})`);
  const ratio = (pick: (r: { wall: number; cpu: number }) => number) => median(auditRuns.map(pick)) / median(parseRuns.map(pick));
  console.log(`\nnode ${process.version}, ${cpus().length} CPUs, load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (the machine is shared)`);
  console.log(`export: ${TICKETS} tickets, ${(statSync(exportFile).size / 1024 / 1024).toFixed(0)} MB; median of ${RUNS} runs, each a fresh process (node start-up included)`);
  console.log(`${''.padEnd(44)}${'wall s'.padStart(8)}${'CPU s'.padStart(8)}`);
  row('node -e JSON.parse(readFileSync(export))', parseRuns);
  row(`cc81 audit --format json (${report.tickets.length} tickets)`, auditRuns);
  console.log(`${'ratio cc81 audit / JSON.parse'.padEnd(44)}${ratio((r) => r.wall).toFixed(2).padStart(7)}×${ratio((r) => r.cpu).toFixed(2).padStart(7)}×  (goal ≤ ${GOAL}× wall: ${ratio((r) => r.wall) <= GOAL ? 'met' : 'NOT met'})`);
};

void main();
