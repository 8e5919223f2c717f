import fc from 'fast-check';
import { fcSeed } from '../support/fc-seed';

describe('fast-check seed', () => {
  it('every property test of this run takes the run seed (test/jest-setup.ts)', () => {
    expect(fc.readConfigureGlobal().seed).toBe(fcSeed());
    const drawn: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const seen: number[] = [];
      fc.assert(fc.property(fc.integer(), (n) => void seen.push(n)), { numRuns: 5 });
      drawn.push(seen);
    }
    expect(drawn[1]).toEqual(drawn[0]);
  });
});
