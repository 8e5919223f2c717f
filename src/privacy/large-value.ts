/**
 * A JSON value that may outgrow one KVS value (240 KiB): stored as its JSON text cut into parts
 * (`<key>:part:<n>`), with the count of parts under `<key>`. Every account id of a big site fits.
 */
import { z } from 'zod';
import type { RecordStore } from './personal-data-report';

/** Characters of JSON text per part: well inside 240 KiB even when every character takes 2 bytes. */
export const PART_CHARS = 100_000;
const partKey = (key: string, n: number): string => `${key}:part:${n}`;
const HeadSchema = z.object({ largeValue: z.literal(1), parts: z.number().int().min(1) });

/** Writes the parts, then the head naming them, then deletes parts a longer earlier value left. */
export const writeLargeValue = async (store: RecordStore, key: string, value: unknown): Promise<void> => {
  const json = JSON.stringify(value);
  const parts = Math.max(1, Math.ceil(json.length / PART_CHARS));
  const before = HeadSchema.safeParse(await store.get(key));
  for (let n = 0; n < parts; n += 1) await store.set(partKey(key, n), json.slice(n * PART_CHARS, (n + 1) * PART_CHARS));
  await store.set(key, { largeValue: 1, parts });
  if (before.success) for (let n = parts; n < before.data.parts; n += 1) await store.delete(partKey(key, n));
};

/** The value, or undefined when absent or unreadable (a missing part, text that is not JSON). A value stored whole (before parts) is read as is. */
export const readLargeValue = async (store: RecordStore, key: string): Promise<unknown> => {
  const stored = await store.get(key);
  const head = HeadSchema.safeParse(stored);
  if (!head.success) return stored;
  let json = '';
  for (let n = 0; n < head.data.parts; n += 1) {
    const part = await store.get(partKey(key, n));
    if (typeof part !== 'string') return undefined;
    json += part;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
};

/** Deletes the value and its parts. */
export const deleteLargeValue = async (store: RecordStore, key: string): Promise<void> => {
  const head = HeadSchema.safeParse(await store.get(key));
  await store.delete(key);
  if (head.success) for (let n = 0; n < head.data.parts; n += 1) await store.delete(partKey(key, n));
};
