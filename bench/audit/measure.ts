/*
 * One measured run of the auditor's three commands (population, audit, a 50-ticket evidence pack),
 * in process through `runCli`, in a fresh process so peak memory is this run's own. Spawned by
 * bench/audit.ts; prints one JSON line. Arguments: a JSON object (source args, policy, out dir, now).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run-cli';

interface Config {
  source: string[];
  out: string;
  now: string;
  period: string[];
  env: Record<string, string>;
}

const config = JSON.parse(process.argv[2]!) as Config;

const main = async () => {
  const timings: Record<string, number> = {};
  const restCalls: Record<string, number> = {};
  let peakHeap = 0;
  const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const commands: [string, string[]][] = [
    ['population', ['population', ...config.source, ...config.period, '--output', join(config.out, 'population.json')]],
    ['audit', ['audit', ...config.source, ...config.period, '--format', 'json', '--output', join(config.out, 'audit.json')]],
    ['evidence', ['evidence', ...config.source, ...config.period, '--size', '50', '--seed', '8', '--out', join(config.out, 'packs')]],
  ];
  for (const [name, argv] of commands) {
    const err: string[] = [];
    const start = performance.now();
    const code = await runCli(argv, {
      stdout: () => undefined,
      stderr: (text) => void err.push(text),
      stderrIsTTY: false,
      env: config.env,
      now: () => new Date(config.now),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    timings[name] = performance.now() - start;
    if (code !== 0) throw new Error(`${name} exited ${code}: ${err.join('')}`);
    const calls = /(\d+) REST call/.exec(err.join(''));
    restCalls[name] = calls ? Number(calls[1]) : 0;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  clearInterval(sample);
  console.log(JSON.stringify({ timings, restCalls, maxRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: peakHeap / 1024 / 1024 }));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
