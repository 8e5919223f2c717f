import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseReadmeTable } from '../../tools/mutation/mutation-scores';
import { SCOPE_FOLDERS } from '../../tools/mutation/mutate';

const root = path.resolve(__dirname, '../..');
const thresholds = JSON.parse(readFileSync(path.join(root, 'mutation-thresholds.json'), 'utf8')) as { folders: Record<string, number> };
const readmeRows = parseReadmeTable(readFileSync(path.join(root, 'README.md'), 'utf8'));

describe('mutation thresholds', () => {
  it("the README's mutation table shows exactly the thresholds in mutation-thresholds.json", () => {
    expect(Object.fromEntries(readmeRows.map((r) => [r.folder, r.threshold]))).toEqual(thresholds.folders);
  });

  it('each README score meets its threshold', () => {
    const unmet = readmeRows.filter((r) => r.score === null || r.threshold === null || r.score < r.threshold);
    expect(unmet).toEqual([]);
  });

  it('thresholds name only folders in scope, and the scope matches stryker.config.mjs', () => {
    expect(Object.keys(thresholds.folders).filter((f) => !SCOPE_FOLDERS.includes(f))).toEqual([]);
    const config = readFileSync(path.join(root, 'stryker.config.mjs'), 'utf8');
    const globs = [...config.matchAll(/'(src\/[^']*)'/g)].map((x) => x[1]);
    expect(globs.sort()).toEqual(SCOPE_FOLDERS.map((d) => `${d}/**/*.ts`).sort());
  });
});
