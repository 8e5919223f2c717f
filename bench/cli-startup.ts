/*
 * `npm run bench:cli-startup`: how long `cc81 --help` takes against `node -e 0`. Prints figures;
 * asserts nothing. Builds the CLI first (`npm run build:cli`), then runs each command BENCH_RUNS
 * (15) times, interleaved, each a fresh process, and prints the median wall time and its ratio to
 * node's own start-up. Also shown: a command that loads every subcommand's code (the policy file is
 * missing, so it stops there with exit 3), and the CLI run through ts-node as bin/cc81.js did before
 * the build step (BENCH_TS_NODE=0 skips it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'cc81.js');

interface Case {
  label: string;
  args: string[];
  exit: number;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  { label: 'node -e 0', args: ['-e', '0'], exit: 0 },
  { label: 'cc81 --help (bin/cc81.js, compiled)', args: [BIN, '--help'], exit: 0 },
  { label: 'cc81 audit --help', args: [BIN, 'audit', '--help'], exit: 0 },
  {
    label: 'cc81 audit, commands loaded (no policy file)',
    args: [BIN, 'audit', '--export', 'missing.json', '--policy', join(ROOT, 'bench', 'out', 'no-such-policy.json'), '--from', '2026-01-01', '--to', '2026-01-31'],
    exit: 3,
  },
  ...(process.env.BENCH_TS_NODE === '0'
    ? []
    : [{ label: 'cc81 --help through ts-node (before the build)', args: ['-r', 'ts-node/register/transpile-only', join(ROOT, 'cli', 'main.ts'), '--help'], exit: 0, env: { TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } }]),
];

const wall = (c: Case): number => {
  const start = performance.now();
  const result = spawnSync(process.execPath, c.args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...c.env } });
  const ms = performance.now() - start;
  if (result.status !== c.exit) throw new Error(`${c.label}: exit ${result.status}, expected ${c.exit}: ${result.stderr}`);
  return ms;
};

const main = () => {
  execFileSync(process.execPath, [join(ROOT, 'cli', 'build.mjs')], { stdio: 'inherit' });
  const load = loadavg()[0]!;
  CASES.forEach(wall); // warm the file cache
  const runs = CASES.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i += 1) CASES.forEach((c, k) => runs[k]!.push(wall(c)));
  const medians = runs.map(median);
  const base = medians[0]!;
  console.log(`\nnode ${process.version}, ${cpus().length} CPUs, load average ${load.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (the machine is shared)`);
  console.log(`median of ${RUNS} runs each, interleaved, each a fresh process (wall)`);
  console.log(`${'command'.padEnd(50)}${'ms'.padStart(8)}${'× node'.padStart(9)}`);
  CASES.forEach((c, k) => console.log(`${c.label.padEnd(50)}${medians[k]!.toFixed(0).padStart(8)}${(medians[k]! / base).toFixed(2).padStart(8)}×`));
};

main();
