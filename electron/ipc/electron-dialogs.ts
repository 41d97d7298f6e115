import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { safeFileName } from '../shell/export-file-name.js';
import type { OpenFile, OpenFileOutcome, OpenFileRequest } from '../shell/open-file.js';
import { contentOf, EXPORT_FILE_MODE, type SaveFile, type SaveFileOutcome, type SaveFileRequest } from '../shell/save-file.js';
import type { SaveStream, SaveStreamOutcome, SaveStreamRequest } from '../shell/save-stream.js';

/**
 * The save dialog for exported files, in main (the renderer never passes a file path). The admin picks
 * the place; the content is produced after that choice and written atomically (temp file, fsync, rename)
 * with owner-only permissions unless the caller says otherwise. Returns where it went, or that the admin
 * cancelled; the content is never logged.
 */
export async function saveFileWithDialog(window: BrowserWindow | null, request: SaveFileRequest): Promise<SaveFileOutcome> {
  const chosen = await chooseSavePath(window, request);
  if (!chosen.saved) return chosen;
  writeFileAtomic(chosen.path, await contentOf(request), request.mode ?? EXPORT_FILE_MODE);
  return chosen;
}

/** Only asks where: the caller streams into the path (see fs/atomic-write.ts's openAtomicWriteStream). */
async function chooseSavePath(window: BrowserWindow | null, request: SaveStreamRequest): Promise<SaveStreamOutcome> {
  const options: Electron.SaveDialogOptions = {
    title: 'Save export',
    defaultPath: join(app.getPath('documents'), safeFileName(request.defaultName)),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
    ...(request.filters ? { filters: request.filters } : {}),
  };
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return { saved: false };
  return { saved: true, path: filePath };
}

/** A SaveStream for handlers (the log export), attached to the current window. */
export function dialogSaveStream(currentWindow: () => BrowserWindow | null): SaveStream {
  return (request) => chooseSavePath(currentWindow(), request);
}

/** A SaveFile for handlers: the dialog is attached to whichever window is current when it is called. */
export function dialogSaveFile(currentWindow: () => BrowserWindow | null): SaveFile {
  return (request) => saveFileWithDialog(currentWindow(), request);
}

/** The open dialog for imports (provider range files), in main for the same reason as the save dialog. */
export async function openFileWithDialog(window: BrowserWindow | null, request: OpenFileRequest): Promise<OpenFileOutcome> {
  const options: Electron.OpenDialogOptions = {
    title: request.title,
    defaultPath: app.getPath('downloads'),
    properties: request.multiple ? ['openFile', 'multiSelections'] : ['openFile'],
    ...(request.filters ? { filters: [...request.filters, { name: 'All files', extensions: ['*'] }] } : {}),
  };
  const { canceled, filePaths } = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (canceled || filePaths.length === 0) return { chosen: false };
  return { chosen: true, paths: filePaths };
}

/** An OpenFile for handlers, attached to the current window like dialogSaveFile. */
export function dialogOpenFile(currentWindow: () => BrowserWindow | null): OpenFile {
  return (request) => openFileWithDialog(currentWindow(), request);
}
