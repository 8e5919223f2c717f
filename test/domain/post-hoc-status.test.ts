import fc from 'fast-check';
import { postHocStatus } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';

const policy = aPolicy(); // 72 h window, warning 24 h before
const emergency = aChange({ state: 'Implemented', type: 'emergency' });
const implementedAt10 = () => aHistory().move('Draft', 'Implemented', PEOPLE.implementer, 10);

describe('postHocStatus', () => {
  it.each([
    ['not-needed for a normal change', aChange({ type: 'normal' }), implementedAt10().build(), 20, 'not-needed'],
    ['not-needed before implementation', emergency, aHistory().move('Draft', 'Assessment', PEOPLE.requester, 1).build(), 20, 'not-needed'],
    ['not-needed when pre-approved', emergency, aHistory().move('Scheduled', 'Implemented', PEOPLE.implementer, 10).build(), 100, 'not-needed'],
    ['pending just after implementation', emergency, implementedAt10().build(), 11, 'pending'],
    ['warning 24 h before the deadline', emergency, implementedAt10().build(), 58, 'warning'],
    ['overdue at the deadline', emergency, implementedAt10().build(), 82, 'overdue'],
    ['satisfied on time', emergency, implementedAt10().move('Implemented', 'Implemented', PEOPLE.approver, 50).build(), 200, 'satisfied-on-time'],
    ['satisfied late', emergency, implementedAt10().move('Implemented', 'Implemented', PEOPLE.cab, 90).build(), 200, 'satisfied-late'],
    ['still overdue when the implementer approves themself', emergency, implementedAt10().move('Implemented', 'Implemented', PEOPLE.implementer, 20).build(), 90, 'overdue'],
    ['pending while the approval lies in the future of now', emergency, implementedAt10().move('Implemented', 'Implemented', PEOPLE.approver, 30).build(), 20, 'pending'],
  ])('%s', (_name, change, history, nowHour, status) => {
    expect(postHocStatus(change, history, policy, at(nowHour)).status).toBe(status);
  });

  it('reports the due time, the approver and how late', () => {
    const history = implementedAt10().move('Implemented', 'Implemented', PEOPLE.approver, 85).build();
    expect(postHocStatus(emergency, history, policy, at(100))).toEqual({
      status: 'satisfied-late',
      implementedAt: at(10),
      implementerAccountId: PEOPLE.implementer,
      dueAt: at(82),
      warnAt: at(58),
      approvedAt: at(85),
      approverAccountId: PEOPLE.approver,
      lateByMs: 3 * 3_600_000,
    });
  });

  it('uses the policy window and business hours', () => {
    const bh = aPolicy({ postHoc: { windowHours: 48, warnBeforeHours: 8 }, businessHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } });
    // T0 is Monday 08:00Z; implemented at hour 10 = Monday 18:00Z (after hours). 48 business hours = 6 days → Tuesday next week 17:00.
    const result = postHocStatus(emergency, implementedAt10().build(), bh, at(11));
    expect(result.status).toBe('pending');
    if (result.status === 'pending') expect(result.dueAt.toISOString()).toBe('2026-03-10T17:00:00.000Z');
  });

  it('never goes from overdue back to pending or warning as now grows', () => {
    // The statuses each status may be followed by as time passes (the history itself is fixed).
    const next: Record<string, string[]> = {
      'not-needed': ['not-needed', 'pending', 'warning', 'overdue', 'satisfied-on-time', 'satisfied-late'], // before implementation
      pending: ['pending', 'warning', 'overdue', 'satisfied-on-time', 'satisfied-late'],
      warning: ['warning', 'overdue', 'satisfied-on-time', 'satisfied-late'],
      overdue: ['overdue', 'satisfied-late'],
      'satisfied-on-time': ['satisfied-on-time'],
      'satisfied-late': ['satisfied-late'],
    };
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
        fc.constantFrom(PEOPLE.approver, PEOPLE.implementer, PEOPLE.cab),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 2, maxLength: 12 }),
        (approvalHour, approver, nows) => {
          const h = implementedAt10();
          if (approvalHour !== undefined) h.move('Implemented', 'Implemented', approver, 10 + approvalHour);
          const history = h.build();
          const statuses = [...nows].sort((a, b) => a - b).map((n) => postHocStatus(emergency, history, policy, at(n)).status);
          statuses.slice(1).forEach((status, i) => expect(next[statuses[i]!]).toContain(status));
        },
      ),
    );
  });
});

