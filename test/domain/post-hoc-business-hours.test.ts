/**
 * The post-hoc clock with business hours on: the window and the warning count working time only
 * (DESIGN "post-hoc approval ... within a policy window"; policy `businessHours`). Expected instants
 * are worked out by hand; the property counts working time with its own counter, not src's.
 */
import fc from 'fast-check';
import { History, postHocStatus } from '../../src/domain';
import { aChange } from '../builders/change.builder';
import { PEOPLE } from '../builders/people.builder';
import { aPolicy } from '../builders/policy.builder';
import { seeded, runs } from '../support/fc-seed';

const H = 3_600_000;
const DAY = 24 * H;
const emergency = aChange({ state: 'Implemented', type: 'emergency' });
const implementedAt = (when: Date): History => [{ kind: 'status', from: 'Draft', to: 'Implemented', actor: { accountId: PEOPLE.implementer }, at: when }];
const officeHours = (timeZone: string) => ({ timeZone, days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
const bhPolicy = (timeZone = 'UTC', windowHours = 72, warnBeforeHours = 24) =>
  aPolicy({ postHoc: { windowHours, warnBeforeHours }, businessHours: officeHours(timeZone) });

describe('postHocStatus with business hours: warnAt and dueAt (Mon–Fri 09:00–17:00)', () => {
  // March 2026: Fri 6, Sat 7, Mon 9 ... Fri 13, Mon 16 ... Thu 19. US daylight saving starts Sun 8 March.
  it.each([
    { name: 'Friday 17:00 (closing time)', impl: '2026-03-06T17:00:00Z', zone: 'UTC', warn: '2026-03-16T17:00:00Z', due: '2026-03-19T17:00:00Z' },
    { name: 'Friday 16:00 (one hour left that day)', impl: '2026-03-06T16:00:00Z', zone: 'UTC', warn: '2026-03-16T16:00:00Z', due: '2026-03-19T16:00:00Z' },
    { name: 'Saturday noon (weekend)', impl: '2026-03-07T12:00:00Z', zone: 'UTC', warn: '2026-03-16T17:00:00Z', due: '2026-03-19T17:00:00Z' },
    { name: 'Wednesday 20:00 (evening)', impl: '2026-03-04T20:00:00Z', zone: 'UTC', warn: '2026-03-12T17:00:00Z', due: '2026-03-17T17:00:00Z' },
    { name: 'Wednesday 06:00 (before opening)', impl: '2026-03-04T06:00:00Z', zone: 'UTC', warn: '2026-03-11T17:00:00Z', due: '2026-03-16T17:00:00Z' },
    { name: 'Monday 10:30 (mid-morning)', impl: '2026-03-02T10:30:00Z', zone: 'UTC', warn: '2026-03-10T10:30:00Z', due: '2026-03-13T10:30:00Z' },
    { name: 'Friday 16:00 New York, across the DST change', impl: '2026-03-06T21:00:00Z', zone: 'America/New_York', warn: '2026-03-16T20:00:00Z', due: '2026-03-19T20:00:00Z' },
  ])('implemented $name: warns $warn, due $due', ({ impl, zone, warn, due }) => {
    const result = postHocStatus(emergency, implementedAt(new Date(impl)), bhPolicy(zone), new Date(impl));
    expect(result).toMatchObject({ status: 'pending', warnAt: new Date(warn), dueAt: new Date(due) });
  });

  it.each([
    { windowHours: 48, warnBeforeHours: 12, warn: '2026-03-13T13:00:00Z', due: '2026-03-16T17:00:00Z' },
    { windowHours: 48, warnBeforeHours: 8, warn: '2026-03-13T17:00:00Z', due: '2026-03-16T17:00:00Z' },
    { windowHours: 72, warnBeforeHours: 4, warn: '2026-03-19T13:00:00Z', due: '2026-03-19T17:00:00Z' },
  ])('implemented Friday 17:00, a $windowHours h window warned $warnBeforeHours h before: warns $warn, due $due', ({ windowHours, warnBeforeHours, warn, due }) => {
    const impl = new Date('2026-03-06T17:00:00Z');
    const result = postHocStatus(emergency, implementedAt(impl), bhPolicy('UTC', windowHours, warnBeforeHours), impl);
    expect(result).toMatchObject({ warnAt: new Date(warn), dueAt: new Date(due) });
  });

  // Implemented Friday 17:00Z: warning from Monday 16 March 17:00Z, due Thursday 19 March 17:00Z.
  const impl = new Date('2026-03-06T17:00:00Z');
  const WARN = Date.parse('2026-03-16T17:00:00Z');
  const DUE = Date.parse('2026-03-19T17:00:00Z');
  it.each([
    { name: 'Sunday 17:00 (48 clock hours later)', nowMs: impl.getTime() + 48 * H, expected: 'pending' },
    { name: 'Monday 17:00 (72 clock hours later)', nowMs: impl.getTime() + 72 * H, expected: 'pending' },
    { name: 'the warning time −1 ms', nowMs: WARN - 1, expected: 'pending' },
    { name: 'the warning time', nowMs: WARN, expected: 'warning' },
    { name: 'the deadline −1 h', nowMs: DUE - H, expected: 'warning' },
    { name: 'the deadline −1 ms', nowMs: DUE - 1, expected: 'warning' },
    { name: 'the deadline', nowMs: DUE, expected: 'overdue' },
    { name: 'the deadline +1 ms', nowMs: DUE + 1, expected: 'overdue' },
  ])('implemented Friday 17:00, at $name: $expected', ({ nowMs, expected }) => {
    expect(postHocStatus(emergency, implementedAt(impl), bhPolicy(), new Date(nowMs)).status).toBe(expected);
  });
});

describe('postHocStatus with business hours: property', () => {
  // Zones without daylight saving, so the test's own counter can use a fixed offset.
  const ZONES = [
    { zone: 'UTC', offsetMin: 0 },
    { zone: 'Asia/Kolkata', offsetMin: 330 },
    { zone: 'Asia/Tokyo', offsetMin: 540 },
    { zone: 'America/Bogota', offsetMin: -300 },
  ];
  interface Hours {
    offsetMin: number;
    days: number[];
    openMin: number;
    closeMin: number;
  }
  const isoWeekday = (localDayIndex: number) => ((((localDayIndex + 4) % 7) + 7) % 7) || 7; // 1970-01-01 was a Thursday
  /** Working milliseconds between two instants. */
  const workingMs = (from: number, to: number, h: Hours): number => {
    const shift = h.offsetMin * 60_000;
    let total = 0;
    for (let day = Math.floor((from + shift) / DAY); day * DAY <= to + shift; day += 1) {
      if (!h.days.includes(isoWeekday(day))) continue;
      const open = day * DAY + h.openMin * 60_000 - shift;
      const close = day * DAY + h.closeMin * 60_000 - shift;
      total += Math.max(0, Math.min(close, to) - Math.max(open, from));
    }
    return total;
  };
  const inWorkingHours = (t: number, h: Hours): boolean => {
    const local = t + h.offsetMin * 60_000;
    const day = Math.floor(local / DAY);
    const minute = (local - day * DAY) / 60_000;
    return h.days.includes(isoWeekday(day)) && minute >= h.openMin && minute <= h.closeMin;
  };
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

  const setup = fc
    .record({
      zone: fc.constantFrom(...ZONES),
      days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
      openHalfHour: fc.integer({ min: 0, max: 44 }),
      lengthHalfHours: fc.integer({ min: 2, max: 24 }),
      windowHours: fc.integer({ min: 48, max: 72 }),
      warnFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      implMs: fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
    })
    .map((r) => ({ ...r, closeHalfHour: Math.min(47, r.openHalfHour + r.lengthHalfHours), warnBeforeHours: 1 + Math.floor(r.warnFraction * (r.windowHours - 2)) }));

  it('warnAt ≤ dueAt; both fall in business hours; the window and the warning are counted in working time', () => {
    let counted = 0;
    fc.assert(
      fc.property(setup, (s) => {
        const hours: Hours = { offsetMin: s.zone.offsetMin, days: s.days, openMin: s.openHalfHour * 30, closeMin: s.closeHalfHour * 30 };
        const policy = aPolicy({
          postHoc: { windowHours: s.windowHours, warnBeforeHours: s.warnBeforeHours },
          businessHours: { timeZone: s.zone.zone, days: s.days, start: hhmm(hours.openMin), end: hhmm(hours.closeMin) },
        });
        const result = postHocStatus(emergency, implementedAt(new Date(s.implMs)), policy, new Date(s.implMs));
        expect(result.status).toBe('pending');
        if (result.status !== 'pending') return;
        const warn = result.warnAt.getTime();
        const due = result.dueAt.getTime();
        expect(s.implMs <= warn && warn <= due).toBe(true);
        expect([inWorkingHours(warn, hours), inWorkingHours(due, hours)]).toEqual([true, true]);
        expect(workingMs(s.implMs, due, hours)).toBe(s.windowHours * H);
        expect(workingMs(warn, due, hours)).toBe(s.warnBeforeHours * H);
        counted += 1;
      }),
      seeded({ numRuns: 150 }),
    );
    expect(counted).toBe(runs(150));
  });
});
