/*
 * One measured run, in process through `runCli`, in a fresh process so peak memory is this run's
 * own: `cc81 evidence --size 50` (population + audit of every ticket + a 50-ticket evidence pack,
 * one read of the source), then `cc81 population` and `cc81 audit` on their own. Spawned by
 * bench/audit.ts; prints one JSON line. Argument: a JSON object (source args, out dir, now, env).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { runCli } from '../../cli/run-cli';

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
    ['evidence', ['evidence', ...config.source, ...config.period, '--size', '50', '--seed', '8', '--out', join(config.out, 'packs')]],
    ['population', ['population', ...config.source, ...config.period, '--output', join(config.out, 'population.json')]],
    ['audit', ['audit', ...config.source, ...config.period, '--format', 'json', '--output', join(config.out, 'audit.json')]],
  ];
  let rssAfterEvidence = 0;
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
    if (name === 'evidence') rssAfterEvidence = process.resourceUsage().maxRSS / 1024;
  }
  clearInterval(sample);
  console.log(JSON.stringify({ timings, restCalls, evidenceMaxRssMb: rssAfterEvidence, maxRssMb: process.resourceUsage().maxRSS / 1024, peakHeapMb: peakHeap / 1024 / 1024 }));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
