import {
  belowThreshold,
  folderOf,
  inScope,
  MutantStatus,
  MutationReport,
  parseReadmeTable,
  ratchet,
  README_END,
  README_START,
  renderConsoleTable,
  renderReadmeTable,
  replaceReadmeTable,
  mergeReadmeTable,
  scoreOf,
  survivors,
  tally,
  total,
} from '../../tools/mutation/mutation-scores';

let nextId = 0;
const m = (status: MutantStatus, line = 1, mutatorName = 'ConditionalExpression', replacement = 'true') => ({
  id: String(nextId++),
  mutatorName,
  replacement,
  status,
  location: { start: { line, column: 3 }, end: { line, column: 9 } },
});

// A hand-written report: domain 3 killed, 1 timeout, 1 survived, 1 no-coverage, 1 compile error, 1 ignored.
const REPORT: MutationReport = {
  files: {
    'src/domain/lifecycle.ts': { mutants: [m('Killed'), m('Killed'), m('Survived', 12, 'EqualityOperator', 'a !== b'), m('CompileError')] },
    'src/domain/expression/compile.ts': { mutants: [m('Killed'), m('Timeout'), m('NoCoverage', 4, 'StringLiteral', '""'), m('Ignored')] },
    'src/sweep/sweep-core.ts': { mutants: [m('Killed'), m('RuntimeError')] },
    'src/index.ts': { mutants: [m('Survived', 2, 'BlockStatement', '{\n  }')] },
  },
};

describe('folderOf', () => {
  it.each([
    ['src/domain/lifecycle.ts', 'src/domain'],
    ['src/domain/expression/compile.ts', 'src/domain'],
    ['src/index.ts', 'src'],
    ['/abs/repo/src/forge/kvs-store.ts', 'src/forge'],
    ['C:\\repo\\src\\sweep\\a.ts', 'src/sweep'],
  ])('%s → %s', (file, folder) => expect(folderOf(file)).toBe(folder));

  it.each([
    ['src/domain/expression/compile.ts', 'src/domain/expression'],
    ['src/domain/lifecycle.ts', 'src/domain'],
    ['src/domain/expressions.ts', 'src/domain'],
    ['src/sweep/a.ts', 'src/sweep'],
  ])('%s → %s, with a nested folder in scope', (file, folder) => expect(folderOf(file, ['src/domain', 'src/domain/expression'])).toBe(folder));
});

describe('scoreOf', () => {
  it("is Stryker's (killed + timeout) / (killed + timeout + survived + no coverage), rounded down to 2 decimals", () => {
    expect(scoreOf({ killed: 2, timeout: 0, survived: 1, noCoverage: 0 })).toBe(66.66);
    expect(scoreOf({ killed: 1, timeout: 1, survived: 1, noCoverage: 1 })).toBe(50);
    expect(scoreOf({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 })).toBeNull();
  });
});

describe('tally', () => {
  it('counts per folder, leaves compile and runtime errors out of the score and ignores Ignored', () => {
    expect(tally(REPORT)).toEqual([
      { folder: 'src', killed: 0, survived: 1, noCoverage: 0, timeout: 0, invalid: 0, score: 0 },
      { folder: 'src/domain', killed: 3, survived: 1, noCoverage: 1, timeout: 1, invalid: 1, score: 66.66 },
      { folder: 'src/sweep', killed: 1, survived: 0, noCoverage: 0, timeout: 0, invalid: 1, score: 100 },
    ]);
  });

  it('totals all folders', () => {
    expect(total(tally(REPORT))).toEqual({ folder: 'all', killed: 4, survived: 2, noCoverage: 1, timeout: 1, invalid: 2, score: 62.5 });
  });
});

describe('survivors', () => {
  it('lists survived and no-coverage mutants by file and line, replacement on one line', () => {
    expect(survivors(REPORT)).toEqual([
      { file: 'src/domain/expression/compile.ts', line: 4, column: 3, mutator: 'StringLiteral', replacement: '""', status: 'NoCoverage' },
      { file: 'src/domain/lifecycle.ts', line: 12, column: 3, mutator: 'EqualityOperator', replacement: 'a !== b', status: 'Survived' },
      { file: 'src/index.ts', line: 2, column: 3, mutator: 'BlockStatement', replacement: '{ }', status: 'Survived' },
    ]);
  });
});

