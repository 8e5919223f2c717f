/** A dump of the gate's recorded calls (`cc81 reconcile --from-gate`): every record checked, none dropped. */
import { DeploymentFileError } from '../../src/deployments/deployment-file';
import { parseGateDump } from '../../src/deployments/gate-dump';
import { sealGateRecord, type GateRecord, type GateRecordInput } from '../../src/deployments/gate-record';
import { aGateRecordInput } from '../builders/gate-record.builder';
import { loadInTheTest } from '../support/load-in-test';

const SALT = '5'.repeat(32);
const input = (over: Partial<GateRecordInput> = {}): GateRecordInput => aGateRecordInput({ deployerAccountId: 'acc-dev', ...over });
const record = (over: Partial<GateRecordInput> = {}): GateRecord => sealGateRecord(input(over), SALT);

const A = record();
const B = record({ callId: 'b'.repeat(32), issueId: '10002', changeKey: 'CHG-2', namedKeys: ['CHG-2'], decision: 'deny', path: 'refused' });

const problemsOf = (content: string): string[] => {
  try {
    parseGateDump('gate.json', content);
  } catch (error) {
    if (error instanceof DeploymentFileError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a DeploymentFileError');
};

describe('reading a dump', () => {
  it.each([
    ['an array', JSON.stringify([A, B])],
    ['{ records: [...] }', JSON.stringify({ records: [A, B] })],
    ['an array after a BOM', `\uFEFF${JSON.stringify([A, B])}`],
  ])('reads %s, every record in its order', (_what, content) => {
    expect(parseGateDump('gate.json', content)).toEqual([A, B]);
  });

  it('reads an empty dump as no records', () => {
    expect(parseGateDump('gate.json', '[]')).toEqual([]);
  });
});

describe('refusing a dump, each bad record named by its place', () => {
  it.each([
    ['text that is not JSON', '[{"v": 1,', [expect.stringMatching(/^not valid JSON \(.+\)$/)]],
    ['JSON that is no list of records', '{"deployments": []}', ['expected a JSON array of recorded gate calls (or {"records": [...]})']],
    ['a record altered after it was written', JSON.stringify([A, { ...B, decision: 'allow' }]), [`record 2 (call ${'b'.repeat(32)}): altered, its content no longer matches its hash`]],
    ['a record whose deployer was swapped', JSON.stringify([{ ...A, deployerAccountId: 'acc-other' }]), [`record 1 (call ${'a'.repeat(32)}): altered, its content no longer matches its hash`]],
    ['a record that is not an object', JSON.stringify([A, 'x']), ['record 2: record: Invalid input: expected object, received string']],
    [
      'a record with bad fields, every one named by its path',
      JSON.stringify([A, B, { ...A, decision: 'maybe', reasons: [{ code: 'X', message: 7 }] }]),
      [expect.stringMatching(/^record 3: decision: .+, reasons\.0\.code: .+, reasons\.0\.message: .+$/)],
    ],
  ])('refuses %s', (_what, content, problems) => {
    expect(problemsOf(content)).toEqual(problems);
  });

  it('lists the first 20 bad records and counts the rest', () => {
    const problems = problemsOf(JSON.stringify(Array.from({ length: 23 }, (_, i) => (i === 0 ? A : 'x'))));
    expect(problems).toHaveLength(21);
    expect(problems[0]).toBe('record 2: record: Invalid input: expected object, received string');
    expect(problems[19]).toBe('record 21: record: Invalid input: expected object, received string');
    expect(problems[20]).toBe('and 2 more');
  });

  it('lists all 20 when there are exactly 20', () => {
    const problems = problemsOf(JSON.stringify(Array.from({ length: 20 }, () => 'x')));
    expect(problems).toHaveLength(20);
    expect(problems.at(-1)).toBe('record 20: record: Invalid input: expected object, received string');
  });
});

type GateDumpModule = typeof import('../../src/deployments/gate-dump');

/** Loaded inside the running test (see test/support/load-in-test.ts). */
const loadedInTheTest = (): GateDumpModule => loadInTheTest(() => jest.requireActual<GateDumpModule>('../../src/deployments/gate-dump'));

describe('the deployments of a dump', () => {
  it('one per allowed call, its call id as its id; a denied call is no deployment', () => {
    const { loggedDeploymentsOfRecords } = loadedInTheTest();
    const emergency = record({ callId: 'c'.repeat(32), at: '2026-12-02T00:00:00.000Z', path: 'emergency', deployerAccountId: null, sha: null });
    expect(loggedDeploymentsOfRecords([A, B, emergency])).toEqual([
      { id: 'a'.repeat(32), at: new Date('2026-12-01T10:00:00.000Z'), environment: 'production', sha: 'abcdef1', deployer: 'ci', deployerAccountId: 'acc-dev', changeKeys: ['CHG-1'] },
      { id: 'c'.repeat(32), at: new Date('2026-12-02T00:00:00.000Z'), environment: 'production', sha: null, deployer: 'ci', deployerAccountId: null, changeKeys: ['CHG-1'] },
    ]);
  });
});

describe('the shape of each record (the schema built in the test, so its checks count as tested)', () => {
  const problemsLoaded = (item: unknown): string[] => {
    const { parseGateDump: parse } = loadedInTheTest();
    try {
      parse('gate.json', JSON.stringify([item]));
    } catch (error) {
      if (error instanceof Error && error.name === 'DeploymentFileError') return [...(error as DeploymentFileError).problems];
      throw error;
    }
    return [];
  };
  it.each([
    ['callId', 'a'.repeat(33)],
    ['callId', `x${'a'.repeat(31)}`],
    ['callId', 'A'.repeat(32)],
    ['hash', `${'0'.repeat(64)}0`],
    ['hash', 'g'.repeat(64)],
    ['issueId', '10001x'],
    ['issueId', 'x10001'],
    ['deployerSalt', '5'.repeat(33)],
    ['deployerSalt', `_${'5'.repeat(31)}`],
    ['deployerDigest', '1'.repeat(65)],
    ['deployerDigest', `z${'1'.repeat(63)}`],
  ])('refuses %s = %j by its shape, before any hash is checked', (field, value) => {
    expect(problemsLoaded({ ...A, [field]: value })).toEqual([expect.stringMatching(new RegExp(`^record 1: ${field}: `))]);
  });

  it('takes a record as stored, and refuses an unknown reason code', () => {
    expect(problemsLoaded(A)).toEqual([]);
    expect(problemsLoaded({ ...A, reasons: [{ code: 'NOT_A_CODE', message: 'x' }] })).toEqual([expect.stringMatching(/^record 1: reasons\.0\.code: /)]);
  });
});
