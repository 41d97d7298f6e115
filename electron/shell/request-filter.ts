import { isAppUrl } from './app-origin.js';

/**
 * Which requests the renderer's session may make at all (defence in depth behind the CSP): the app's own
 * files, inline data (Mantine and icons), and Chromium's own devtools pages. Everything else, including
 * any http(s) URL, is cancelled before it leaves the machine: the renderer has no remote content.
 */
export function isAllowedRendererRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  return scheme === 'data:' || scheme === 'devtools:';
}
