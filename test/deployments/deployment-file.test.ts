/** Deployment logs: CSV and JSON as pipelines write them; every bad row named, never dropped. */
import { csvRecords, DeploymentFileError, parseDeploymentCsv, parseDeploymentFile, parseDeploymentJson } from '../../src/deployments/deployment-file';
import { loadInTheTest } from '../support/load-in-test';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const problemsOf = (parse: () => unknown): string[] => {
  try {
    parse();
  } catch (error) {
    // A module loaded inside a test (loadedInTheTest) has its own DeploymentFileError class.
    if (error instanceof DeploymentFileError || (error instanceof Error && error.name === 'DeploymentFileError')) return [...(error as DeploymentFileError).problems];
    throw error;
  }
  throw new Error('expected a DeploymentFileError');
};

describe('CSV', () => {
  it('reads the usual columns, keys from ref, PR title and message as written', () => {
    const csv = [
      'time,environment,sha,actor,ref,pr_title,message',
      `2026-03-02T10:00:00Z,production,${SHA},deploy-bot,feature/CHG-12-tls,Rotate certs (CHG-12),fix OPS-3 too`,
      '2026-03-02T11:00:00+01:00,staging,,alice,main,,no key here chg-4',
    ].join('\n');
    expect(parseDeploymentCsv('logs/deploys.csv', csv)).toEqual([
      { id: 'deploys.csv:2', at: new Date('2026-03-02T10:00:00Z'), environment: 'production', sha: SHA, deployer: 'deploy-bot', deployerAccountId: null, changeKeys: ['CHG-12', 'OPS-3'] },
      { id: 'deploys.csv:3', at: new Date('2026-03-02T10:00:00Z'), environment: 'staging', sha: null, deployer: 'alice', deployerAccountId: null, changeKeys: [] },
    ]);
  });

  it('tolerates a BOM, CRLF, quoted fields with commas, quotes and line breaks, and blank lines; ids keep the line each row starts on', () => {
    const csv = `\uFEFFTime,Env,Commit,Deployed By,Deployer Account Id,Message\r\n2026-03-02T10:00:00Z,prod,ABCDEF1,"Smith, Jane",acc-1,"CHG-7: first line\r\nsecond ""quoted"" line"\r\n\r\n2026-03-02T12:00:00Z,prod,abcdef2,bot,,"CHG-8"\r\n`;
    const rows = parseDeploymentCsv('d.csv', csv);
    expect(rows.map((r) => [r.id, r.deployer, r.deployerAccountId, r.sha, r.changeKeys])).toEqual([
      ['d.csv:2', 'Smith, Jane', 'acc-1', 'abcdef1', ['CHG-7']],
      ['d.csv:5', 'bot', null, 'abcdef2', ['CHG-8']],
    ]);
  });

  it('an explicit key column wins over the texts; an empty one falls back to them', () => {
    const csv = ['time,environment,actor,change_key,message', '2026-03-02T10:00:00Z,prod,bot,CHG-1 CHG-2,mentions OPS-9', '2026-03-02T10:00:00Z,prod,bot,,mentions OPS-9'].join('\n');
    expect(parseDeploymentCsv('d.csv', csv).map((r) => r.changeKeys)).toEqual([['CHG-1', 'CHG-2'], ['OPS-9']]);
  });

  it('splits records exactly as RFC 4180 says', () => {
    expect([...csvRecords('x.csv', 'a,"b,""c"""\n\n"d\ne",f\r\ng')]).toEqual([
      { line: 1, fields: ['a', 'b,"c"'] },
      { line: 3, fields: ['d\ne', 'f'] },
      { line: 5, fields: ['g'] },
    ]);
  });

  it.each([
    ['an unclosed quote', 'time,environment,actor\n2026-03-02T10:00:00Z,prod,"bot\n', 'line 2: a quoted field is not closed'],
    ['text after a closing quote', 'time,environment,actor\n2026-03-02T10:00:00Z,"prod"x,bot\n', 'line 2: text after a closing quote'],
    ['a missing required column', 'time,sha,actor\n', 'the header has no environment column'],
    ['two columns for one field', 'time,at,environment,actor\n', 'columns "time" and "at" both give the time'],
    ['an empty file', '', 'empty: a header row'],
  ])('refuses %s', (_what, csv, problem) => {
    expect(problemsOf(() => parseDeploymentCsv('d.csv', csv)).join('\n')).toContain(problem);
  });

  it('names every bad row by line and column, and keeps none of the file', () => {
    const csv = [
      'time,environment,sha,actor,change_key',
      '2026-03-02T10:00:00Z,prod,abc,bot,', // sha too short
      '2026-03-02 10:00,prod,,bot,', // no zone
      '2026-03-02T10:00:00Z,,,bot,', // no environment
      '2026-03-02T10:00:00Z,prod,,bot,n/a', // a key column naming no key
      '2026-03-02T10:00:00Z,prod,,bot', // a field short
      '2026-03-02T10:00:00Z,prod,,bot,', // fine
    ].join('\n');
    expect(problemsOf(() => parseDeploymentCsv('d.csv', csv))).toEqual([
      'line 2: sha: a commit SHA is 7 to 64 hex digits',
      'line 3: time: use an ISO 8601 time with a zone, e.g. 2026-03-02T10:00:00Z',
      'line 4: environment: empty (name the environment)',
      'line 5: change_key: "n/a" names no issue key such as CHG-123',
      'line 6: 4 field(s) where the header has 5',
    ]);
  });

  it('stops listing after 20 bad rows and counts the rest', () => {
    const csv = ['time,environment,actor', ...Array.from({ length: 25 }, () => 'never,prod,bot')].join('\n');
    const problems = problemsOf(() => parseDeploymentCsv('d.csv', csv));
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('and 5 more bad row(s)');
  });
});

