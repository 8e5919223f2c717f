/**
 * JQL date values: `yyyy-MM-dd`, `yyyy/MM/dd`, either with ` HH:mm`, read in the searcher's time
 * zone (as Jira does), or a period relative to now: `-72h`, `-3d`, `1w`, `-4w 2d` (units w, d, h, m;
 * a leading sign applies to the whole period).
 */
const ABSOLUTE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([+-]?)(\d+[wdhm](?:\s+\d+[wdhm])*)$/;
const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

export const INVALID_DATE_HINT =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/** The zone's offset from UTC (ms) at instant `utcMs`; 0 for an unknown zone. */
const zoneOffset = (timeZone: string, utcMs: number): number => {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(utcMs));
  } catch {
    return 0; // RangeError: not a zone Intl knows; read the value as UTC
  }
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
};

/** The instant a wall-clock time in `timeZone` denotes. */
export const zonedTime = (timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number => {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - zoneOffset(timeZone, wall);
  return wall - zoneOffset(timeZone, first);
};

/** A JQL date value as epoch ms, or null when it is not one. */
export const parseJqlDate = (text: string, now: Date, timeZone: string): number | null => {
  const value = text.trim();
  const absolute = ABSOLUTE.exec(value);
  if (absolute) {
    const [year, month, day, hour, minute] = absolute.slice(1).map((n) => (n === undefined ? 0 : Number(n))) as [number, number, number, number, number];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59) return null;
    return zonedTime(timeZone, year, month, day, hour, minute);
  }
  const period = PERIOD.exec(value);
  if (period) {
    const sign = period[1] === '-' ? -1 : 1;
    const total = period[2]!.split(/\s+/).reduce((sum, term) => sum + Number(term.slice(0, -1)) * UNIT_MS[term.slice(-1)]!, 0);
    return now.getTime() + sign * total;
  }
  return null;
};
