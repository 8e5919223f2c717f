import { parsePeriod, parseQuarter, widenedDates } from '../../src/evidence/period';

describe('periods', () => {
  it.each([
    ['2026Q1', '2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026Q3', '2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'],
    ['2026q4', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2025-Q2', '2025-04-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
  ])('%s is [%s, %s)', (text, from, to) => {
    const q = parseQuarter(text);
    expect([q.from.toISOString(), q.to.toISOString()]).toEqual([from, to]);
  });

  it.each(['2026Q0', '2026Q5', 'Q3', '26Q1', ''])('refuses the quarter %p', (text) => {
    expect(() => parseQuarter(text)).toThrow('--quarter');
  });

  it('includes the whole --to day, and takes ISO times as given', () => {
    expect(parsePeriod('2026-01-01', '2026-06-30').to.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(parsePeriod('2026-01-01T06:00:00+02:00', '2026-01-02T00:00:00Z').from.toISOString()).toBe('2026-01-01T04:00:00.000Z');
  });

  it.each([
    ['2026-13-01', '2026-12-31', '--from'],
    ['2026-01-01', '31/12/2026', '--to'],
    ['2026-03-01', '2026-02-01', 'end after it starts'],
    ['2026-01-01T00:00:00', '2026-02-01', '--from'],
  ])('refuses --from %p --to %p', (from, to, message) => {
    expect(() => parsePeriod(from, to)).toThrow(message);
  });

  it('widens the JQL prefilter by a day each side', () => {
    expect(widenedDates(parsePeriod('2026-01-01', '2026-06-30'))).toEqual({ after: '2025-12-31', before: '2026-07-02' });
  });
});
