import { ChangeFields, FIELD_DEFS, FieldKey, GROUP_RAW_PREFIX, HistoryEntry, Named } from './change-model';
import { ChangeTypeSchema, RiskSchema, VerificationResultSchema } from './states';

/** Turns a raw changelog value (as in `from`/`to`) back into a typed field value. */
export const fieldFromRaw = (field: FieldKey, raw: string | null): ChangeFields[FieldKey] => {
  if (raw === null || raw.trim() === '') return null;
  switch (FIELD_DEFS[field].kind) {
    case 'user':
      return namedFromRaw(raw.trim());
    case 'changeType':
      return ChangeTypeSchema.safeParse(raw).data ?? null;
    case 'risk':
      return RiskSchema.safeParse(raw).data ?? null;
    case 'verificationResult':
      return VerificationResultSchema.safeParse(raw).data ?? null;
    case 'datetime': {
      const date = new Date(raw);
      return Number.isNaN(date.getTime()) ? null : date;
    }
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'text':
      return raw;
  }
};

/** A named role from its raw encoding (see `rawNamed`). */
const namedFromRaw = (raw: string): Named | null => {
  if (raw.startsWith(GROUP_RAW_PREFIX)) return { group: raw.slice(GROUP_RAW_PREFIX.length) };
  const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
  if (ids.length > 1) return { anyOf: ids.map((accountId) => ({ accountId })) };
  return ids.length ? { accountId: ids[0]! } : null;
};

/** Normalised comparison of raw values: blank equals null. */
export const sameRaw = (a: string | null, b: string | null): boolean => (a?.trim() || null) === (b?.trim() || null);

/**
 * The fields as they were at `at` (edits at exactly `at` included, as a transition screen's are).
 * A field's value then is the `from` of its first recorded change after `at`, else its current value.
 */
export const fieldsAt = (current: ChangeFields, sortedHistory: readonly HistoryEntry[], at: Date): ChangeFields => {
  const snapshot: Record<string, unknown> = { ...current };
  const settled = new Set<FieldKey>();
  const t = at.getTime();
  for (const entry of sortedHistory) {
    if (entry.kind !== 'field' || entry.at.getTime() <= t || settled.has(entry.field)) continue;
    settled.add(entry.field);
    snapshot[entry.field] = fieldFromRaw(entry.field, entry.from);
  }
  return snapshot as ChangeFields; // keys and value kinds come from FIELD_DEFS via fieldFromRaw
};
