import type fc from 'fast-check';

/** Env var for property tests' seed: unset = the fixed seed; `random` = a fresh one (nightly); or a number to replay. */
export const FC_SEED_ENV = 'CC81_FC_SEED';
export const FIXED_FC_SEED = 1_301_813;

/** The seed `raw` asks for; `draw` makes the random one. Throws on anything else, so a typo cannot pass silently. */
export const parseFcSeed = (raw: string | undefined, draw: () => number = () => Math.floor(Math.random() * 0x7fffffff)): number => {
  const text = raw?.trim() ?? '';
  if (text === '') return FIXED_FC_SEED;
  if (text.toLowerCase() === 'random') return draw();
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new Error(`${FC_SEED_ENV} must be "random" or an integer, not "${raw}"`);
  return Number(text);
};

let resolved: number | null = null;

/** The seed of this run, read once; printed (to stderr, which --silent keeps) when it is not the fixed one. */
export const fcSeed = (): number => {
  if (resolved === null) {
    resolved = parseFcSeed(process.env[FC_SEED_ENV]);
    if (resolved !== FIXED_FC_SEED) process.stderr.write(`fast-check seed ${resolved} (replay with ${FC_SEED_ENV}=${resolved})\n`);
  }
  return resolved;
};

/**
 * Env var scaling every property test's number of runs, in (0, 1]; unset = 1. `npm run mutate`
 * sets 0.25: each mutant reruns the property tests that cover it, and the whole run must fit a
 * CI job on 2 cores. The seed stays fixed, so a scaled run is as reproducible as a full one.
 */
export const FC_RUNS_SCALE_ENV = 'CC81_FC_RUNS_SCALE';

export const parseRunsScale = (raw: string | undefined): number => {
  const text = raw?.trim() ?? '';
  if (text === '') return 1;
  const scale = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(scale > 0 && scale <= 1)) throw new Error(`${FC_RUNS_SCALE_ENV} must be a number in (0, 1], not "${raw}"`);
  return scale;
};

/** `n` runs, scaled by this run's factor; never fewer than 10. */
export const runs = (n: number): number => Math.max(10, Math.round(n * parseRunsScale(process.env[FC_RUNS_SCALE_ENV])));

/** fast-check parameters with this run's seed, and its number of runs scaled. */
export const seeded = <T>(params: fc.Parameters<T> = {}): fc.Parameters<T> => ({
  ...params,
  ...(params.numRuns === undefined ? {} : { numRuns: runs(params.numRuns) }),
  seed: fcSeed(),
});
