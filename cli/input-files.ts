/** Reading the files a command is given; a file that cannot be read is the caller's error (`fail`). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export const readBytes = async (path: string, fail: (problem: string, cause: unknown) => Error): Promise<Buffer> => {
  try {
    return await readFile(resolve(path));
  } catch (cause) {
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : 'read error';
    throw fail(`cannot be read (${code})`, cause);
  }
};
