/*
 * CSV as RFC 4180 §2 writes it: a field holding a comma, a double quote, CR or LF is enclosed in double
 * quotes with inner quotes doubled; records end with CRLF. Formula injection (OWASP "CSV Injection"): a
 * text cell starting with = + - @ (or a tab / CR hiding such a start) gets a leading single quote, so a
 * spreadsheet shows it as text. Numbers are ours (ids, times) and are never prefixed. The one CSV writer:
 * the log export (log-export.ts) and the Users list export (user-list-export.ts) both write through it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** So spreadsheet programs read the file as UTF-8. */
export const UTF8_BOM = '\uFEFF';
