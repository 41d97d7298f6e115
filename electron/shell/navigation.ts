import { isAppUrl } from './app-origin.js';
import { allowedExternalUrl } from './external-links.js';

/**
 * What the window does when its page tries to go somewhere (Electron security checklist items 13 and 14).
 * The renderer is a single-page app that routes inside its own document, so a real navigation is only
 * ever to the app's own origin; anything else is refused, and an allow-listed https link is handed to the
 * system browser instead so the admin still gets where they meant to go.
 */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'deny'; openExternally: string | null };

/** For `will-navigate` / `will-redirect` / `will-frame-navigate`. */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  return { action: 'deny', openExternally: allowedExternalUrl(url) };
}

/** For `setWindowOpenHandler`: Keyrack has one window, so a new one is never created. */
export function decideWindowOpen(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: allowedExternalUrl(url) };
}