describe('postHocStatus: deadline and warning boundaries (72 h window, warning 24 h before; README "Warn", "Flag")', () => {
  const H = 3_600_000;
  const MIN = 60_000;
  // Implemented at hour 10 (T0 is Monday 08:00Z): warning from hour 58, due at hour 82, in plain hours.
  const DUE = at(82).getTime();
  const WARN = at(58).getTime();
  const history = implementedAt10().build();
  const statusAt = (ms: number) => postHocStatus(emergency, history, policy, new Date(ms)).status;

  it.each([
    { name: 'warning −1 ms', nowMs: WARN - 1, expected: 'pending' },
    { name: 'the warning time', nowMs: WARN, expected: 'warning' },
    { name: 'warning +1 ms', nowMs: WARN + 1, expected: 'warning' },
    { name: 'deadline −1 h', nowMs: DUE - H, expected: 'warning' },
    { name: 'deadline −1 min', nowMs: DUE - MIN, expected: 'warning' },
    { name: 'deadline −1 ms', nowMs: DUE - 1, expected: 'warning' },
    { name: 'the deadline', nowMs: DUE, expected: 'overdue' },
    { name: 'deadline +1 ms', nowMs: DUE + 1, expected: 'overdue' },
    { name: 'deadline +1 h', nowMs: DUE + H, expected: 'overdue' },
  ])('at $name: $expected', ({ nowMs, expected }) => {
    expect(statusAt(nowMs)).toBe(expected);
  });

  it.each([
    ['the deadline', DUE, 0],
    ['deadline +1 ms', DUE + 1, 1],
    ['deadline +1 h', DUE + H, H],
  ])('at %s, overdue by exactly the time past the deadline', (_name, nowMs, overdueBy) => {
    const result = postHocStatus(emergency, history, policy, new Date(nowMs));
    expect(result).toMatchObject({ status: 'overdue', overdueByMs: overdueBy, dueAt: new Date(DUE), warnAt: new Date(WARN) });
  });

  it.each([
    { name: 'deadline −1 ms', approvedMs: DUE - 1, expected: 'satisfied-on-time' },
    { name: 'the deadline', approvedMs: DUE, expected: 'satisfied-on-time' },
    { name: 'deadline +1 ms', approvedMs: DUE + 1, expected: 'satisfied-late' },
  ])('a post-hoc approval at $name: $expected', ({ approvedMs, expected }) => {
    const approved = [...history, { kind: 'status' as const, from: 'Implemented' as const, to: 'Implemented' as const, actor: { accountId: PEOPLE.approver }, at: new Date(approvedMs) }];
    expect(postHocStatus(emergency, approved, policy, at(300)).status).toBe(expected);
  });

  it.each([
    [48, 8, 58, 50],
    [48, 47, 58, 11],
    [72, 1, 82, 81],
    [60, 12, 70, 58],
  ])('a %i h window warned %i h before: due at hour %i, warning from hour %i', (windowHours, warnBeforeHours, dueHour, warnHour) => {
    const custom = aPolicy({ postHoc: { windowHours, warnBeforeHours } });
    const at_ = (ms: number) => postHocStatus(emergency, history, custom, new Date(ms)).status;
    expect([at_(at(warnHour).getTime() - 1), at_(at(warnHour).getTime()), at_(at(dueHour).getTime() - 1), at_(at(dueHour).getTime())]).toEqual([
      'pending',
      'warning',
      'warning',
      'overdue',
    ]);
  });
});
