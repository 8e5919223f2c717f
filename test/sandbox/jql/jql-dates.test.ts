import { parseJqlDate, zonedTime } from '../../../sandbox/jql/jql-dates';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('JQL date values', () => {
  it.each([
    ['2026-03-01', 'UTC', '2026-03-01T00:00:00.000Z'],
    ['2026/03/01 10:00', 'UTC', '2026-03-01T10:00:00.000Z'],
    ['2026-3-1 7:05', 'UTC', '2026-03-01T07:05:00.000Z'],
    ['2026-03-01 10:00', 'America/New_York', '2026-03-01T15:00:00.000Z'],
    ['2026-07-01 10:00', 'America/New_York', '2026-07-01T14:00:00.000Z'], // summer time
    ['2026-07-01 10:00', 'Europe/London', '2026-07-01T09:00:00.000Z'],
    ['2026-03-01 10:00', 'Not/AZone', '2026-03-01T10:00:00.000Z'],
  ])('%s in %s', (text, zone, expected) => {
    expect(iso(parseJqlDate(text, NOW, zone))).toBe(expected);
  });

  it.each([
    ['-72h', '2026-03-07T12:00:00.000Z'],
    ['-3d', '2026-03-07T12:00:00.000Z'],
    ['1w', '2026-03-17T12:00:00.000Z'],
    ['-30m', '2026-03-10T11:30:00.000Z'],
    ['-1w 2d', '2026-03-01T12:00:00.000Z'],
  ])('period %s relative to now', (text, expected) => {
    expect(iso(parseJqlDate(text, NOW, 'UTC'))).toBe(expected);
  });

  it.each(['tomorrow', '2026-02-29', '2026-13-01', '2026-03-01 24:00', '2026-03-01T10:00', '10:00', '-3x', '3 d', ''])('refuses %j', (text) => {
    expect(parseJqlDate(text, NOW, 'UTC')).toBeNull();
  });

  it('maps a wall time that DST skips forward consistently', () => {
    // 02:30 does not exist in New York on 2026-03-08; Jira-like lenience: it lands within the hour.
    const ms = zonedTime('America/New_York', 2026, 3, 8, 2, 30);
    expect([iso(ms)]).toContainEqual(expect.stringMatching(/^2026-03-08T0[67]:30:00.000Z$/));
  });
});