describe('thresholds', () => {
  const rows = tally(REPORT);

  it('fails a folder below its threshold, and one that has a threshold but no mutants', () => {
    expect(belowThreshold(rows, { 'src/domain': 66.66, 'src/sweep': 100 })).toEqual([]);
    expect(belowThreshold(rows, { 'src/domain': 66.67 })).toEqual([{ folder: 'src/domain', score: 66.66, threshold: 66.67 }]);
    expect(belowThreshold(rows, { 'src/panel': 10 })).toEqual([{ folder: 'src/panel', score: null, threshold: 10 }]);
  });

  it('ratchets up to today, never down, and keeps folders it did not see', () => {
    expect(ratchet({ 'src/domain': 50, 'src/sweep': 100, 'src/panel': 70 }, rows)).toEqual({
      src: 0,
      'src/domain': 66.66,
      'src/panel': 70,
      'src/sweep': 100,
    });
    expect(ratchet({ 'src/domain': 80 }, rows)['src/domain']).toBe(80);
  });
});

describe('tables', () => {
  const rows = tally(REPORT);
  const thresholds = { 'src/domain': 60, 'src/sweep': 100 };

  it('prints a console row per folder and a total', () => {
    const lines = renderConsoleTable(rows, thresholds).split('\n');
    expect(lines[0]).toMatch(/^folder\s+killed\s+survived\s+no-cov\s+timeout\s+invalid\s+score %\s+threshold %$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/))).toEqual([
      ['src', '0', '1', '0', '0', '0', '0.00', 'none'],
      ['src/domain', '3', '1', '1', '1', '1', '66.66', '60.00'],
      ['src/sweep', '1', '0', '0', '0', '1', '100.00', '100.00'],
      ['all', '4', '2', '1', '1', '2', '62.50', ''],
    ]);
  });

  it('writes the README table between its markers and reads it back', () => {
    const readme = `# x\n${README_START}\nstale row\n${README_END}\ntail\n`;
    const next = replaceReadmeTable(readme, renderReadmeTable(rows, thresholds));
    expect(next).toContain('| src/domain | 3 | 1 | 1 | 1 | 66.66 | 60.00 |');
    expect(next).not.toContain('stale row');
    expect(next.endsWith(`${README_END}\ntail\n`)).toBe(true);
    expect(parseReadmeTable(next)).toEqual([
      { folder: 'src/domain', score: 66.66, threshold: 60 },
      { folder: 'src/sweep', score: 100, threshold: 100 },
    ]);
  });

  it('a one-folder run rewrites its own row and keeps the other folders as they were', () => {
    const readme = replaceReadmeTable(`# x\n${README_START}\n${README_END}\n`, renderReadmeTable(rows, thresholds));
    const sweepOnly = tally({ files: { 'src/sweep/a.ts': { mutants: [m('Killed'), m('Killed'), m('Survived')] } } });
    const next = mergeReadmeTable(readme, sweepOnly, { ...thresholds, 'src/sweep': 66.66, 'src/panel': 50 });
    expect(next).toContain('| src/domain | 3 | 1 | 1 | 1 | 66.66 | 60.00 |');
    expect(next).toContain('| src/sweep | 2 | 1 | 0 | 0 | 66.66 | 66.66 |');
    expect(parseReadmeTable(next).map((r) => r.folder)).toEqual(['src/domain', 'src/panel', 'src/sweep']);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceReadmeTable('# no table', 'x')).toThrow(/mutation-scores:start/);
    expect(() => parseReadmeTable('# no table')).toThrow(/mutation-scores:start/);
  });
});

describe('inScope', () => {
  it('keeps changed .ts files under the scope folders or named files, nothing else', () => {
    const changed = ['src/jira/client.ts', 'src/domain/states.ts', 'src/index.ts', 'test/domain/x.test.ts', 'src/domain-extra/a.ts', 'src/forge/a.d.ts', 'README.md', 'src/forge/kvs-store.ts'];
    expect(inScope(changed, ['src/domain', 'src/forge'], ['src/index.ts'])).toEqual(['src/domain/states.ts', 'src/forge/kvs-store.ts', 'src/index.ts']);
  });
});
