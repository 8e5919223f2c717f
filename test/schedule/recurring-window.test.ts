import fc from 'fast-check';
import { seeded } from '../support/fc-seed';
import { instantOfWall, occurrenceAt, occurrencesAfter, parseRecurringWindow, readRecurringWindow, RecurringWindow, wallTimeOf, withRecurringWindows } from '../../src/schedule/recurring-window';
import { aChange } from '../builders/change.builder';
import { aHistory } from '../builders/history.builder';
import { PEOPLE } from '../builders/people.builder';

const TUESDAYS_UTC = 'DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H';
const TUESDAYS_BERLIN = 'DTSTART;TZID=Europe/Berlin:20260106T020000\nRRULE:FREQ=WEEKLY;BYDAY=TU\nDURATION:PT2H';

const windowOf = (text: string): RecurringWindow => {
  const parsed = parseRecurringWindow(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.window;
};
const utc = (iso: string) => new Date(iso);

describe('parseRecurringWindow: what an unreadable window says', () => {
  it.each([
    ['', 'the recurring window is empty'],
    ['RRULE:FREQ=WEEKLY DURATION:PT2H', 'a recurring window needs a start: DTSTART;TZID=<zone>:<date-time>'],
    ['DTSTART:20260106T020000Z DURATION:PT2H', 'a recurring window needs a rule: RRULE:FREQ=WEEKLY;BYDAY=TU, for example'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY', 'a recurring window needs a length: DURATION:PT2H, for example, or DTEND'],
    ['DTSTART:20260106T020000 RRULE:FREQ=WEEKLY DURATION:PT2H', 'DTSTART needs a time zone: DTSTART;TZID=Europe/Berlin:20260106T020000, or a UTC time ending in Z'],
    ['DTSTART;TZID=Mars/Olympus:20260106T020000 RRULE:FREQ=WEEKLY DURATION:PT2H', 'unknown time zone Mars/Olympus; use an IANA name such as Europe/Berlin'],
    ['DTSTART;TZID=UTC:20260106T020000Z RRULE:FREQ=WEEKLY DURATION:PT2H', 'DTSTART gives both a time zone and a UTC time (Z); give one'],
    ['DTSTART:20260231T020000Z RRULE:FREQ=WEEKLY DURATION:PT2H', 'DTSTART 20260231T020000Z is not a real date and time'],
    ['DTSTART:2026-01-06 RRULE:FREQ=WEEKLY DURATION:PT2H', 'DTSTART 2026-01-06 is not a date-time such as 20260106T020000'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY;FOO=1 DURATION:PT2H', "the RRULE cannot be read (Unknown RRULE property 'FOO')"],
    ['DTSTART:20260106T020000Z RRULE:FREQ=MINUTELY DURATION:PT2H', 'the RRULE needs FREQ=YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY'],
    ['DTSTART:20260106T020000Z RRULE:BYDAY=TU DURATION:PT2H', 'the RRULE needs FREQ=YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY;BYDAY=XX DURATION:PT2H', 'BYDAY lists a day that is not MO, TU, WE, TH, FR, SA or SU'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY DURATION:2h', 'DURATION 2H is not a length such as PT2H or P1DT4H'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY DURATION:PT', 'DURATION PT is not a length such as PT2H or P1DT4H'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY DURATION:PT0S', 'the window must end after it starts'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY DURATION:P5W', 'a maintenance window may last at most 31 days'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY DURATION:PT2H DTEND:20260106T040000Z', 'give DURATION or DTEND, not both'],
    ['DTSTART;TZID=Europe/Berlin:20260106T020000 RRULE:FREQ=WEEKLY DTEND:20260106T040000Z', 'DTEND must be in the same time zone as DTSTART'],
    ['DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY DTEND:20260106T010000Z', 'the window must end after it starts'],
    ['Every Tuesday 02:00-04:00 UTC', '"Every" is not part of a recurring window (DTSTART, RRULE, DURATION or DTEND)'],
  ])('%j → %s', (text, problem) => {
    expect(parseRecurringWindow(text)).toEqual({ ok: false, problem });
  });

  it('reads RFC 5545 parts on lines or separated by spaces, DTEND for DURATION, and describes the window in words', () => {
    expect(windowOf(TUESDAYS_BERLIN).description).toBe('every week on Tuesday, from 02:00 for 2 h (Europe/Berlin)');
    expect(windowOf('DTSTART:20260106T020000Z RRULE:FREQ=DAILY DTEND:20260106T023000Z')).toMatchObject({ zone: 'UTC', durationMs: 30 * 60_000, description: 'every day, from 02:00 for 30 min (UTC)' });
  });
});

describe('occurrences: the attack "every Tuesday 02:00–04:00 UTC" no longer covers a Saturday', () => {
  const tuesdays = windowOf(TUESDAYS_UTC);
  it.each([
    ['Saturday noon', '2026-11-28T12:00:00.000Z', null],
    ['Tuesday 01:59:59', '2026-11-24T01:59:59.000Z', null],
    ['Tuesday 02:00 (the start is inside)', '2026-11-24T02:00:00.000Z', '2026-11-24T02:00:00.000Z'],
    ['Tuesday 03:00', '2026-11-24T03:00:00.000Z', '2026-11-24T02:00:00.000Z'],
    ['Tuesday 04:00 (the end is inside)', '2026-11-24T04:00:00.000Z', '2026-11-24T02:00:00.000Z'],
    ['Tuesday 04:00:01', '2026-11-24T04:00:01.000Z', null],
    ['Tuesday 04:00:00.001', '2026-11-24T04:00:00.001Z', null],
    ['Tuesday 01:59:59.999', '2026-11-24T01:59:59.999Z', null],
    ['a Tuesday before DTSTART', '2025-12-30T03:00:00.000Z', null],
  ])('%s', (_name, instant, start) => {
    expect(occurrenceAt(tuesdays, utc(instant))?.start.toISOString() ?? null).toBe(start);
  });

  it('keeps local hours across daylight saving: 02:00 Berlin is 01:00Z in winter and 00:00Z in summer', () => {
    const berlin = windowOf(TUESDAYS_BERLIN);
    expect(occurrenceAt(berlin, utc('2026-01-13T01:30:00.000Z'))).toEqual({ start: utc('2026-01-13T01:00:00.000Z'), end: utc('2026-01-13T03:00:00.000Z') });
    expect(occurrenceAt(berlin, utc('2026-07-07T00:30:00.000Z'))).toEqual({ start: utc('2026-07-07T00:00:00.000Z'), end: utc('2026-07-07T02:00:00.000Z') });
    expect(occurrenceAt(berlin, utc('2026-07-07T02:30:00.000Z'))).toBeNull();
  });

  it('lists the next occurrences after an instant, in order', () => {
    expect(occurrencesAfter(tuesdays, utc('2026-11-24T03:00:00.000Z'), 3).map((o) => o.start.toISOString())).toEqual(['2026-12-01T02:00:00.000Z', '2026-12-08T02:00:00.000Z', '2026-12-15T02:00:00.000Z']);
    expect(occurrencesAfter(windowOf('DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY;COUNT=2 DURATION:PT2H'), utc('2026-01-10T00:00:00.000Z'), 3)).toHaveLength(1);
  });

  it('places a wall time in its zone, a time in the spring-forward gap after the gap', () => {
    expect(instantOfWall(utc('2026-03-08T02:30:00.000Z'), 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(instantOfWall(utc('2026-06-01T09:00:00.000Z'), 'Asia/Kolkata').toISOString()).toBe('2026-06-01T03:30:00.000Z');
    expect(wallTimeOf(utc('2026-06-01T03:30:00.000Z'), 'Asia/Kolkata').toISOString()).toBe('2026-06-01T09:00:00.000Z');
  });

  // An oracle that shares nothing with rrule: the window is Tuesday, 02:00 to 04:00 inclusive, UTC.
  it('property: an instant is inside exactly when it is a Tuesday from 02:00 to 04:00 UTC (after DTSTART)', () => {
    fc.assert(
      fc.property(fc.date({ min: utc('2026-01-06T00:00:00.000Z'), max: utc('2028-12-31T00:00:00.000Z'), noInvalidDate: true }), (instant) => {
        const minutes = instant.getUTCHours() * 60 + instant.getUTCMinutes() + instant.getUTCSeconds() / 60 + instant.getUTCMilliseconds() / 60_000;
        const expected = instant.getUTCDay() === 2 && minutes >= 120 && minutes <= 240;
        expect(occurrenceAt(tuesdays, instant) !== null).toBe(expected);
      }),
    );
  });

  it('property: the same, at the edges of the window (within two seconds of 02:00 and 04:00)', () => {
    const firstTuesday = utc('2026-01-06T00:00:00.000Z').getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 150 }), fc.constantFrom(120, 240), fc.integer({ min: -2000, max: 2000 }), (week, edgeMinutes, offsetMs) => {
        const instant = new Date(firstTuesday + week * 7 * 86_400_000 + edgeMinutes * 60_000 + offsetMs);
        const expected = edgeMinutes === 120 ? offsetMs >= 0 : offsetMs <= 0;
        expect(occurrenceAt(tuesdays, instant) !== null).toBe(expected);
      }),
    );
  });

  it('property: an occurrence found contains the instant and lasts the window (Berlin, across DST)', () => {
    const berlin = windowOf(TUESDAYS_BERLIN);
    fc.assert(
      fc.property(fc.date({ min: utc('2026-01-06T00:00:00.000Z'), max: utc('2028-12-31T00:00:00.000Z'), noInvalidDate: true }), (instant) => {
        const found = occurrenceAt(berlin, instant);
        const wall = wallTimeOf(instant, 'Europe/Berlin');
        const wallMinutes = wall.getUTCHours() * 60 + wall.getUTCMinutes() + wall.getUTCSeconds() / 60 + wall.getUTCMilliseconds() / 60_000;
        expect(found !== null).toBe(wall.getUTCDay() === 2 && wallMinutes >= 120 && wallMinutes <= 240);
        if (found) {
          expect(found.end.getTime() - found.start.getTime()).toBe(2 * 3_600_000);
          expect(found.start.getTime() <= instant.getTime() && instant.getTime() <= found.end.getTime()).toBe(true);
        }
      }),
    );
  });
});

describe('readRecurringWindow and withRecurringWindows: what the domain is given', () => {
  it('covers each judged instant and the next occurrences after now', () => {
    const reading = readRecurringWindow(TUESDAYS_UTC, [utc('2026-11-24T03:00:00.000Z'), utc('2026-11-28T12:00:00.000Z')], utc('2026-11-30T00:00:00.000Z'));
    expect(reading).toEqual({
      kind: 'occurrences',
      text: TUESDAYS_UTC,
      description: 'every week on Tuesday, from 02:00 for 2 h (UTC)',
      occurrences: ['2026-11-24', '2026-12-01', '2026-12-08', '2026-12-15'].map((day) => ({ start: utc(`${day}T02:00:00.000Z`), end: utc(`${day}T04:00:00.000Z`) })),
      judgedAt: [utc('2026-11-24T03:00:00.000Z'), utc('2026-11-28T12:00:00.000Z'), utc('2026-11-30T00:00:00.000Z')],
    });
    expect(readRecurringWindow('nightly', [], null)).toEqual({ kind: 'invalid', text: 'nightly', problem: '"nightly" is not part of a recurring window (DTSTART, RRULE, DURATION or DTEND)' });
  });

  it('reads every text the change had (today and in its history) at the times of its steps', () => {
    const change = aChange({ state: 'Implemented', fields: { windowStart: null, windowEnd: null, recurringWindow: TUESDAYS_UTC } });
    const history = aHistory().edit('recurringWindow', null, 'Tuesdays', PEOPLE.requester, 1).edit('recurringWindow', 'Tuesdays', TUESDAYS_UTC, PEOPLE.requester, 2).move('Scheduled', 'Implemented', PEOPLE.implementer, 3).build();
    const read = withRecurringWindows(change, history, null);
    expect(read.recurringWindows?.map((r) => [r.text, r.kind])).toEqual([
      [TUESDAYS_UTC, 'occurrences'],
      ['Tuesdays', 'invalid'],
    ]);
    expect(read.recurringWindows?.[0]).toMatchObject({ judgedAt: [history[2]!.at] });
    expect(withRecurringWindows(aChange({ fields: { recurringWindow: null } }), history.slice(2), null).recurringWindows).toBeUndefined();
  });
});

describe('a rule read from near the instant, not from DTSTART (speed), gives the same occurrences', () => {
  /** The occurrence at `instant` by expanding the rule from its DTSTART: the slow, plain way. */
  const fromDtstart = (window: RecurringWindow, instant: Date) => {
    const wall = wallTimeOf(instant, window.zone);
    const starts = window.rule.between(new Date(wall.getTime() - window.durationMs - 3 * 3_600_000), new Date(wall.getTime() + 3 * 3_600_000), true);
    const hits = starts.map((s) => instantOfWall(s, window.zone)).filter((s) => s.getTime() <= instant.getTime() && instant.getTime() <= s.getTime() + window.durationMs);
    return hits.length ? hits[hits.length - 1]! : null;
  };

  it('property: hourly, daily and weekly rules with intervals and days, in UTC and Berlin', () => {
    const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '').replace('Z', '');
    fc.assert(
      fc.property(
        fc.constantFrom('HOURLY', 'DAILY', 'WEEKLY'),
        fc.integer({ min: 1, max: 3 }),
        fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']),
        fc.constantFrom('UTC', 'Europe/Berlin'),
        fc.date({ min: utc('2024-01-01T00:00:00.000Z'), max: utc('2024-12-31T00:00:00.000Z'), noInvalidDate: true }),
        fc.date({ min: utc('2024-01-01T00:00:00.000Z'), max: utc('2026-12-31T00:00:00.000Z'), noInvalidDate: true }),
        fc.constantFrom('PT20M', 'PT2H', 'P1D'),
        (freq, interval, days, zone, start, instant, duration) => {
          const byday = days.length ? `;BYDAY=${days.join(',')}` : '';
          const dtstart = zone === 'UTC' ? `DTSTART:${stamp(start)}Z` : `DTSTART;TZID=${zone}:${stamp(start)}`;
          const window = windowOf(`${dtstart} RRULE:FREQ=${freq};INTERVAL=${interval}${byday} DURATION:${duration}`);
          expect(occurrenceAt(window, instant)?.start ?? null).toEqual(fromDtstart(window, instant));
          const next = occurrencesAfter(window, instant, 2).map((o) => o.start.getTime());
          const plain = window.rule
            .between(new Date(wallTimeOf(instant, zone).getTime() - 3 * 3_600_000), new Date(Math.max(instant.getTime(), start.getTime()) + 60 * 86_400_000), true)
            .map((s) => instantOfWall(s, zone).getTime())
            .filter((t) => t > instant.getTime())
            .slice(0, 2);
          expect(next).toEqual(plain);
        },
      ),
      seeded({ numRuns: 60 }),
    );
  });
});
