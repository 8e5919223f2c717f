// Issue 16: an export built like a real Jira Service Management site's — its own field names and
// ids, risk "Critical", target systems in a plain text field ("Systems affected"), the site's own
// verification labels ("Pass", "Failed - rolled back") and history from before the app — is read
// ticket by ticket by `cc81 audit`, with exactly the expected findings.
import type { AuditReport } from '../../src/evidence/audit-report.builder';
import { adf } from '../../sandbox/state/jira-json';
import { memoryIo, PERIOD, run, tempDir, writeJson } from './cli-fixture';

const STATUS = { Open: '1', Authorize: '10010', 'Awaiting implementation': '10011', Scheduled: '10012', Implementing: '10013', Completed: '10014' } as const;
type Status = keyof typeof STATUS;
const F = {
  changeType: 'customfield_10005',
  risk: 'customfield_10006',
  targetSystems: 'customfield_10150',
  implementer: 'customfield_10151',
  approver: 'customfield_10152',
  verifier: 'customfield_10153',
  cabReference: 'customfield_10154',
  windowStart: 'customfield_10007',
  windowEnd: 'customfield_10008',
  recurringWindow: 'customfield_10155',
  testPlan: 'customfield_10156',
  rollbackPlan: 'customfield_10157',
  implementationEvidence: 'customfield_10158',
  verificationResult: 'customfield_10159',
  rollbackOutcome: 'customfield_10160',
  standardTemplate: 'customfield_10161',
  emergencyJustification: 'customfield_10162',
  cancellationReason: 'customfield_10163',
} as const;

const POLICY = {
  statuses: { Draft: STATUS.Open, Assessment: STATUS.Authorize, Approved: STATUS['Awaiting implementation'], Scheduled: STATUS.Scheduled, Implemented: STATUS.Implementing, Closed: STATUS.Completed },
  fields: { summary: 'summary', justification: 'description', requester: 'reporter', ...F },
  fieldTypes: { targetSystems: 'string' },
  optionLabels: { risk: { Critical: 'high' }, verificationResult: { Pass: 'passed', 'Failed - rolled back': 'failed-rolled-back' } },
  cab: { requiredForRisks: ['high'], groupName: null, memberAccountIds: [] },
  cutover: '2026-03-01',
};

const user = (id: string) => ({ accountId: `acc-${id}`, displayName: id, active: true });
const T = (day: number, hour = 10) => new Date(Date.UTC(2026, 3, day, hour)).toISOString().replace('Z', '+0000');
let history = 0;
const move = (from: Status, to: Status, by: string, at: string) => ({
  id: String(++history),
  author: user(by),
  created: at,
  items: [{ field: 'status', fieldId: 'status', fieldtype: 'jira', from: STATUS[from], fromString: from, to: STATUS[to], toString: to }],
});
const normalPath = (day: number, approverActs = 'ann', implementerActs = 'ivo') => [
  move('Open', 'Authorize', 'rita', T(day, 9)),
  move('Authorize', 'Awaiting implementation', approverActs, T(day, 11)),
  move('Awaiting implementation', 'Scheduled', 'rita', T(day, 12)),
  move('Scheduled', 'Implementing', implementerActs, T(day + 1, 2)),
  move('Implementing', 'Completed', 'vera', T(day + 1, 9)),
];

const ticket = (n: number, fields: Record<string, unknown>, histories: unknown[], created = T(1, 8)) => ({
  id: String(20000 + n),
  key: `ITSM-${n}`,
  fields: {
    status: { id: STATUS.Completed, name: 'Completed' },
    created,
    updated: created,
    creator: user('rita'),
    summary: `Change ${n}`,
    description: adf('Keeps the platform patched'),
    reporter: user('rita'),
    [F.changeType]: { value: 'Normal', id: '1' },
    [F.risk]: { value: 'Critical', id: '4' },
    [F.targetSystems]: 'payments-db, ledger-api',
    [F.implementer]: user('ivo'),
    [F.approver]: user('ann'),
    [F.verifier]: user('vera'),
    [F.cabReference]: 'CAB-2026-14',
    [F.windowStart]: T(1, 0),
    [F.windowEnd]: T(30, 0),
    [F.recurringWindow]: null,
    [F.testPlan]: adf('Staging first'),
    [F.rollbackPlan]: adf('Restore the snapshot'),
    [F.implementationEvidence]: adf('Pipeline run 4411'),
    [F.verificationResult]: { value: 'Pass', id: '7' },
    [F.rollbackOutcome]: null,
    [F.standardTemplate]: null,
    [F.emergencyJustification]: null,
    [F.cancellationReason]: null,
    ...fields,
  },
  changelog: { histories, total: histories.length, startAt: 0 },
  properties: {},
});

