import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { writeFileAtomic } from '../credentials/atomic-file.js';
import { safeFileName } from '../shell/export-file-name.js';
import { EXPORT_FILE_MODE, type SaveFile, type SaveFileOutcome, type SaveFileRequest } from '../shell/save-file.js';

/**
 * The save dialog for exported files, in main (the renderer never passes a file path). The admin picks
 * the place; the content is written atomically (temp file, fsync, rename) with owner-only permissions
 * unless the caller says otherwise. Returns where it went, or that the admin cancelled; the content is
 * never logged.
 */
export async function saveFileWithDialog(window: BrowserWindow | null, request: SaveFileRequest): Promise<SaveFileOutcome> {
  const options: Electron.SaveDialogOptions = {
    title: 'Save export',
    defaultPath: join(app.getPath('documents'), safeFileName(request.defaultName)),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
    ...(request.filters ? { filters: request.filters } : {}),
  };
  const { canceled, filePath } = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return { saved: false };
  writeFileAtomic(filePath, request.content, request.mode ?? EXPORT_FILE_MODE);
  return { saved: true, path: filePath };
}

/** A SaveFile for handlers: the dialog is attached to whichever window is current when it is called. */
export function dialogSaveFile(currentWindow: () => BrowserWindow | null): SaveFile {
  return (request) => saveFileWithDialog(currentWindow(), request);
}