describe('JSON', () => {
  const item = { time: '2026-03-02T10:00:00Z', environment: 'production', sha: SHA, deployer: 'bot', deployerAccountId: 'acc-9', changeKeys: ['CHG-3'] };

  it.each([
    ['an array', JSON.stringify([item, { ...item, changeKeys: undefined, branch: 'CHG-4-fix' }]), ['d.json#1', 'd.json#2']],
    ['{ deployments: [...] }', JSON.stringify({ deployments: [item, { ...item, changeKeys: undefined, branch: 'CHG-4-fix' }] }), ['d.json#1', 'd.json#2']],
    ['JSON Lines', `${JSON.stringify(item)}\n\n${JSON.stringify({ ...item, changeKeys: undefined, branch: 'CHG-4-fix' })}\n`, ['d.json:1', 'd.json:3']],
  ])('reads %s', (_what, text, ids) => {
    const rows = parseDeploymentJson('d.json', text);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.changeKeys)).toEqual([['CHG-3'], ['CHG-4']]);
    expect(rows[0]).toMatchObject({ deployerAccountId: 'acc-9', sha: SHA, at: new Date('2026-03-02T10:00:00Z') });
  });

  it('names bad items and bad lines', () => {
    expect(problemsOf(() => parseDeploymentJson('d.json', JSON.stringify([item, { ...item, time: 5 }, 'x'])))).toEqual(['item 2: time: expected text', 'item 3: not an object']);
    expect(problemsOf(() => parseDeploymentJson('d.jsonl', `${JSON.stringify(item)}\n{"time": \n${JSON.stringify({ ...item, deployer: '' })}`))).toEqual([
      expect.stringMatching(/^line 2: not valid JSON/),
      'line 3: deployer: empty (name who or which service deployed)',
    ]);
    expect(problemsOf(() => parseDeploymentJson('d.json', '[{"time": '))[0]).toMatch(/^not valid JSON/);
    expect(problemsOf(() => parseDeploymentJson('d.json', '7'))).toEqual(['expected an array of deployments, {"deployments": [...]}, or JSON Lines (one object a line)']);
  });

  it('picks the parser by ending, else by the first character', () => {
    const csv = 'time,environment,actor\n2026-03-02T10:00:00Z,prod,bot\n';
    expect(parseDeploymentFile('log.txt', csv)[0]!.id).toBe('log.txt:2');
    expect(parseDeploymentFile('log.txt', JSON.stringify([item]))[0]!.id).toBe('log.txt#1');
    expect(() => parseDeploymentFile('log.csv', JSON.stringify([item]))).toThrow(DeploymentFileError);
  });
});

