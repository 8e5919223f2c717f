import fc from 'fast-check';
import { buildSample, drawSample, MAX_SEED, SAMPLE_METHOD } from '../../src/evidence/sample.builder';
import { buildPopulation } from '../../src/evidence/population.builder';
import { aBareTicket } from '../builders/audit-ticket.builder';
import { at } from '../builders/clock';
import { seeded } from '../support/fc-seed';
import { referenceSample } from '../support/sample-reference';

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

  it('states the documented method', () => {
    expect(SAMPLE_METHOD).toContain('mulberry32');
    expect(SAMPLE_METHOD).toContain('j = i + floor(r() * (n - i))');
  });

  it('draws what an independent re-implementation of the documented method draws', () => {
    fc.assert(
      fc.property(keysArb, fc.integer({ min: 1, max: 60 }), seedArb, (keys, size, seed) => {
        expect(drawSample(keys, size, seed)).toEqual(referenceSample(keys, size, seed));
      }),
      seeded(),
    );
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

describe("the sample's documented method as known-answer vectors", () => {
  const range = (project: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${project}-${from + i}`);
  // Pinned literally, so a change to both the code and the reference is still caught.
  const VECTORS: [string, string[], number, number, string[]][] = [
    [
      'README seed, 60 keys, 25',
      range('CHG', 1, 60),
      25,
      20260115,
      ['CHG-2', 'CHG-3', 'CHG-5', 'CHG-7', 'CHG-11', 'CHG-12', 'CHG-17', 'CHG-18', 'CHG-19', 'CHG-25', 'CHG-26', 'CHG-29', 'CHG-32', 'CHG-33', 'CHG-37', 'CHG-42', 'CHG-44', 'CHG-45', 'CHG-49', 'CHG-51', 'CHG-52', 'CHG-53', 'CHG-54', 'CHG-55', 'CHG-60'],
    ],
    ['seed 0, 10 keys, 4', range('CHG', 1, 10), 4, 0, ['CHG-2', 'CHG-3', 'CHG-4', 'CHG-5']],
    ['largest seed, three projects, 6', [...range('OPS', 1, 12), ...range('CHG', 7, 15), 'APP-100', 'APP-99'], 6, 4294967295, ['APP-99', 'CHG-10', 'OPS-4', 'OPS-7', 'OPS-10', 'OPS-11']],
    ['seed 1, 500 keys, 10', range('CHG', 1, 500), 10, 1, ['CHG-3', 'CHG-145', 'CHG-218', 'CHG-265', 'CHG-309', 'CHG-314', 'CHG-363', 'CHG-485', 'CHG-491', 'CHG-498']],
  ];

  it.each(VECTORS)('%s', (_name, keys, size, seed, expected) => {
    expect(referenceSample(keys, size, seed)).toEqual(expected);
    expect(drawSample([...keys].reverse(), size, seed)).toEqual(expected);
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
