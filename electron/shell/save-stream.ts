import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { safeFileName } from './export-file-name.js';
import { EXPORT_FILE_MODE } from './save-file.js';

/**
 * Saving an export too large to hold in memory (the audit log: a million events). Like SaveFile
 * (save-file.ts) the renderer never names a path: main asks where, then streams into the place chosen.
 * SaveStream only chooses the place; openStreamedFile writes it. The desktop implements SaveStream with its
 * save dialog (dialog.showSaveDialog, without writing: see electron/ipc/electron-dialogs.ts for SaveFile);
 * where there is no dialog (the web bridge) dataFolderSaveStream writes into the data folder's exports.
 */
export interface SaveStreamRequest {
  /** A suggested file name (cleaned by safeFileName before anyone sees it). */
  defaultName: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export type SaveStreamOutcome = { saved: true; path: string } | { saved: false };

export type SaveStream = (request: SaveStreamRequest) => Promise<SaveStreamOutcome>;

/** No dialog: exports go to `<dataDir>/exports/<name>` (owner-only folder). */
export function dataFolderSaveStream(dataDir: string): SaveStream {
  return (request) => {
    const folder = join(dataDir, 'exports');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    return Promise.resolve({ saved: true, path: join(folder, safeFileName(request.defaultName)) });
  };
}

/** Always the same path (the CLI's --out, tests). */
export const fixedPathSaveStream =
  (path: string): SaveStream =>
  () =>
    Promise.resolve({ saved: true, path });

export interface StreamedFile {
  stream: Writable;
  /** Flushes, fsyncs and renames the temp file over the target: readers never see half an export. */
  commit(): Promise<void>;
  /** Removes the temp file (cancelled or failed export); the target is left as it was. */
  abort(): Promise<void>;
}

/**
 * A write stream into a temp file beside `path` (same filesystem, so the final rename is atomic),
 * created exclusively with an owner-only mode: a log export names people, addresses and API users.
 */
export function openStreamedFile(path: string, mode = EXPORT_FILE_MODE): StreamedFile {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const stream = createWriteStream(temp, { flags: 'wx', mode });
  const finished = new Promise<void>((resolve, reject) => {
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  // Errors surface through commit()/abort(); without a listener an early error would crash the process.
  finished.catch(() => undefined);
  return {
    stream,
    async commit() {
      stream.end();
      await finished;
      const fd = openSync(temp, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temp, mode);
      renameSync(temp, path);
    },
    async abort() {
      stream.destroy();
      await finished.catch(() => undefined);
      rmSync(temp, { force: true });
    },
  };
}
