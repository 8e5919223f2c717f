/** Query parameters: integers with Jira's bounds (too large is capped, as Jira caps page sizes). */
import { jiraError, Parsed } from './jira-responses';

export const intParam = (query: Record<string, string>, name: string, fallback: number, bounds: { min?: number; max?: number } = {}): Parsed<number> => {
  const raw = query[name];
  if (raw === undefined || raw === '') return { ok: true, value: fallback };
  const min = bounds.min ?? 0;
  if (!/^-?\d+$/.test(raw.trim()) || Number(raw) < min) {
    return { ok: false, response: jiraError(400, [`The '${name}' parameter must be an integer of at least ${min}.`]) };
  }
  return { ok: true, value: Math.min(Number(raw), bounds.max ?? Number.MAX_SAFE_INTEGER) };
};
