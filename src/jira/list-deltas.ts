/**
 * Components come in the changelog one item per component added (`to`) or removed (`from`), not as
 * the whole list. Replay needs the whole list before and after each edit: walk back from today's.
 */
import type { Actor, FieldEntry, FieldKey } from '../domain';

export interface ListDelta {
  at: Date;
  actor: Actor;
  field: FieldKey;
  added: string[];
  removed: string[];
}

const encode = (items: ReadonlySet<string>): string | null => (items.size ? [...items].sort().join(',') : null);

/**
 * The field entries the deltas amount to, each with the whole list before and after, walking back
 * from `current` (today's list, per field). Deltas of one edit (same field, time and author) are one
 * entry. Histories come in any order: they are sorted here, newest first for the walk.
 */
export const replayListDeltas = (deltas: readonly ListDelta[], current: (field: FieldKey) => readonly string[]): FieldEntry[] => {
  const edits = new Map<string, ListDelta>();
  for (const delta of deltas) {
    const key = `${delta.field}|${delta.at.getTime()}|${delta.actor?.accountId ?? ''}`;
    const edit = edits.get(key);
    if (edit) {
      edit.added.push(...delta.added);
      edit.removed.push(...delta.removed);
    } else edits.set(key, { ...delta, added: [...delta.added], removed: [...delta.removed] });
  }
  const newestFirst = [...edits.values()].sort((a, b) => b.at.getTime() - a.at.getTime());
  const lists = new Map<FieldKey, Set<string>>();
  const entries: FieldEntry[] = [];
  for (const edit of newestFirst) {
    const after = lists.get(edit.field) ?? new Set(current(edit.field));
    const before = new Set(after);
    for (const name of edit.added) before.delete(name);
    for (const name of edit.removed) before.add(name);
    entries.push({ kind: 'field', at: edit.at, actor: edit.actor, field: edit.field, from: encode(before), to: encode(after) });
    lists.set(edit.field, before);
  }
  return entries.reverse();
};
