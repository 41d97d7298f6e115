/**
 * Which links the app may hand to the operating system (`shell.openExternal`, Electron security checklist
 * item 15): only https, only hosts on this list, matched exactly (no suffix matching, so
 * `ip-ranges.amazonaws.com.evil.example` does not pass), default port, no credentials in the URL.
 * The hosts are the pages an administrator needs from inside the app: where each cloud provider publishes
 * the ranges Keyrack's allowlist words stand for, and the RFCs the token server follows.
 */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'ip-ranges.amazonaws.com',
  'docs.aws.amazon.com',
  'www.gstatic.com',
  'cloud.google.com',
  'www.microsoft.com',
  'learn.microsoft.com',
  'www.cloudflare.com',
  'www.digitalocean.com',
  'docs.digitalocean.com',
  'www.rfc-editor.org',
  'datatracker.ietf.org',
]);

/** The URL, normalised, when it may be opened outside the app; otherwise null. */
export function allowedExternalUrl(url: unknown, hosts: ReadonlySet<string> = EXTERNAL_HOSTS): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.port !== '') return null;
  if (!hosts.has(parsed.hostname)) return null;
  return parsed.href;
}
