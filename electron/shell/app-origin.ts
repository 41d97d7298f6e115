/**
 * The renderer is loaded from a custom scheme rather than file:// (Electron security checklist item 18:
 * file:// pages share one origin with every file on the disk). app://keyrack is registered as standard and
 * secure, so it gets a real origin, 'self' in the CSP means exactly the app's own files, and the sender
 * check can compare frame URLs against it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'keyrack';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for a well-formed URL on the app's own origin (scheme and host, nothing else such as a port or user). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // WHATWG URL gives non-special schemes an opaque origin ('null') and keeps the host's case (Chromium
  // lowercases hosts of a registered standard scheme), so compare the parts instead.
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
