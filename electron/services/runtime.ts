import type { KeyWrapper } from '../crypto/key-wrap.js';
import type { StoreChoice } from '../db/store-choice.js';
import type { RangesDownloadSettings } from './ranges.service.js';
import type { OpenFile } from '../shell/open-file.js';
import type { SaveFile } from '../shell/save-file.js';
import type { SaveStream } from '../shell/save-stream.js';
import type { TokenServerHost } from '../token-server/host.js';

/**
 * What the services behind the handlers need beyond the core: the pieces a running app has (the token
 * server it hosts, main's file dialogs). The desktop app (main.ts) and the web bridge build one each and
 * hand it to the handlers; tests build what they test.
 * A piece that is absent makes the channels needing it answer with a plain error, never a fake result.
 */
export interface HandlerRuntime {
  /** The token server this process runs, with the KeyWrapper its keys are wrapped with. */
  tokenServer?: { host: TokenServerHost; keyWrapper: KeyWrapper };
  /** Where exports are saved: the desktop's save dialog, the web bridge's folder. */
  saveFile?: SaveFile;
  /** Where streamed exports (the log) go: the desktop's save dialog, the web bridge's folder. */
  saveStream?: SaveStream;
  /** Where imports are read from: the desktop's open dialog, the web bridge's configured files. */
  openFile?: OpenFile;
  /** Where provider ranges are downloaded from (a mirror, a test server); default the official URLs. */
  rangesDownload?: RangesDownloadSettings;
  /**
   * The store this process opened at its start and what chose it (main.ts: db/store-choice.ts's choice).
   * Absent: the core's own SQLite file, chosen by nobody (the web bridge, tests).
   */
  openedStore?: StoreChoice;
  /** KEYRACK_STORE as this process saw it at its start; set, it wins over store.json at the next start too. */
  storeEnv?: string;
}
