/**
 * Saving an export (credential file, CA certificate, log CSV) where the admin chooses. The renderer never
 * names a path: it asks for an export by channel, main produces the content, and main asks the admin where
 * to put it. Handlers depend on this type, not on Electron, so the same handler works with the desktop's
 * save dialog (electron/ipc/electron-dialogs.ts) and with a browser download in the web bridge.
 */
export interface SaveFileRequest {
  /** A suggested file name (cleaned by safeFileName before the dialog shows it). */
  defaultName: string;
  /**
   * The bytes, or a function that produces them once the admin has chosen where (not called on cancel), so
   * an export that is logged when produced (a credential file) is not logged for a save that never happened.
   */
  content: string | Buffer | (() => Promise<string | Buffer>);
  /** File mode; owner-only unless the content is public (a CA certificate may be 0o644). */
  mode?: number;
  /** Shown by the dialog, e.g. { name: 'Keyrack credential file', extensions: ['json'] }. */
  filters?: Array<{ name: string; extensions: string[] }>;
}

export type SaveFileOutcome = { saved: true; path: string } | { saved: false };

export type SaveFile = (request: SaveFileRequest) => Promise<SaveFileOutcome>;

/** Owner read/write only: what an export holding a secret must be. */
export const EXPORT_FILE_MODE = 0o600;

/** The content of a request, produced now if it is lazy. */
export async function contentOf(request: SaveFileRequest): Promise<string | Buffer> {
  return typeof request.content === 'function' ? request.content() : request.content;
}
