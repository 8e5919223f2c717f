/**
 * A seeded, documented, reproducible sample of a population: the same keys and seed always give
 * the same sample. Pure.
 */
import { seededRandom } from '../shared/seeded-random';
import { InvalidPayloadError } from '../shared/app-error';
import { compareIssueKeys } from './audit-ticket';
import type { PopulationRecord } from './population.builder';

export const SAMPLE_FORMAT = 'cc81-sample';
export const SAMPLE_METHOD =
  'Population keys sorted by issue key (project, then number). A mulberry32 PRNG seeded with the seed (unsigned 32-bit) ' +
  'drives a partial Fisher-Yates shuffle: for i = 0 .. size-1, j = i + floor(r() * (n - i)), swap keys i and j. ' +
  'The first `size` keys are the sample, listed in key order. Size larger than the population takes the whole population.';
export const MAX_SEED = 0xffff_ffff;

export interface SampleRecord {
  format: typeof SAMPLE_FORMAT;
  formatVersion: 1;
  seed: number;
  requestedSize: number;
  size: number;
  populationCount: number;
  populationHash: string;
  method: string;
  keys: string[];
}

const checkSampling = (size: number, seed: number) => {
  if (!Number.isInteger(size) || size < 1) throw new InvalidPayloadError('sample', [{ path: '--size', problem: 'a whole number of at least 1' }]);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new InvalidPayloadError('sample', [{ path: '--seed', problem: `a whole number from 0 to ${MAX_SEED}` }]);
};

/**
 * The documented draw on a population already in its documented order: a partial Fisher-Yates
 * shuffle driven by mulberry32 seeded with `seed`; the positions (in `ordered`) of the first
 * `size`, ascending. Shared by the ticket and the deployment samples.
 */
export const drawPositions = (count: number, size: number, seed: number): number[] => {
  checkSampling(size, seed);
  const pool = Array.from({ length: count }, (_, i) => i);
  const take = Math.min(size, count);
  const random = seededRandom(seed);
  for (let i = 0; i < take; i += 1) {
    const j = i + Math.floor(random() * (count - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take).sort((a, b) => a - b);
};

/** The sample's keys (pure function of the keys, the size and the seed). */
export const drawSample = (keys: readonly string[], size: number, seed: number): string[] => {
  checkSampling(size, seed);
  const pool = [...new Set(keys)].sort(compareIssueKeys);
  return drawPositions(pool.length, size, seed).map((i) => pool[i]!);
};

export const buildSample = (population: PopulationRecord, size: number, seed: number): SampleRecord => {
  const keys = drawSample(population.items.map((i) => i.key), size, seed);
  return {
    format: SAMPLE_FORMAT,
    formatVersion: 1,
    seed,
    requestedSize: size,
    size: keys.length,
    populationCount: population.count,
    populationHash: population.hash.value,
    method: SAMPLE_METHOD,
    keys,
  };
};
