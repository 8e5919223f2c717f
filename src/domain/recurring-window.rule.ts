import { Change, ChangeFields, hasValue, Occurrence } from './change-model';

/**
 * Whether `at` falls in the recurring window of `fields` (issue 15). Only when no fixed window is
 * set and a recurring one is: `none` otherwise. The change must carry a reading of that very text
 * covering `at`; without one the window is `unknown`, which callers treat as not shown to be inside.
 */
export type RecurringWindowVerdict =
  | { kind: 'none' }
  | { kind: 'unknown' }
  | { kind: 'invalid'; problem: string }
  | { kind: 'inside'; occurrence: Occurrence; description: string }
  | { kind: 'outside'; next: Occurrence | null; description: string };

export const recurringWindowAt = (change: Change, fields: ChangeFields, at: Date): RecurringWindowVerdict => {
  if ((fields.windowStart && fields.windowEnd) || !hasValue(fields, 'recurringWindow')) return { kind: 'none' };
  const text = fields.recurringWindow ?? '';
  const reading = (change.recurringWindows ?? []).find((r) => r.text === text);
  if (!reading) return { kind: 'unknown' };
  if (reading.kind === 'invalid') return { kind: 'invalid', problem: reading.problem };
  if (!reading.judgedAt.some((t) => t.getTime() === at.getTime())) return { kind: 'unknown' };
  const t = at.getTime();
  const occurrence = reading.occurrences.find((o) => o.start.getTime() <= t && t <= o.end.getTime());
  if (occurrence) return { kind: 'inside', occurrence, description: reading.description };
  return { kind: 'outside', next: reading.occurrences.find((o) => o.start.getTime() > t) ?? null, description: reading.description };
};

/** The occurrences after `now` a reading lists (the panel shows them). */
export const nextOccurrences = (change: Change, fields: ChangeFields, now: Date): Occurrence[] => {
  const reading = (change.recurringWindows ?? []).find((r) => r.text === (fields.recurringWindow ?? ''));
  return reading?.kind === 'occurrences' ? reading.occurrences.filter((o) => o.start.getTime() > now.getTime()) : [];
};
