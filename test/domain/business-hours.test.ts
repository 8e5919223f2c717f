import { addBusinessHours, instantOfWallClock, wallClockIn } from '../../src/domain';

const iso = (s: string) => new Date(s);
const weekdays = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

describe('addBusinessHours', () => {
  it('adds plain hours without business hours', () => {
    expect(addBusinessHours(iso('2026-03-02T10:00:00Z'), 72, null)).toEqual(iso('2026-03-05T10:00:00Z'));
  });

  it.each([
    ['inside one day', '2026-03-02T10:00:00Z', 3, '2026-03-02T13:00:00Z'],
    ['spilling into the next day', '2026-03-02T15:00:00Z', 4, '2026-03-03T11:00:00Z'],
    ['starting before opening', '2026-03-02T06:00:00Z', 1, '2026-03-02T10:00:00Z'],
    ['starting after closing', '2026-03-02T20:00:00Z', 1, '2026-03-03T10:00:00Z'],
    ['over a weekend (Friday 16:00 + 2h)', '2026-03-06T16:00:00Z', 2, '2026-03-09T10:00:00Z'],
    ['starting on Saturday', '2026-03-07T12:00:00Z', 8, '2026-03-09T17:00:00Z'],
    ['72 business hours = 9 working days', '2026-03-02T09:00:00Z', 72, '2026-03-12T17:00:00Z'],
  ])('%s', (_name, start, hours, expected) => {
    expect(addBusinessHours(iso(start), hours, weekdays)).toEqual(iso(expected));
  });

  it('honours the time zone, across a daylight-saving change', () => {
    const berlin = { ...weekdays, timeZone: 'Europe/Berlin' };
    // Friday 27 March 2026 16:00 CET (+01:00); DST starts Sunday 29 March; Monday 10:00 CEST (+02:00).
    expect(addBusinessHours(iso('2026-03-27T15:00:00Z'), 2, berlin)).toEqual(iso('2026-03-30T08:00:00Z'));
  });

  it('round-trips wall-clock time in a zone', () => {
    const instant = instantOfWallClock(2026, 7, 1, 9, 30, 'America/New_York');
    expect(new Date(instant).toISOString()).toBe('2026-07-01T13:30:00.000Z');
    expect(wallClockIn(instant, 'America/New_York')).toMatchObject({ hour: 9, minute: 30, weekday: 3 });
  });
});
