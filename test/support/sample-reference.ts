/**
 * An independent re-implementation of the sample method the README documents (Auditor's
 * walkthrough, step 4): keys sorted by project then number, a mulberry32 generator seeded with
 * the seed, a partial Fisher–Yates shuffle, the first `size` keys listed in key order.
 * Written with BigInt so that it shares no 32-bit tricks with src/shared/seeded-random.ts.
 */
const M32 = 0xffff_ffffn;

export const referenceMulberry32 = (seed: number): (() => number) => {
  let state = BigInt(seed) & M32;
  const mul = (a: bigint, b: bigint) => (a * b) & M32;
  return () => {
    state = (state + 0x6d2b79f5n) & M32;
    let t = state;
    t = mul(t ^ (t >> 15n), t | 1n);
    t = t ^ ((t + mul(t ^ (t >> 7n), t | 61n)) & M32);
    return Number(t ^ (t >> 14n)) / 2 ** 32;
  };
};

const keyParts = (key: string): [string, number] => {
  const m = /^(.*)-(\d+)$/.exec(key);
  return m ? [m[1]!, Number(m[2])] : [key, -1];
};

export const byIssueKey = (a: string, b: string): number => {
  const [pa, na] = keyParts(a);
  const [pb, nb] = keyParts(b);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return na - nb;
};

export const referenceSample = (keys: readonly string[], size: number, seed: number): string[] => {
  const pool = [...new Set(keys)].sort(byIssueKey);
  const n = pool.length;
  const r = referenceMulberry32(seed);
  for (let i = 0; i < Math.min(size, n); i += 1) {
    const j = i + Math.floor(r() * (n - i));
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  return pool.slice(0, Math.min(size, n)).sort(byIssueKey);
};
