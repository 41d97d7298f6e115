import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { safeFileName } from './export-file-name.js';

/**
 * Saving an export too large to hold in memory (the audit log: a million events). Like SaveFile
 * (save-file.ts) the renderer never names a path: main asks where, then streams into the place chosen.
 * SaveStream only chooses the place; openAtomicWriteStream (fs/atomic-write.ts) writes it. The desktop
 * implements SaveStream with its save dialog (dialog.showSaveDialog, without writing: see
 * electron/ipc/electron-dialogs.ts for SaveFile); where there is no dialog (the web bridge)
 * dataFolderSaveStream writes into the data folder's exports.
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
