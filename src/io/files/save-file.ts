import type { Stats } from 'node:fs';
import { link, lstat, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileExistsError, UserError } from '../../errors.js';
import { temporaryFiles } from './temporary-files.js';

/** What a file that is not a regular one is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why writing `path` failed, in words naming the user's file and directory, not our temporary file. */
function writeFailure(path: string, error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `the directory ${dirname(path)} does not exist`;
    case 'ENOTDIR':
      return `${dirname(path)} is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${dirname(path)}`;
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    default:
      return (error as Error).message;
  }
}

function cannotWrite(path: string, error: unknown): UserError {
  return new UserError(`${path}: cannot write: ${writeFailure(path, error)}`);
}

function alreadyExists(path: string): FileExistsError {
  return new FileExistsError(`${path} already exists; use --force to overwrite it`);
}

function notRegular(path: string, what: string): UserError {
  return new UserError(`${path} is ${what}: only regular files are saved`);
}

/**
 * The file to write for `path` and whether it exists; anything but a regular file is refused.
 * This look guards against mistakes, not against someone who can swap files in the directory
 * between it and the rename.
 */
async function regularTarget(path: string): Promise<{ file: string; exists: boolean }> {
  let stats: Stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: path, exists: false };
    throw cannotWrite(path, error);
  }
  if (stats.isFile()) return { file: path, exists: true };
  if (!stats.isSymbolicLink()) throw notRegular(path, kindOf(stats));
  // A link to a regular file is written through, as kubectl does with a linked kubeconfig:
  // the link stays and the file it names gets the new text.
  let file: string;
  try {
    file = await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw notRegular(path, 'a symbolic link to a missing file');
    throw cannotWrite(path, error);
  }
  const linked = await stat(file);
  if (!linked.isFile()) throw notRegular(path, `a symbolic link to ${kindOf(linked)}`);
  return { file, exists: true };
}

/**
 * Writes a regular file atomically: the text goes to a temporary file beside it, which then
 * takes the target's name (through a symbolic link to a regular file). Without `overwrite` an
 * existing file is never replaced; a directory, device, FIFO or socket never is. The temporary
 * file is removed however the process ends.
 */
export async function saveFile(path: string, text: string, overwrite: boolean): Promise<void> {
  if (path === '') throw new UserError('cannot save: the file name is empty');
  const { file, exists } = await regularTarget(path);
  if (exists && !overwrite) throw alreadyExists(path);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const untrack = temporaryFiles.track(temporary);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
    if (overwrite) await rename(temporary, file);
    else {
      // link, unlike rename, fails when the name was taken since we looked.
      await link(temporary, file);
      await unlink(temporary);
    }
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    if (!overwrite && (error as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(path);
    throw cannotWrite(path, error);
  } finally {
    untrack();
  }
}
