import { isAppUrl } from './app-origin.js';

/**
 * Permission requests from web content (Electron security checklist item 5). Keyrack needs no camera,
 * microphone, location, notifications from the web API, or anything else, with one exception: the copy
 * buttons of the secret reveal screen write the secret to the clipboard (`navigator.clipboard.writeText`,
 * which Chromium asks for as 'clipboard-sanitized-write'). That is granted to the app's own pages only;
 * reading the clipboard is not.
 */
const GRANTED_TO_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string | null | undefined): boolean {
  return GRANTED_TO_APP.has(permission) && isAppUrl(requestingUrl);
}
