// The admin page's fake bridge for the section tests: each resolver key answers from its own queue
// (the last answer repeats); a function answer is called (and may return a promise). Every call is recorded.
import type { AdminKey } from '../../../static/admin-page/src/admin-model';

export const fakeInvoke = (answers: Partial<Record<AdminKey, unknown[]>>) => {
  const queues = new Map(Object.entries(answers).map(([key, list]) => [key, [...(list as unknown[])]]));
  const invoke = jest.fn<Promise<unknown>, [AdminKey, Record<string, unknown>?]>(async (key) => {
    const queue = queues.get(key);
    if (!queue || queue.length === 0) throw new Error(`no fake answer for ${key}`);
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    return typeof answer === 'function' ? (answer as () => unknown)() : answer;
  });
  const calls = (key: AdminKey) => invoke.mock.calls.filter(([k]) => k === key).map(([, payload]) => payload);
  return { invoke, calls };
};

/** Lets pending promises and timers of 0 ms run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
