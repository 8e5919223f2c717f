/**
 * Recurring maintenance windows as RFC 5545 text: a start with its time zone, a recurrence rule,
 * and a length. For example (lines or spaces between the parts):
 *
 *   DTSTART;TZID=Europe/Berlin:20260106T020000 RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H
 *
 * `DTEND` (same form as DTSTART) may stand for DURATION. The rule is expanded by `rrule` (RFC 5545
 * RRULE) on wall-clock times; each occurrence's start is then placed in its time zone with `Intl`,
 * so a window keeps its local hours across daylight-saving changes. The domain cannot import a
 * library, so this adapter reads the windows and hands the domain the occurrences around the
 * instants it judges (`RecurringWindowReading`).
 */
import { RRule, type Options } from 'rrule';
import { isTimeZone, type Change, type History, type RecurringWindowReading } from '../domain';

const HOUR = 3_600_000;
/** A maintenance window lasts at most this long (a longer one is no window). */
export const MAX_WINDOW_MS = 31 * 24 * HOUR;
/** Occurrences the panel shows after now. */
export const NEXT_OCCURRENCES = 3;

export const RECURRING_WINDOW_EXAMPLE = 'DTSTART;TZID=Europe/Berlin:20260106T020000 RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H';

export interface RecurringWindow {
  zone: string;
  rule: RRule;
  /** The rule's options with its start (wall time): a rule started nearer an instant is built from them. */
  options: Partial<Options> & { dtstart: Date };
  durationMs: number;
  /** Plain words: "weekly on Tuesday from 02:00 for 2 h (Europe/Berlin)". */
  description: string;
}

export type ParsedRecurringWindow = { ok: true; window: RecurringWindow } | { ok: false; problem: string };

const fail = (problem: string): ParsedRecurringWindow => ({ ok: false, problem });

/** The wall-clock time of `instant` in `zone`, as a Date whose UTC fields are that wall time. */
export const wallTimeOf = (instant: Date, zone: string): Date => {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return new Date(Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) + (instant.getTime() % 1000 + 1000) % 1000);
};

/** The instant at which the clocks in `zone` show `wall` (UTC fields); in a DST gap, the time after it. */
export const instantOfWall = (wall: Date, zone: string): Date => {
  const offsetAt = (instant: number) => wallTimeOf(new Date(instant), zone).getTime() - instant;
  const first = wall.getTime() - offsetAt(wall.getTime());
  const second = wall.getTime() - offsetAt(first);
  return new Date(Math.max(first, second));
};

const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/;

