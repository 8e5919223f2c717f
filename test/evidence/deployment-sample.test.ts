/** The deployment population (ordered, hashed) and its seeded sample: the ticket sample's documented method on positions. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { LoggedDeployment } from '../../src/deployments/deployment-file';
import { buildDeploymentPopulation, buildDeploymentSample, DEPLOYMENT_SAMPLE_METHOD, drawDeploymentSample } from '../../src/evidence/deployment-sample';
import { MAX_SEED } from '../../src/evidence/sample.builder';
import { at } from '../builders/clock';
import { seeded } from '../support/fc-seed';
import { referenceMulberry32 } from '../support/sample-reference';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `deploys.csv:${i + 2}`);

/** The documented method, written again from its text with the BigInt mulberry32 of the ticket sample's reference. */
const referenceDraw = (ordered: readonly string[], size: number, seed: number): string[] => {
  const positions = ordered.map((_, i) => i);
  const r = referenceMulberry32(seed);
  const take = Math.min(size, ordered.length);
  for (let i = 0; i < take; i += 1) {
    const j = i + Math.floor(r() * (ordered.length - i));
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  return positions
    .slice(0, take)
    .sort((a, b) => a - b)
    .map((p) => ordered[p]!);
};

describe("the deployment sample's documented method as known-answer vectors", () => {
  // Pinned literally. The positions are the ticket sample's for the same seed and size (CHG-n ↔ line n+1).
  it.each([
    [
      'README seed, 60 deployments, 25',
      ids(60),
      25,
      20260115,
      [3, 4, 6, 8, 12, 13, 18, 19, 20, 26, 27, 30, 33, 34, 38, 43, 45, 46, 50, 52, 53, 54, 55, 56, 61],
    ],
    ['seed 0, 10 deployments, 4', ids(10), 4, 0, [3, 4, 5, 6]],
    ['seed 1, 500 deployments, 10', ids(500), 10, 1, [4, 146, 219, 266, 310, 315, 364, 486, 492, 499]],
    ['largest seed, 30 deployments, 5', ids(30), 5, MAX_SEED, [8, 24, 27, 28, 30]],
  ])('%s', (_name, ordered, size, seed, lines) => {
    const expected = lines.map((l) => `deploys.csv:${l}`);
    expect(drawDeploymentSample(ordered, size, seed)).toEqual(expected);
    expect(referenceDraw(ordered, size, seed)).toEqual(expected);
  });

  it('draws what the reference draws for any population, size and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: MAX_SEED }), (n, size, seed) => {
        expect(drawDeploymentSample(ids(n), size, seed)).toEqual(referenceDraw(ids(n), size, seed));
      }),
      seeded({ numRuns: 200 }),
    );
  });

  it('refuses a size below 1 and a seed out of range', () => {
    expect(() => drawDeploymentSample(ids(3), 0, 1)).toThrow('--size');
    expect(() => drawDeploymentSample(ids(3), 1, MAX_SEED + 1)).toThrow('--seed');
  });
});

describe('the deployment population', () => {
  const deployment = (id: string, hour: number, sha: string | null = null): LoggedDeployment => ({ id, at: at(hour), environment: 'prod', sha, deployer: 'bot', deployerAccountId: null, changeKeys: [] });
  const log = [deployment('b.csv:3', 5, 'abcdef0'), deployment('a.csv:9', 5), deployment('a.csv:2', 1), deployment('a.csv:4', 30)];
  const population = buildDeploymentPopulation(log, { from: at(0), to: at(24) }, [], at(100));

  it('holds the period, ordered by time then id, with the documented hash', () => {
    expect(population.items.map((i) => i.id)).toEqual(['a.csv:2', 'a.csv:9', 'b.csv:3']);
    expect(population.outsidePeriod).toBe(1);
    const text = `a.csv:2\t${at(1).toISOString()}\tprod\t\tbot\na.csv:9\t${at(5).toISOString()}\tprod\t\tbot\nb.csv:3\t${at(5).toISOString()}\tprod\tabcdef0\tbot\n`;
    expect(population.hash.value).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('the sample records its seed, sizes, method and the population hash, whatever the order of the log', () => {
    const sample = buildDeploymentSample(population, 2, 7);
    expect(sample).toMatchObject({ seed: 7, requestedSize: 2, size: 2, populationCount: 3, populationHash: population.hash.value, method: DEPLOYMENT_SAMPLE_METHOD });
    const again = buildDeploymentSample(buildDeploymentPopulation([...log].reverse(), { from: at(0), to: at(24) }, [], at(100)), 2, 7);
    expect(again.ids).toEqual(sample.ids);
  });
});