describe('the error a user reads', () => {
  it('names the file, then each problem, and carries its code', () => {
    const csv = ['time,environment,actor', 'never,prod,bot', '2026-03-02T10:00:00Z,,'].join('\n');
    let error: unknown;
    try {
      parseDeploymentCsv('logs/d.csv', csv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeploymentFileError);
    expect(error).toMatchObject({
      code: 'DEPLOYMENT_FILE',
      file: 'logs/d.csv',
      message: 'logs/d.csv: line 2: time: use an ISO 8601 time with a zone, e.g. 2026-03-02T10:00:00Z; line 3: environment: empty (name the environment), actor: empty (name who or which service deployed)',
    });
  });

  it.each([
    ['trimmed', ' n/a ', 'change_key: "n/a" names no issue key such as CHG-123'],
    ['cut to its first 40 characters', `none here ${'x'.repeat(60)}`, `change_key: "none here ${'x'.repeat(30)}" names no issue key such as CHG-123`],
  ])('quotes a key column naming no key %s', (_what, keys, problem) => {
    expect(problemsOf(() => parseDeploymentCsv('d.csv', `time,environment,actor,change_key\n2026-03-02T10:00:00Z,prod,bot,${keys}`))).toEqual([`line 2: ${problem}`]);
  });
});

describe('CSV records, edge by edge', () => {
  it.each([
    ['a line break opening a quoted field', 'a,"\nb"\nc', [{ line: 1, fields: ['a', '\nb'] }, { line: 3, fields: ['c'] }]],
    ['CRLF and a lone CR inside quotes, read as LF', '"a\r\nb","c\rd"\ne', [{ line: 1, fields: ['a\nb', 'c\nd'] }, { line: 3, fields: ['e'] }]],
    ['a quoted field closing the file', 'a,"b"', [{ line: 1, fields: ['a', 'b'] }]],
    ['lone CR line ends', 'a\rbc\r\nd', [{ line: 1, fields: ['a'] }, { line: 2, fields: ['bc'] }, { line: 3, fields: ['d'] }]],
    ['an empty first field (not a blank line)', ',b\n\nc', [{ line: 1, fields: ['', 'b'] }, { line: 3, fields: ['c'] }]],
  ])('%s', (_what, content, records) => {
    expect([...csvRecords('x.csv', content)]).toEqual(records);
  });
});

describe('JSON, edge by edge', () => {
  const item = { time: '2026-03-02T10:00:00Z', environment: 'production', actor: 'bot' };
  const line = (over: Record<string, unknown> = {}) => JSON.stringify({ ...item, ...over });

  it.each([
    ['an array after a BOM', `\uFEFF[${line()}]`, ['d.json#1']],
    ['JSON Lines opening with a blank line', `\n${line()}\n${line()}`, ['d.json:2', 'd.json:3']],
    ['JSON Lines with a line of spaces', `${line()}\n   \n${line()}`, ['d.json:1', 'd.json:3']],
  ])('reads %s', (_what, text, ids) => {
    expect(parseDeploymentJson('d.json', text).map((r) => r.id)).toEqual(ids);
  });

  it.each([
    ['a null item', `[${line()},null]`, ['item 2: not an object']],
    ['a broken array after blank lines', ' \n[{"time": ', [expect.stringMatching(/^not valid JSON \(/)]],
    ['two names for the time', `[${line({ at: '2026-03-02T11:00:00Z' })}]`, ['item 1: "time" and "at" both give the time']],
    ['two names for one column (the first clash is named)', line({ env: 'prod', deployer: 'alice' }), ['line 1: "environment" and "env" both give the environment']],
  ])('refuses %s', (_what, text, problems) => {
    expect(problemsOf(() => parseDeploymentJson('d.json', text))).toEqual(problems);
  });
});

describe('choosing the parser', () => {
  const csv = 'time,environment,actor\n2026-03-02T10:00:00Z,prod,bot\n';
  const jsonLines = `${JSON.stringify({ time: '2026-03-02T10:00:00Z', environment: 'prod', actor: 'bot' })}\n`;

  it.each([
    ['JSON Lines by their first character', 'log.txt', jsonLines, ['log.txt:1']],
    ['JSON after leading blank lines', 'log.txt', `\n\n${jsonLines}`, ['log.txt:3']],
    ['CSV when .json is not the ending', 'log.json.txt', csv, ['log.json.txt:2']],
    ['JSON by the .ndjson ending', 'log.NDJSON', jsonLines, ['log.NDJSON:1']],
  ])('reads %s', (_what, file, content, ids) => {
    expect(parseDeploymentFile(file, content).map((r) => r.id)).toEqual(ids);
  });

  it('reads a .json file as JSON whatever it starts with', () => {
    expect(problemsOf(() => parseDeploymentFile('log.json', csv))[0]).toMatch(/^line 1: not valid JSON/);
  });
});

type DeploymentFileModule = typeof import('../../src/deployments/deployment-file');

/** Loaded inside the running test (see test/support/load-in-test.ts). */
const loadedInTheTest = (): DeploymentFileModule => loadInTheTest(() => jest.requireActual<DeploymentFileModule>('../../src/deployments/deployment-file'));

describe('the columns and the checks of each row', () => {
  let parser: DeploymentFileModule;
  beforeEach(() => {
    parser = loadedInTheTest();
  });
  const item = { time: '2026-03-02T10:00:00Z', environment: 'production', actor: 'bot' };
  const jsonLine = (over: Record<string, unknown>) => JSON.stringify({ ...item, ...over });

  it.each([
    ['a missing value', { environment: undefined }, 'environment: missing'],
    ['a null value', { environment: null }, 'environment: missing'],
    ['a number for text', { environment: 7 }, 'environment: expected text'],
    ['blanks only', { environment: '   ' }, 'environment: empty (name the environment)'],
    ['an empty deployer', { actor: '' }, 'actor: empty (name who or which service deployed)'],
    ['a missing deployer, under its usual name', { actor: undefined }, 'actor: missing'],
    ['too long a value', { environment: 'x'.repeat(101) }, 'environment: too long (at most 100 characters)'],
    ['a time without a zone', { time: '2026-03-02T10:00:00' }, 'time: use an ISO 8601 time with a zone, e.g. 2026-03-02T10:00:00Z'],
    ['a number for optional text', { deployerAccountId: 5 }, 'deployerAccountId: expected text'],
    ['too long optional text', { ref: 'x'.repeat(1_001) }, 'ref: too long (at most 1000 characters)'],
    ['a number for the keys', { changeKeys: 5 }, 'changeKeys: expected text or a list of keys'],
    ['two problems in one row', { time: undefined, environment: '' }, 'time: missing, environment: empty (name the environment)'],
  ])('names %s by line and column', (_what, over, problem) => {
    expect(problemsOf(() => parser.parseDeploymentJson('d.jsonl', jsonLine(over)))).toEqual([`line 1: ${problem}`]);
  });

  it.each([
    ['trims the environment and the account id', { environment: ' production ', deployerAccountId: ' acc-1 ' }, { environment: 'production', deployerAccountId: 'acc-1' }],
    ['reads a blank account id as none', { deployerAccountId: '   ' }, { deployerAccountId: null }],
    ['takes a time zone offset', { time: '2026-03-02T11:00:00+01:00' }, { at: new Date('2026-03-02T10:00:00Z') }],
    ['reads keys from the ref', { ref: 'feature/CHG-4-tls' }, { changeKeys: ['CHG-4'] }],
    ['reads a list of keys', { changeKeys: ['CHG-1', 'CHG-2'] }, { changeKeys: ['CHG-1', 'CHG-2'] }],
    ['falls back to the texts when the key column is blank', { changeKeys: '  ', message: 'fix OPS-9' }, { changeKeys: ['OPS-9'] }],
  ])('%s', (_what, over, expected) => {
    expect(parser.parseDeploymentJson('d.jsonl', jsonLine(over))[0]).toMatchObject(expected);
  });

  it.each([
    ['two missing columns', 'sha,actor\n', 'line 1: the header has no time column (or at, timestamp), no environment column (or env)'],
    ['a clash and a missing column', 'time,env,environment,sha\n', 'line 1: columns "env" and "environment" both give the environment; the header has no actor column (or deployer, deployedby)'],
    ['a clash of names written with blanks', ' time , at ,environment,actor\n', 'line 1: columns "time" and "at" both give the time'],
  ])('refuses a header with %s', (_what, csv, problem) => {
    expect(problemsOf(() => parser.parseDeploymentCsv('d.csv', csv))).toEqual([problem]);
  });
});
