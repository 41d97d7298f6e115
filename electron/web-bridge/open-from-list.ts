import { AppError } from '../../shared/errors.js';
import type { OpenFile } from '../shell/open-file.js';

/**
 * The web bridge's OpenFile: a browser page cannot drive main's open dialog either, so the file(s) an
 * import reads are named up front (KEYRACK_WEB_OPEN_FILES, paths separated by the platform's path list
 * separator). Without them the import says plainly that this window cannot choose files.
 */
export function openFromList(paths: readonly string[]): OpenFile {
  return async (request) => {
    if (paths.length === 0) {
      throw new AppError('not_found', 'This browser window cannot choose files: start dev:web with KEYRACK_WEB_OPEN_FILES set to the file(s) to import');
    }
    return { chosen: true, paths: request.multiple ? [...paths] : paths.slice(0, 1) };
  };
}
