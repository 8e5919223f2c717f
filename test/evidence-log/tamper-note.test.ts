import { EMPTY_NOTE, MAX_NOTED, noteTamper, parseTamperNote, readTamperNote, tamperNoteKey, UNREADABLE_NOTE, updateTamperNote } from '../../src/evidence-log/tamper-note';
import { at } from '../builders/clock';
import { MemoryStore } from '../fakes/fake-jira';

const T1 = at(1);
const T2 = at(2);

describe('updateTamperNote', () => {
  it('adds only differences not noted yet, with when and by whom', () => {
    const first = updateTamperNote(EMPTY_NOTE, { differences: ['a', 'b', 'a'], seenBy: 'recorder' }, T1)!;
    expect(first.noted).toEqual([
      { difference: 'a', seenAt: T1.toISOString(), seenBy: 'recorder' },
      { difference: 'b', seenAt: T1.toISOString(), seenBy: 'recorder' },
    ]);
    const second = updateTamperNote(first, { differences: ['b', 'c'], seenBy: 'sweep' }, T2)!;
    expect(second.noted.map((n) => [n.difference, n.seenBy, n.seenAt])).toEqual([['a', 'recorder', T1.toISOString()], ['b', 'recorder', T1.toISOString()], ['c', 'sweep', T2.toISOString()]]);
  });

  it('answers null when nothing changes (no write)', () => {
    const note = updateTamperNote(EMPTY_NOTE, { differences: ['a'], seenBy: 'sweep' }, T1)!;
    expect(updateTamperNote(note, { differences: ['a'], seenBy: 'sweep' }, T2)).toBeNull();
    expect(updateTamperNote(EMPTY_NOTE, { differences: [], seenBy: 'sweep' }, T2)).toBeNull();
    expect(updateTamperNote(EMPTY_NOTE, { mirrorStale: false, seenBy: 'recorder' }, T2)).toBeNull();
  });

  it('keeps the first stale time until a mirror write succeeds', () => {
    const stale = updateTamperNote(EMPTY_NOTE, { mirrorStale: true, seenBy: 'recorder' }, T1)!;
    expect(stale.mirrorStaleSince).toBe(T1.toISOString());
    expect(updateTamperNote(stale, { mirrorStale: true, seenBy: 'recorder' }, T2)).toBeNull();
    expect(updateTamperNote(stale, { differences: [], seenBy: 'sweep' }, T2)).toBeNull();
    expect(updateTamperNote(stale, { mirrorStale: false, seenBy: 'recorder' }, T2)).toEqual(EMPTY_NOTE);
  });

  it('keeps the account ids the new differences name, once each', () => {
    const first = updateTamperNote(EMPTY_NOTE, { differences: ['the step by acc-x at 10:00', 'the step by acc-y at 11:00'], accountIds: ['acc-x', 'acc-y', 'acc-z'], seenBy: 'sweep' }, T1)!;
    expect(first.accountIds).toEqual(['acc-x', 'acc-y']);
    const second = updateTamperNote(first, { differences: ['the step by acc-x at 12:00'], accountIds: ['acc-x'], seenBy: 'sweep' }, T2)!;
    expect(second.accountIds).toEqual(['acc-x', 'acc-y']);
    expect(updateTamperNote(second, { differences: ['the step by acc-x at 12:00'], accountIds: ['acc-w'], seenBy: 'sweep' }, T2)).toBeNull();
  });

  it('reads a note stored before it kept account ids', () => {
    expect(parseTamperNote({ v: 1, noted: [], mirrorStaleSince: null }).accountIds).toEqual([]);
  });

  it(`keeps at most ${MAX_NOTED} differences, the first ones seen`, () => {
    const many = Array.from({ length: MAX_NOTED + 5 }, (_, i) => `d${i}`);
    const note = updateTamperNote(EMPTY_NOTE, { differences: many, seenBy: 'sweep' }, T1)!;
    expect(note.noted.map((n) => n.difference)).toEqual(many.slice(0, MAX_NOTED));
    expect(updateTamperNote(note, { differences: ['later'], seenBy: 'sweep' }, T2)).toBeNull();
  });
});

describe('parseTamperNote', () => {
  it('reads absent as empty, and reports a stored value that is not a note instead of dropping it', () => {
    expect(parseTamperNote(undefined)).toEqual(EMPTY_NOTE);
    expect(parseTamperNote({ v: 2 }).noted.map((n) => n.difference)).toEqual([UNREADABLE_NOTE]);
  });
});

describe('noteTamper', () => {
  it('writes only when the note changes', async () => {
    const store = new MemoryStore();
    expect(await noteTamper(store, '10001', await readTamperNote(store, '10001'), { differences: ['a'], seenBy: 'sweep' }, T1)).toBe(true);
    expect(await noteTamper(store, '10001', await readTamperNote(store, '10001'), { differences: ['a'], seenBy: 'sweep' }, T2)).toBe(false);
    expect((await readTamperNote(store, '10001')).noted).toHaveLength(1);
    expect(store.values.has(tamperNoteKey('10002'))).toBe(false);
  });

  it('keeps an unreadable stored note as a difference when it adds to it', async () => {
    const store = new MemoryStore();
    store.values.set(tamperNoteKey('10001'), 'garbage');
    await noteTamper(store, '10001', await readTamperNote(store, '10001'), { differences: ['a'], seenBy: 'sweep' }, T1);
    expect((await readTamperNote(store, '10001')).noted.map((n) => n.difference)).toEqual([UNREADABLE_NOTE, 'a']);
  });
});
