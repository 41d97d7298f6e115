/**
 * Choosing a file to read (a provider's range file to import). Like SaveFile, the choice is made in main:
 * the renderer asks for an import by channel and never names a path. Handlers depend on this type, so the
 * desktop uses its open dialog (electron/ipc/electron-dialogs.ts) and the web bridge a configured list.
 */
export interface OpenFileRequest {
  title: string;
  /** Cloudflare publishes its ranges as two files (ips-v4, ips-v6): the admin may pick both. */
  multiple: boolean;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export type OpenFileOutcome = { chosen: true; paths: string[] } | { chosen: false };

export type OpenFile = (request: OpenFileRequest) => Promise<OpenFileOutcome>;
