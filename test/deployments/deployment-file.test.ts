/** Deployment logs: CSV and JSON as pipelines write them; every bad row named, never dropped. */
import { csvRecords, DeploymentFileError, parseDeploymentCsv, parseDeploymentFile, parseDeploymentJson } from '../../src/deployments/deployment-file';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const problemsOf = (parse: () => unknown): string[] => {
  try {
    parse();
  } catch (error) {
    if (error instanceof DeploymentFileError) return [...error.problems];
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
