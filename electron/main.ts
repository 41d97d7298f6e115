import { app, BrowserWindow, dialog, Notification, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCore, type Core } from './core.js';
import { openCheckpointKeyOn } from './services/audit-anchor.js';
import type { KeyWrapper } from './crypto/key-wrap.js';
import { upgradeNotice } from './db/migrate.js';
import { chooseStore, openChosenStore, STORE_ENV } from './db/store-choice.js';
import { dialogOpenFile, dialogSaveFile, dialogSaveStream } from './ipc/electron-dialogs.js';
import { createHandlers } from './ipc/handlers.js';
import { registerElectronIpc } from './ipc/electron-ipc.js';
import { electronKeyWrapper, electronSharedStoreKeyWrapper } from './ipc/electron-safe-storage.js';
import { sessionPerSender } from './ipc/register.js';
import { APP_FOLDER_NAME } from './paths.js';
import { createDesktopServices } from './shell/desktop-services.js';
import { desktopDataDir } from './shell/desktop-paths.js';
import { electronSqliteBinding } from './shell/native-binding.js';
import { orderlyShutdown } from './shell/shutdown.js';
import { focusExistingWindow } from './shell/single-instance.js';
import { createMainWindow, hardenSession, hardenWebContents, registerAppScheme } from './window.js';

/**
 * The desktop app's composition root. Everything it decides is in electron/shell/ (plain, tested); this
 * file only orders the steps Electron requires: before ready (name, data folder, scheme, sandbox, lock),
 * then on ready (session hardening, store, IPC, background services, window), then on quit (orderly
 * shutdown, store closed last).
 */
const log = (message: string): void => console.log(`[keyrack] ${message}`);
const warn = (message: string): void => console.warn(`[keyrack] ${message}`);

// dist/electron/main.js → dist/electron (preload.cjs beside it) and dist/renderer (vite's output).
const distElectron = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(distElectron, 'preload.cjs');
const rendererDir = join(distElectron, '..', 'renderer');

// userData = <appData>/Keyrack, the folder electron/paths.ts's defaultDataDir gives the CLI.
app.setName(APP_FOLDER_NAME);
app.setPath('userData', join(app.getPath('appData'), APP_FOLDER_NAME));
registerAppScheme();
// Checklist 4: every renderer sandboxed, whatever a window's own options say.
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another Keyrack owns the store and the token server's port; it brings its window forward.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!focusExistingWindow(mainWindow) && app.isReady()) openWindow();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.whenReady().then(start).catch(fatal);
}

function openWindow(): void {
  const window = createMainWindow({ preloadPath });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, rendererDir);

  const dataDir = desktopDataDir(app.getPath('userData'));
  const nativeBinding = electronSqliteBinding({
    appRoot: app.getAppPath(),
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
  });
  // Before the window: a long upgrade is said where the app's messages go (the window is not up yet).
  // Made once, after openCore has created the folder (the fallback key file lives in it); it also wraps
  // the log's checkpoint key.
  let wrapper: KeyWrapper | undefined;
  const wrapperOnce = (): KeyWrapper => (wrapper ??= electronKeyWrapper(dataDir, warn));
  const onMigrate = (plan: Parameters<typeof upgradeNotice>[0]) => log(upgradeNotice(plan) ?? `upgrading the store to schema ${plan.to}`);
  // The store as the CLI chooses it (db/store-choice.ts): KEYRACK_STORE, else the data folder's store.json,
  // else its SQLite file. PostgreSQL's password comes from PGPASSWORD or ~/.pgpass (no prompt here); an
  // unreachable server or a refused login ends in fatal(), whose dialog says so in plain words.
  const storeChoice = chooseStore(dataDir, { env: process.env[STORE_ENV] });
  const chosen = await openChosenStore(storeChoice, { dataDir, onMigrate });
  // On a shared store the private keys are the nodes' (wrapped with their master key), and so is the log's
  // checkpoint key (shell/shared-store-key.ts); a missing master key ends in fatal(), saying where it goes.
  const shared = chosen.store?.dialect === 'postgres' ? chosen.store : undefined;
  if (shared) wrapper = electronSharedStoreKeyWrapper(dataDir, chosen.describe, log);
  const core: Core = openCore({
    dataDir,
    nativeBinding,
    store: chosen.store,
    checkpointKey: shared ? await openCheckpointKeyOn(shared, wrapperOnce) : undefined,
    onMigrate,
    onNotice: warn,
    keyWrapper: wrapperOnce,
  });
  log(`store opened: ${chosen.describe}`);
  const keyWrapper = wrapperOnce();
  log(`reversible secrets are wrapped with ${keyWrapper.description}`);

  const desktop = createDesktopServices(
    { core, keyWrapper, log },
    {
      showNotification: (notice) => {
        if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
      },
    },
  );
  const sessions = sessionPerSender(core.deps.clock);
  const currentWindow = () => mainWindow;
  const unregisterIpc = registerElectronIpc({
    handlers: createHandlers(core, {
      tokenServer: desktop.tokenServer,
      saveFile: dialogSaveFile(currentWindow),
      saveStream: dialogSaveStream(currentWindow),
      openFile: dialogOpenFile(currentWindow),
      // The Store card (services/store-admin.ts) says which store this is, and what the next start opens.
      openedStore: storeChoice,
      storeEnv: process.env[STORE_ENV],
    }),
    sessions,
    onRefusedSender: (reason, frameUrl) => warn(`IPC call refused: ${reason} (${frameUrl ?? 'no frame'})`),
  });
  app.on('web-contents-created', (_event, contents) => {
    const id = contents.id;
    contents.once('destroyed', () => sessions.forget(id));
  });

  const services = await desktop.start();
  const shutdown = orderlyShutdown({
    services,
    unregisterIpc,
    // The SQLite file, then the PostgreSQL pool when there is one.
    closeCore: async () => {
      core.close();
      await chosen.close();
    },
    log,
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Hold the quit until the token server has drained and the store is closed, then quit for real.
    event.preventDefault();
    void shutdown().then(() => {
      stopped = true;
      app.quit();
    });
  });
  // Keyrack's token server keeps serving with the window closed on macOS, as apps there do; elsewhere
  // closing the window quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  openWindow();
}

/** A store that will not open, a missing native module: say so plainly and exit (messages hold no secrets). */
function fatal(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[keyrack] cannot start: ${message}`);
  dialog.showErrorBox('Keyrack cannot start', message);
  app.exit(1);
}
