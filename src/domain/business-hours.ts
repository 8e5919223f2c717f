import { addHours } from 'date-fns/addHours';
import type { BusinessHours } from './policy';

const HOUR_MS = 3_600_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

export const wallClockIn = (instant: number, timeZone: string): WallClock => {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
};

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export const instantOfWallClock = (year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number => {
  const target = Date.UTC(year, month - 1, day, hour, minute);
  let guess = target;
  for (let i = 0; i < 3; i += 1) {
    const w = wallClockIn(guess, timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const drift = shown - target;
    if (drift === 0) break;
    guess -= drift;
  }
  return guess;
};

const clock = (hhmm: string): [number, number] => {
  const [h, m] = hhmm.split(':').map(Number);
  return [h ?? 0, m ?? 0];
};

/** `start` plus `hours` of working time. Without business hours, plain clock hours. */
export const addBusinessHours = (start: Date, hours: number, businessHours: BusinessHours | null): Date => {
  if (!businessHours) return addHours(start, hours);
  const { timeZone, days, start: open, end: close } = businessHours;
  const [openH, openM] = clock(open);
  const [closeH, closeM] = clock(close);
  let remaining = hours * HOUR_MS;
  let cursor = start.getTime();
  // Bounded: a 72-hour budget at one business hour a week still ends within ~14 years of days.
  for (let guard = 0; guard < 5_000; guard += 1) {
    const w = wallClockIn(cursor, timeZone);
    const dayOpen = instantOfWallClock(w.year, w.month, w.day, openH, openM, timeZone);
    const dayClose = instantOfWallClock(w.year, w.month, w.day, closeH, closeM, timeZone);
    if (days.includes(w.weekday) && cursor < dayClose) {
      const from = Math.max(cursor, dayOpen);
      const available = dayClose - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
    }
    cursor = instantOfWallClock(w.year, w.month, w.day + 1, 0, 0, timeZone);
  }
  return new Date(cursor + remaining);
};
