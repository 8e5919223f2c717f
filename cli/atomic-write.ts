/**
 * Writes that leave nothing partial behind: a file goes to a temporary sibling and is renamed into
 * place; a directory is built as a temporary sibling and renamed once complete. On failure the
 * temporary file or directory is removed; on an interrupt, `removePendingWrites` removes it.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OutputError } from './cli-errors';

/** Temporary files and directories of writes in progress. */
const pending = new Set<string>();

/** Removes what writes in progress have written so far (for SIGINT/SIGTERM); synchronous. */
export const removePendingWrites = (): void => {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
};

const exists = async (path: string): Promise<boolean> => {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
};

export const writeFileAtomic = async (path: string, content: string): Promise<void> => {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  pending.add(temp);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new OutputError(`Could not write ${path}`, { cause });
  } finally {
    pending.delete(temp);
  }
};

/** The files of a directory, by relative path (forward slashes, no `..`); a Map will do. */
export type DirectoryContent = Iterable<readonly [string, string]>;

/** Creates `path` with `files`; refuses an existing path, so nothing is overwritten. */
export const writeDirectoryAtomic = async (path: string, files: DirectoryContent): Promise<void> => {
  if (await exists(path)) throw new OutputError(`${path} already exists; choose a new --out directory`);
  let temp: string | null = null;
  try {
    temp = await mkdtemp(join(dirname(path), `.${basename(path)}.`));
    pending.add(temp);
    for (const [relative, content] of files) {
      if (relative.split('/').some((part) => part === '..' || part === '')) throw new Error(`unsafe file name ${relative}`);
      const target = join(temp, ...relative.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await rename(temp, path);
  } catch (cause) {
    if (temp) await rm(temp, { recursive: true, force: true });
    throw cause instanceof OutputError ? cause : new OutputError(`Could not write ${path}`, { cause });
  } finally {
    if (temp) pending.delete(temp);
  }
};
