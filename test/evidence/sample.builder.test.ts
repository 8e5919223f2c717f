import fc from 'fast-check';
import { buildSample, drawSample, MAX_SEED, SAMPLE_METHOD } from '../../src/evidence/sample.builder';
import { buildPopulation } from '../../src/evidence/population.builder';
import { seededRandom } from '../../src/shared/seeded-random';
import { aBareTicket } from '../builders/audit-ticket.builder';
import { at } from '../builders/clock';

const keysOf = (numbers: number[]) => numbers.map((n) => `CHG-${n}`);
const keysArb = fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { minLength: 0, maxLength: 200 }).map(keysOf);
const seedArb = fc.integer({ min: 0, max: MAX_SEED });

describe('drawSample', () => {
  it('is a pure function of the population, the size and the seed, whatever the input order', () => {
    fc.assert(
      fc.property(keysArb, fc.integer({ min: 1, max: 60 }), seedArb, (keys, size, seed) => {
        const a = drawSample(keys, size, seed);
        expect(drawSample([...keys].reverse(), size, seed)).toEqual(a);
        expect(a).toHaveLength(Math.min(size, keys.length));
        expect(new Set(a).size).toBe(a.length);
        expect(a.every((k) => keys.includes(k))).toBe(true);
      }),
    );
  });

  it('follows the documented method (sorted keys, mulberry32, partial Fisher-Yates)', () => {
    const keys = keysOf([5, 1, 3, 2, 4, 10, 8, 6, 9, 7]);
    const sorted = keysOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r = seededRandom(2026);
    for (let i = 0; i < 4; i += 1) {
      const j = i + Math.floor(r() * (sorted.length - i));
      [sorted[i], sorted[j]] = [sorted[j]!, sorted[i]!];
    }
    const expected = sorted.slice(0, 4).sort((x, y) => Number(x.slice(4)) - Number(y.slice(4)));
    expect(drawSample(keys, 4, 2026)).toEqual(expected);
    expect(SAMPLE_METHOD).toContain('j = i + floor(r() * (n - i))');
  });

  it('gives other keys for another seed', () => {
    const keys = keysOf(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(drawSample(keys, 25, 1)).not.toEqual(drawSample(keys, 25, 2));
  });

  it.each([
    [0, 1, '--size'],
    [2.5, 1, '--size'],
    [3, -1, '--seed'],
    [3, MAX_SEED + 1, '--seed'],
    [3, 1.5, '--seed'],
  ])('refuses size %p, seed %p', (size, seed, path) => {
    expect(() => drawSample(['CHG-1'], size, seed)).toThrow(path);
  });
});

describe('buildSample', () => {
  it('records the seed, the sizes, the method and the population hash', () => {
    const population = buildPopulation({
      tickets: [1, 2, 3].map((n) => aBareTicket(`CHG-${n}`, at(n), at(n))),
      period: { from: at(0), to: at(10) },
      jql: null,
      effectiveJql: null,
      source: { kind: 'export', files: [] },
      now: at(20),
    }).record;
    const sample = buildSample(population, 10, 9);
    expect(sample).toMatchObject({ seed: 9, requestedSize: 10, size: 3, populationCount: 3, populationHash: population.hash.value, method: SAMPLE_METHOD });
    expect(sample.keys).toEqual(['CHG-1', 'CHG-2', 'CHG-3']);
  });
});
