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

/** The sample's keys (pure function of the keys, the size and the seed). */
export const drawSample = (keys: readonly string[], size: number, seed: number): string[] => {
  if (!Number.isInteger(size) || size < 1) throw new InvalidPayloadError('sample', [{ path: '--size', problem: 'a whole number of at least 1' }]);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new InvalidPayloadError('sample', [{ path: '--seed', problem: `a whole number from 0 to ${MAX_SEED}` }]);
  const pool = [...new Set(keys)].sort(compareIssueKeys);
  const n = pool.length;
  const take = Math.min(size, n);
  const random = seededRandom(seed);
  for (let i = 0; i < take; i += 1) {
    const j = i + Math.floor(random() * (n - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take).sort(compareIssueKeys);
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
