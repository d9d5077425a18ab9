import { link, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileExistsError, UserError } from '../errors.js';

/**
 * Writes a file atomically: the text goes to a temporary file beside it, which then takes the
 * target's name. Without `overwrite` an existing file is never replaced (the final link fails).
 */
export async function saveFile(path: string, text: string, overwrite: boolean): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temporary, text, { flag: 'wx' });
  } catch (error) {
    throw new UserError(`${path}: cannot write: ${(error as Error).message}`);
  }
  try {
    if (overwrite) await rename(temporary, path);
    else {
      await link(temporary, path);
      await unlink(temporary);
    }
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FileExistsError(`${path} already exists; use --force to overwrite it`);
    }
    throw new UserError(`${path}: cannot write: ${(error as Error).message}`);
  }
}
