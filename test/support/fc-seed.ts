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

/** fast-check parameters with this run's seed. */
export const seeded = <T>(params: fc.Parameters<T> = {}): fc.Parameters<T> => ({ ...params, seed: fcSeed() });