const parseDateTime = (name: string, line: string): { wall: Date; zone: string } | string => {
  const match = /^(DTSTART|DTEND)(?:;TZID=([^:;]+))?:(.+)$/.exec(line);
  if (!match) return `${name} must look like ${name};TZID=Europe/Berlin:20260106T020000`;
  const [, , tzid, value] = match;
  const dt = DATE_TIME.exec(value!);
  if (!dt) return `${name} ${value} is not a date-time such as 20260106T020000`;
  const [, y, mo, d, h, mi, s, z] = dt;
  if (z && tzid) return `${name} gives both a time zone and a UTC time (Z); give one`;
  if (!z && !tzid) return `${name} needs a time zone: ${name};TZID=Europe/Berlin:${value}, or a UTC time ending in Z`;
  const zone = z ? 'UTC' : tzid!;
  if (!isTimeZone(zone)) return `unknown time zone ${zone}; use an IANA name such as Europe/Berlin`;
  const wall = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (wall.getUTCMonth() !== Number(mo) - 1 || wall.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return `${name} ${value} is not a real date and time`;
  return { wall, zone };
};

const DURATION = /^P(?:(\d+)W|(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?)$/;

const parseDuration = (value: string): number | string => {
  const match = DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return `DURATION ${value} is not a length such as PT2H or P1DT4H`;
  const [, w, d, h, m, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + m!) * 60 + s!) * 1000;
};

const FREQ_WORDS: Record<number, string> = { [RRule.YEARLY]: 'yearly', [RRule.MONTHLY]: 'monthly', [RRule.WEEKLY]: 'weekly', [RRule.DAILY]: 'daily', [RRule.HOURLY]: 'hourly' };

const describe = (rule: RRule, zone: string, durationMs: number, wall: Date): string => {
  let text: string;
  try {
    text = rule.toText();
  } catch {
    text = FREQ_WORDS[rule.options.freq] ?? 'recurring';
  }
  const hours = durationMs / HOUR;
  const length = Number.isInteger(hours) ? `${hours} h` : `${Math.round(durationMs / 60_000)} min`;
  return `${text}, from ${wall.toISOString().slice(11, 16)} for ${length} (${zone})`;
};

/** Reads the field's text; never throws. */
export const parseRecurringWindow = (text: string): ParsedRecurringWindow => {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return fail('the recurring window is empty');
  let start: { wall: Date; zone: string } | null = null;
  let end: { wall: Date; zone: string } | null = null;
  let ruleText: string | null = null;
  let durationMs: number | null = null;
  for (const part of parts) {
    const upper = part.toUpperCase();
    if (upper.startsWith('DTSTART')) {
      const parsed = parseDateTime('DTSTART', part);
      if (typeof parsed === 'string') return fail(parsed);
      start = parsed;
    } else if (upper.startsWith('DTEND')) {
      const parsed = parseDateTime('DTEND', part);
      if (typeof parsed === 'string') return fail(parsed);
      end = parsed;
    } else if (upper.startsWith('RRULE:')) {
      ruleText = part.slice('RRULE:'.length);
    } else if (upper.startsWith('DURATION:')) {
      const parsed = parseDuration(part.slice('DURATION:'.length).toUpperCase());
      if (typeof parsed === 'string') return fail(parsed);
      durationMs = parsed;
    } else {
      return fail(`"${part.length > 40 ? `${part.slice(0, 40)}…` : part}" is not part of a recurring window (DTSTART, RRULE, DURATION or DTEND)`);
    }
  }
  if (!start) return fail('a recurring window needs a start: DTSTART;TZID=<zone>:<date-time>');
  if (!ruleText) return fail('a recurring window needs a rule: RRULE:FREQ=WEEKLY;BYDAY=TU, for example');
  if (durationMs !== null && end) return fail('give DURATION or DTEND, not both');
  if (end) {
    if (end.zone !== start.zone) return fail('DTEND must be in the same time zone as DTSTART');
    durationMs = instantOfWall(end.wall, end.zone).getTime() - instantOfWall(start.wall, start.zone).getTime();
  }
  if (durationMs === null) return fail('a recurring window needs a length: DURATION:PT2H, for example, or DTEND');
  if (durationMs <= 0) return fail('the window must end after it starts');
  if (durationMs > MAX_WINDOW_MS) return fail('a maintenance window may last at most 31 days');

  let options: Partial<Options>;
  try {
    options = RRule.parseString(ruleText);
  } catch (error) {
    return fail(`the RRULE cannot be read (${error instanceof Error ? error.message : 'unknown error'})`);
  }
  if (options.dtstart || options.tzid) return fail('put the start in DTSTART, not in the RRULE');
  if (options.freq === undefined || options.freq === null || !(options.freq in FREQ_WORDS)) {
    return fail('the RRULE needs FREQ=YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY');
  }
  const weekdays = options.byweekday;
  if (Array.isArray(weekdays) && weekdays.some((d) => d === undefined || d === null)) return fail('BYDAY lists a day that is not MO, TU, WE, TH, FR, SA or SU');
  try {
    const rule = new RRule({ ...options, dtstart: start.wall });
    rule.after(start.wall, true); // expands once: a rule rrule cannot run fails here, not later
    return { ok: true, window: { zone: start.zone, rule, options: { ...options, dtstart: start.wall }, durationMs, description: describe(rule, start.zone, durationMs, start.wall) } };
  } catch (error) {
    return fail(`the RRULE cannot be used (${error instanceof Error ? error.message : 'unknown error'})`);
  }
};

const PERIOD_MS: Partial<Record<number, number>> = { [RRule.HOURLY]: HOUR, [RRule.DAILY]: 24 * HOUR, [RRule.WEEKLY]: 7 * 24 * HOUR };

/**
 * The rule, started a whole number of its periods later, just before `wall`: the same occurrences
 * from there on, without expanding every one since DTSTART (an hourly rule from years ago would
 * take seconds). Only for hourly, daily and weekly rules without COUNT (COUNT counts from DTSTART;
 * months and years are few anyway).
 */
const ruleNear = (window: RecurringWindow, wall: Date): RRule => {
  const period = PERIOD_MS[window.options.freq as number];
  const start = window.options.dtstart.getTime();
  if (!period || window.options.count || wall.getTime() <= start) return window.rule;
  const step = period * Math.max(1, window.options.interval ?? 1);
  const periods = Math.floor((wall.getTime() - start) / step) - 1;
  if (periods < 1) return window.rule;
  return new RRule({ ...window.options, dtstart: new Date(start + periods * step) });
};

const occurrenceFrom = (window: RecurringWindow, wallStart: Date) => {
  const start = instantOfWall(wallStart, window.zone);
  return { start, end: new Date(start.getTime() + window.durationMs) };
};

/** The occurrence in force at `instant` (start ≤ instant ≤ end), or null. */
export const occurrenceAt = (window: RecurringWindow, instant: Date): { start: Date; end: Date } | null => {
  const wall = wallTimeOf(instant, window.zone);
  // Wall times run up to 3 h off the instant across a DST change; look a little wider, then check exactly.
  const from = new Date(wall.getTime() - window.durationMs - 3 * HOUR);
  const candidates = ruleNear(window, from).between(from, new Date(wall.getTime() + 3 * HOUR), true);
  for (const candidate of candidates.reverse()) {
    const occurrence = occurrenceFrom(window, candidate);
    if (occurrence.start.getTime() <= instant.getTime() && instant.getTime() <= occurrence.end.getTime()) return occurrence;
  }
  return null;
};

/** The next `count` occurrences that start after `instant`. */
export const occurrencesAfter = (window: RecurringWindow, instant: Date, count: number): { start: Date; end: Date }[] => {
  const found: { start: Date; end: Date }[] = [];
  let wall = new Date(wallTimeOf(instant, window.zone).getTime() - 3 * HOUR);
  const rule = ruleNear(window, wall);
  while (found.length < count) {
    const next = rule.after(wall, false);
    if (!next) break;
    wall = next;
    const occurrence = occurrenceFrom(window, next);
    if (occurrence.start.getTime() > instant.getTime()) found.push(occurrence);
  }
  return found;
};

/**
 * What the domain needs to judge `text`: the occurrences in force at each of `instants` (the steps
 * it judges, and now) and the next few after `now`; or why the text cannot be read.
 */
export const readRecurringWindow = (text: string, instants: readonly Date[], now: Date | null): RecurringWindowReading => {
  const parsed = parseRecurringWindow(text);
  if (!parsed.ok) return { text, kind: 'invalid', problem: parsed.problem };
  const seen = new Map<number, { start: Date; end: Date }>();
  for (const instant of now ? [...instants, now] : instants) {
    const occurrence = occurrenceAt(parsed.window, instant);
    if (occurrence) seen.set(occurrence.start.getTime(), occurrence);
  }
  const next = now ? occurrencesAfter(parsed.window, now, NEXT_OCCURRENCES) : [];
  for (const occurrence of next) seen.set(occurrence.start.getTime(), occurrence);
  return {
    text,
    kind: 'occurrences',
    description: parsed.window.description,
    occurrences: [...seen.values()].sort((a, b) => a.start.getTime() - b.start.getTime()),
    judgedAt: [...instants, ...(now ? [now] : [])],
  };
};

/**
 * The change with a reading of every recurring-window text it had (now, and in its history), each
 * covering the times of its steps, `alsoAt` (deployments) and `now` (null: no "now", as for an export judged as of its steps).
 */
export const withRecurringWindows = (change: Change, history: History, now: Date | null, alsoAt: readonly Date[] = []): Change => {
  const texts = new Set<string>();
  if (change.fields.recurringWindow?.trim()) texts.add(change.fields.recurringWindow);
  for (const entry of history) {
    if (entry.kind !== 'field' || entry.field !== 'recurringWindow') continue;
    for (const value of [entry.from, entry.to]) if (value?.trim()) texts.add(value);
  }
  if (!texts.size) return change.recurringWindows ? { ...change, recurringWindows: [] } : change;
  const instants = [...history.filter((entry) => entry.kind === 'status').map((entry) => entry.at), ...alsoAt];
  return { ...change, recurringWindows: [...texts].map((text) => readRecurringWindow(text, instants, now)) };
};