const TICKETS = [
  ticket(1, {}, normalPath(6)),
  ticket(2, { [F.cabReference]: null }, normalPath(8)),
  ticket(3, { [F.verificationResult]: { value: 'Failed - rolled back', id: '8' } }, normalPath(10)),
  ticket(4, { [F.verificationResult]: { value: 'Failed - rolled back', id: '8' }, [F.rollbackOutcome]: adf('Rolled back at 02:40') }, normalPath(12)),
  ticket(5, {}, normalPath(14, 'ivo')),
  ticket(6, { [F.risk]: { value: 'Low', id: '1' }, [F.targetSystems]: 'cdn' }, normalPath(16)),
  // From before the cut-over (1 March): the implementer approved it. A notice, not an exception.
  ticket(7, { [F.windowStart]: '2026-02-01T00:00:00.000+0000', [F.windowEnd]: '2026-02-28T00:00:00.000+0000' }, [move('Open', 'Authorize', 'rita', '2026-02-02T09:00:00.000+0000'), move('Authorize', 'Awaiting implementation', 'ivo', '2026-02-02T11:00:00.000+0000'), move('Awaiting implementation', 'Scheduled', 'rita', '2026-02-02T12:00:00.000+0000'), move('Scheduled', 'Implementing', 'ivo', '2026-02-03T02:00:00.000+0000'), move('Implementing', 'Completed', 'vera', '2026-02-03T09:00:00.000+0000')], '2026-02-01T08:00:00.000+0000'),
];

const EXPECTED: Record<string, string[]> = {
  'ITSM-1': [],
  'ITSM-2': ['CAB_MISSING'],
  'ITSM-3': ['ROLLBACK_UNDOCUMENTED'],
  'ITSM-4': [],
  'ITSM-5': ['APPROVAL_ACTOR_MISMATCH', 'APPROVER_IS_IMPLEMENTER'],
  'ITSM-6': [],
  'ITSM-7': ['APPROVAL_ACTOR_MISMATCH', 'APPROVER_IS_IMPLEMENTER'],
};

describe('cc81 audit on an export built like a JSM site', () => {
  it('reads every ticket and reports exactly the expected findings; what predates the cut-over is a notice', async () => {
    const dir = tempDir();
    const exportFile = writeJson(dir, 'itsm.json', { issues: TICKETS, isLast: true });
    const policyFile = writeJson(dir, 'policy.json', POLICY);
    const io = memoryIo({});
    const { code } = await run(['audit', '--export', exportFile, '--policy', policyFile, ...PERIOD, '--format', 'json'], io);
    expect({ code, stderr: code === 0 ? '' : io.stderrText }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(io.stdoutText) as AuditReport;
    expect(report.summary.unreadable).toBe(0);
    expect(Object.fromEntries(report.tickets.map((t) => [t.key, t.findings.map((f) => f.code).sort()]))).toEqual(EXPECTED);
    expect(report.tickets.find((t) => t.key === 'ITSM-7')!.findings.map((f) => [f.severity, f.beforeEnforcement])).toEqual([
      ['notice', true],
      ['notice', true],
    ]);
    expect(report.tickets.find((t) => t.key === 'ITSM-5')!.findings.map((f) => f.severity)).toEqual(['exception', 'exception']);
    expect(report.tickets.find((t) => t.key === 'ITSM-1')).toMatchObject({ risk: 'high', changeType: 'normal' });
  });

  it('a label the policy does not map makes that ticket unreadable, saying what to map; the others are still audited', async () => {
    const dir = tempDir();
    const odd = ticket(8, { [F.verificationResult]: { value: 'Partially verified', id: '9' } }, normalPath(20));
    const exportFile = writeJson(dir, 'itsm.json', { issues: [...TICKETS, odd], isLast: true });
    const policyFile = writeJson(dir, 'policy.json', POLICY);
    const io = memoryIo({});
    await run(['audit', '--export', exportFile, '--policy', policyFile, ...PERIOD, '--format', 'json'], io);
    const report = JSON.parse(io.stdoutText) as AuditReport;
    expect(report.summary.unreadable).toBe(1);
    expect(report.tickets.find((t) => t.key === 'ITSM-8')!.problem).toMatch(/"Partially verified" is not a Verification result option the policy knows: map it to one of passed, failed-rolled-back/);
    expect(report.tickets.filter((t) => t.problem === null)).toHaveLength(TICKETS.length);
  });
});
