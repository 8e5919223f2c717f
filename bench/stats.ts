import { performance } from 'node:perf_hooks';

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Runs `fn` `runs` times after `warmup` untimed runs; returns each run's milliseconds. */
export const timeRuns = (runs: number, warmup: number, fn: () => void): number[] => {
  for (let i = 0; i < warmup; i += 1) fn();
  return Array.from({ length: runs }, () => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  });
};

/** Deterministic PRNG so every run benchmarks the same tickets. */
export { seededRandom } from '../src/shared/seeded-random';

export const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(9);
