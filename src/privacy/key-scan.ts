/**
 * A scan of every app-storage key under a prefix that can stop at any time and carry on in a later
 * invocation without keeping a KVS cursor (KVS says its cursors may not stay valid). What is left
 * is a list of key prefixes. A prefix is read to its end within one invocation; when time runs out
 * part-way, the keys after the last one read are covered exactly by prefixes built from it (keys
 * come in key order; the characters are those KVS allows in a key), so nothing is read twice.
 * That order is checked as the keys come: if KVS ever answers out of it, a prefix stopped part-way
 * is read again whole next time (slower, never a key missed).
 */
import type { RecordStore, StoredRecord } from './personal-data-report';

/** The characters KVS allows in a key (`[a-zA-Z0-9:._\s-#]`; of the white space, the app uses none but the space), in key order. */
export const KEY_CHARACTERS = [' ', '#', '-', '.', ...'0123456789', ':', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '_', ...'abcdefghijklmnopqrstuvwxyz'];

const charactersAfter = (c: string): string[] => KEY_CHARACTERS.slice(KEY_CHARACTERS.indexOf(c) + 1);

/**
 * The prefixes that hold exactly the keys under `prefix` that come after `lastKey`, smallest
 * first: the keys that extend `lastKey`, then at each position from the last back to the
 * prefix's end, the keys that differ there by a greater character.
 */
export const prefixesAfter = (prefix: string, lastKey: string): string[] => {
  const out = KEY_CHARACTERS.map((c) => `${lastKey}${c}`);
  for (let i = lastKey.length - 1; i >= prefix.length; i -= 1) out.push(...charactersAfter(lastKey.charAt(i)).map((c) => `${lastKey.slice(0, i)}${c}`));
  return out;
};

/**
 * Visits records under the prefixes of `todo` (a stack, changed in place) until it is empty or
 * `outOfTime()`. Answers the pages read, and whether KVS answered out of key order.
 */
export const scanKeys = async (store: RecordStore, todo: string[], visit: (record: StoredRecord) => Promise<void>, outOfTime: () => boolean): Promise<{ pages: number; outOfOrder: boolean }> => {
  let pages = 0;
  let outOfOrder = false;
  while (todo.length > 0 && !outOfTime()) {
    const prefix = todo.pop()!;
    let cursor: string | null = null;
    let lastKey: string | null = null;
    let ordered = true;
    do {
      const page = await store.list(prefix, cursor);
      pages += 1;
      for (const record of page.records) {
        if (lastKey !== null && !(record.key > lastKey)) ordered = false;
        await visit(record);
        lastKey = record.key;
      }
      cursor = page.nextCursor;
    } while (cursor !== null && !outOfTime());
    outOfOrder ||= !ordered;
    // Pushed largest first, so the scan goes on in key order.
    if (cursor !== null) todo.push(...(lastKey === null || !ordered ? [prefix] : prefixesAfter(prefix, lastKey).reverse()));
  }
  return { pages, outOfOrder };
};
