/**
 * The renderer's Content Security Policy (Electron security checklist item 7). One source for the HTTP
 * header the app:// protocol and the web bridge send, and for the <meta> tag the renderer's index.html
 * carries, so a page opened any other way is still held to it.
 *
 * - Scripts only from the app's own origin: no 'unsafe-inline', no 'unsafe-eval', no remote origin, so an
 *   HTML payload that slips into the page cannot run.
 * - Styles allow 'unsafe-inline' because Mantine injects its CSS variables in a <style> element at run time;
 *   style injection cannot run code, and it is the one relaxation.
 * - Nothing is fetched from, posted to, framed from or embedded from anywhere but the app itself.
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['manifest-src', "'self'"],
  ['worker-src', "'none'"],
  ['frame-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** Directives a <meta> policy must not carry (browsers ignore them there and warn): CSP3 §6.1 / §4.2. */
const HEADER_ONLY: ReadonlyArray<readonly [string, string]> = [['frame-ancestors', "'none'"]];

const serialize = (directives: ReadonlyArray<readonly [string, string]>): string =>
  directives.map(([name, value]) => `${name} ${value}`).join('; ');

/** For the `Content-Security-Policy` response header. */
export const CONTENT_SECURITY_POLICY = serialize([...DIRECTIVES, ...HEADER_ONLY]);

/** For `<meta http-equiv="Content-Security-Policy" content="…">` in index.html. */
export const META_CONTENT_SECURITY_POLICY = serialize(DIRECTIVES);
