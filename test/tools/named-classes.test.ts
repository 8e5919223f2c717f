import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NAMED_MUTANTS, occurrences } from '../../tools/mutation/named-classes';

const root = path.resolve(__dirname, '../..');

describe('the named mutants of issue 13 (npm run mutate:named)', () => {
  it.each(NAMED_MUTANTS.map((m) => [m.name, m] as const))('%s: mutates one place, and its tests exist', (_name, mutant) => {
    const text = readFileSync(path.join(root, mutant.file), 'utf8');
    expect({ occurrences: occurrences(text, mutant.from), changes: mutant.to !== mutant.from }).toEqual({ occurrences: 1, changes: true });
    expect(mutant.tests.filter((t) => !existsSync(path.join(root, t)))).toEqual([]);
  });

  it('counts occurrences', () => {
    expect([occurrences('a.b.a', 'a'), occurrences('abc', 'x'), occurrences('aaa', 'aa')]).toEqual([2, 0, 1]);
  });
});
