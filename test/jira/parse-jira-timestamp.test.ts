/** parseJiraTimestamp's fast path (no Date string parsing) gives what Date's parser gives, on valid and invalid inputs alike. */
import fc from 'fast-check';
import { parseJiraTimestamp } from '../../src/jira/schemas';

/** The general path on its own: Jira's offset given a colon, then Date's own parser. */
const byDateParser = (s: string): number | null => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return null;
  let normalised = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(normalised)) normalised += 'Z';
  const t = new Date(normalised).getTime();
  return Number.isNaN(t) ? null : t;
};

const pad = (width: number, max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
// Components past their ranges (month 19, day 39, hour 29, minute 69…) and every zone form.
const timestamp = fc
  .tuple(pad(4, 9999), pad(2, 19), pad(2, 39), pad(2, 29), pad(2, 69), pad(2, 69), pad(3, 999), fc.constantFrom('Z', '+', '-', ''), pad(2, 29), pad(2, 69), fc.boolean())
  .map(([y, mo, d, h, mi, s, ms, zone, oh, om, colon]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone === '+' || zone === '-' ? `${zone}${oh}${colon ? ':' : ''}${om}` : zone}`);

describe('parseJiraTimestamp', () => {
  it('agrees with Date’s parser on generated timestamps, in range or not', () => {
    fc.assert(
      fc.property(timestamp, (s) => {
        expect(parseJiraTimestamp(s)?.getTime() ?? null).toBe(byDateParser(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2026-02-28T23:59:59.999-2359', '2026-03-01T23:58:59.999Z'],
    ['2026-02-29T00:00:00.000+0000', '2026-03-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00.000+01:00', '2025-12-31T23:00:00.000Z'],
  ])('reads %s as %s', (input, iso) => {
    expect(parseJiraTimestamp(input)?.toISOString()).toBe(iso);
  });

  it.each(['2026-00-10T00:00:00.000Z', '2026-01-10T25:00:00.000+0000', '2026-01-10T10:00:00.000+2400', '2026-01-1OT10:00:00.000Z'])('rejects %s', (input) => {
    expect(parseJiraTimestamp(input)).toBeNull();
  });
});
