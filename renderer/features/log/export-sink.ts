/**
 * Where an exported file goes. The seam between building a file (here, in the renderer) and saving it:
 *
 * - In a browser (the HTTP bridge build, `npm run dev:web`, the Playwright tests) the file is handed to
 *   the browser as a Blob download.
 * - In the Electron app the save dialog lives in main (the renderer never passes a file path). When the
 *   preload exposes a save function for exports, return a sink here that calls it with the suggested name
 *   and the content, and reports 'cancelled' when the person closes the dialog; nothing else changes.
 */
export interface FileSink {
  save(file: { name: string; type: string; parts: BlobPart[] }): Promise<'saved' | 'cancelled'>;
}

/** A Blob download: the browser saves it under the suggested name (or asks, per its settings). */
export const browserDownloadSink: FileSink = {
  save: async ({ name, type, parts }) => {
    const url = URL.createObjectURL(new Blob(parts, { type }));
    try {
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.rel = 'noopener';
      link.style.display = 'none';
      document.body.append(link);
      link.click();
      link.remove();
    } finally {
      // Revoke on the next tick: the click has started the download by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    }
    return 'saved';
  },
};

/** The sink for this build of the app (see the comment at the top for the desktop save dialog). */
export function exportSink(): FileSink {
  return browserDownloadSink;
}
