/** Observation periods: `--from`/`--to` dates and `--quarter 2026Q3`, as half-open UTC intervals. Pure. */
import { InvalidPayloadError } from '../shared/app-error';

export interface Period {
  /** Inclusive start. */
  from: Date;
  /** Exclusive end. */
  to: Date;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const QUARTER = /^(\d{4})-?Q([1-4])$/i;

const invalid = (option: string, problem: string) => new InvalidPayloadError('period', [{ path: option, problem }]);

/** A `YYYY-MM-DD` date (UTC midnight) or an ISO instant with a zone; `endOfDay` moves a bare date to the next midnight. */
export const parseDateOption = (option: string, text: string, endOfDay = false): Date => {
  const value = text.trim();
  if (DATE_ONLY.test(value)) {
    const date = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw invalid(option, 'not a calendar date (use YYYY-MM-DD)');
    return endOfDay ? new Date(date.getTime() + DAY_MS) : date;
  }
  if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value);
  throw invalid(option, 'use YYYY-MM-DD or an ISO time with a zone, e.g. 2026-07-01T00:00:00Z');
};

/** `--from` inclusive, `--to` inclusive of that whole day when it is a bare date. */
export const parsePeriod = (from: string, to: string): Period => {
  const period = { from: parseDateOption('--from', from), to: parseDateOption('--to', to, true) };
  if (period.from.getTime() >= period.to.getTime()) throw invalid('--to', 'the period must end after it starts');
  return period;
};

/** `2026Q3` → 2026-07-01T00:00Z (inclusive) to 2026-10-01T00:00Z (exclusive). */
export const parseQuarter = (text: string): Period & { label: string } => {
  const match = QUARTER.exec(text.trim());
  if (!match) throw invalid('--quarter', 'use YEARQn, e.g. 2026Q3');
  const year = Number(match[1]);
  const q = Number(match[2]);
  return { label: `${year}Q${q}`, from: new Date(Date.UTC(year, (q - 1) * 3, 1)), to: new Date(Date.UTC(year, q * 3, 1)) };
};

export const inPeriod = (period: Period, at: Date): boolean => at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();

/** `YYYY-MM-DD` of an instant (UTC). */
export const isoDate = (at: Date): string => at.toISOString().slice(0, 10);

/** The day before and after the period, for a server-side JQL prefilter that is safe in any time zone. */
export const widenedDates = (period: Period): { after: string; before: string } => ({
  after: isoDate(new Date(period.from.getTime() - DAY_MS)),
  before: isoDate(new Date(period.to.getTime() + DAY_MS)),
});

const ORDER_BY = /\s+order\s+by\s+[\s\S]*$/i;

/** The given JQL with `condition` added (its ORDER BY kept last). */
export const narrowJql = (jql: string, condition: string): string => {
  const trimmed = jql.trim();
  const order = ORDER_BY.exec(trimmed)?.[0] ?? '';
  const where = trimmed.slice(0, trimmed.length - order.length).trim();
  return `${where ? `(${where}) AND ` : ''}${condition}${order}`;
};

/** The given JQL narrowed to tickets touched around the period (the exact cut is made locally, in UTC). */
export const periodJql = (jql: string, period: Period): string => {
  const { after, before } = widenedDates(period);
  return narrowJql(jql, `updated >= "${after}" AND created < "${before}"`);
};

