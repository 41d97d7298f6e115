import { app, BrowserWindow, dialog, protocol, shell, type Session, type WebContents } from 'electron';
import { APP_ENTRY_URL, APP_SCHEME } from './shell/app-origin.js';
import { serveAppRequest } from './shell/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from './shell/csp.js';
import { LEAVE_BUTTON, leaveQuestionFor } from './shell/leave-question.js';
import { decideNavigation, decideWindowOpen } from './shell/navigation.js';
import { isPermissionGranted } from './shell/permissions.js';
import { isAllowedRendererRequest } from './shell/request-filter.js';

/**
 * The one window and the session it loads in, set up per Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security). The decisions themselves live in
 * electron/shell/ as plain functions with tests; this file only connects them to Electron.
 */

/** Before app ready: app:// gets a real, secure origin (checklist 18: no file:// for app content). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** After app ready, once per session: what the renderer may load and ask for. */
export function hardenSession(session: Session, rendererDir: string): void {
  // The renderer's files, from the built folder only, with the CSP header on every answer.
  session.protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));

  // Checklist 7: the CSP on anything that reaches the renderer, also where the protocol handler is not
  // the source (a devtools page, an error page).
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  // No remote content at all: anything not on app:// (or inline data) is cancelled before it leaves.
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRendererRequest(details.url) });
  });

  // Checklist 5: permission requests are denied, except clipboard writing for the app's copy buttons.
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl || webContents.getURL()));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  );
}

/**
 * Checklists 13 and 14 for any web contents the app ever creates: no navigation away from the app, no new
 * windows, no <webview>. Allow-listed https links go to the system browser instead (checklist 15).
 */
export function hardenWebContents(contents: WebContents): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string): void => {
    const decision = decideNavigation(url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
  };
  contents.on('will-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-frame-navigate', (event) => refuseNavigation(event, event.url));
  contents.on('will-redirect', (event) => refuseNavigation(event, event.url));
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export interface MainWindowOptions {
  /** dist/electron/preload.cjs, the bundled sandboxed preload. */
  preloadPath: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Keyrack',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      // Checklists 2, 3, 4, 6, 9, 10, 12: the page is plain web content in its own world with no Node.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      safeDialogs: true,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click on a link asks for a new window; the window-open handler refuses those anyway, and
      // without the auxclick event page script never sees the click either (electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWebContents(window.webContents);
  askBeforeDiscardingChanges(window);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

/**
 * The renderer refuses to unload while a form holds unsaved changes (beforeunload); Electron would then
 * silently keep the window open. Ask instead, and close or reload when the admin chooses to leave.
 */
function askBeforeDiscardingChanges(window: BrowserWindow): void {
  window.webContents.on('will-prevent-unload', (event) => {
    const question = leaveQuestionFor(app.getPreferredSystemLanguages());
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      title: question.title,
      message: question.message,
      detail: question.detail,
      buttons: question.buttons,
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    // preventDefault here ignores the page's refusal: the window closes or reloads.
    if (choice === LEAVE_BUTTON) event.preventDefault();
  });
}
