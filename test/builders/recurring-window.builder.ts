import type { RecurringWindowReading } from '../../src/domain';

/** A reading of `text` as the adapter gives it: occurrences as [start, end] pairs, judged at `judgedAt`. */
export const aRecurringReading = (text: string, occurrences: readonly (readonly [Date, Date])[], judgedAt: readonly Date[]): RecurringWindowReading => ({
  kind: 'occurrences',
  text,
  description: `test window ${text}`,
  occurrences: occurrences.map(([start, end]) => ({ start, end })),
  judgedAt: [...judgedAt],
});

export const anUnreadableWindow = (text: string, problem = 'the RRULE cannot be read'): RecurringWindowReading => ({ kind: 'invalid', text, problem });
