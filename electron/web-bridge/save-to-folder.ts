import { existsSync, mkdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { safeFileName } from '../shell/export-file-name.js';
import { contentOf, EXPORT_FILE_MODE, type SaveFile } from '../shell/save-file.js';
import type { SaveStream } from '../shell/save-stream.js';

/**
 * The web bridge's SaveFile: a browser page cannot drive main's save dialog, so exports go into one folder
 * (KEYRACK_WEB_SAVE_DIR for tests and dev:web) under their suggested name, written atomically with the
 * requested mode (owner-only by default). An existing file is never replaced: the name gets ` (2)`, ` (3)`…
 * The result names the path, which the page shows, and which a browser test reads the file from.
 */
export function saveToFolder(folder: string): SaveFile {
  return async (request) => {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const path = freePath(folder, safeFileName(request.defaultName));
    writeFileAtomic(path, await contentOf(request), request.mode ?? EXPORT_FILE_MODE);
    return { saved: true, path };
  };
}

/** The same folder for streamed exports (the log): only the path is chosen here, the caller streams into it. */
export function streamToFolder(folder: string): SaveStream {
  return async (request) => {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    return { saved: true, path: freePath(folder, safeFileName(request.defaultName)) };
  };
}

function freePath(folder: string, name: string): string {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = join(folder, name);
  for (let n = 2; existsSync(candidate); n++) candidate = join(folder, `${stem} (${n})${extension}`);
  return candidate;
}
