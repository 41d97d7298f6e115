import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConflictError } from '../../shared/errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { contentOf, EXPORT_FILE_MODE, type SaveFile } from '../shell/save-file.js';

/**
 * The CLI's SaveFile: the file named by `--out`, where the app would ask with a save dialog. An existing
 * file is refused unless `overwrite` (`--force`); the write is atomic with the requested mode.
 */
export function saveToPath(path: string, overwrite: boolean): SaveFile {
  const target = resolve(path);
  return async (request) => {
    if (!overwrite && existsSync(target)) throw new ConflictError(`${target} already exists: choose another name, or --force to replace it`);
    writeFileAtomic(target, await contentOf(request), request.mode ?? EXPORT_FILE_MODE);
    return { saved: true, path: target };
  };
}
