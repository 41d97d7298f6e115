/**
 * The file name a save dialog suggests for an export. Names come from admin-entered data (an API user's
 * name), so path separators, control characters and names Windows reserves are removed; the dialog then
 * lets the admin pick the folder. This is only a suggestion: main writes wherever the admin chose.
 */
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function safeFileName(name: string, fallback = 'export'): string {
  const cleaned = name
    .replace(/[<>:"/\\|?*\p{Cc}]+/gu, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.]+$/g, '')
    .slice(0, 120);
  if (!cleaned || RESERVED_WINDOWS.test(cleaned)) return fallback;
  return cleaned;
}
