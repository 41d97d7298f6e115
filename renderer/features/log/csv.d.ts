/**
 * CSV for spreadsheets, written defensively.
 *
 * Quoting follows RFC 4180 §2: a field holding a comma, a double quote, CR or LF is enclosed in double
 * quotes and each inner double quote is doubled; records end with CRLF.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet treats a cell that starts with = + - @ as a
 * formula, and a leading tab or carriage return can hide such a start. The log holds text typed by anyone
 * who can reach the token server (client ids, reasons) or the app (names), so every such cell is made inert
 * by prefixing a single quote, which spreadsheets show as plain text.
 */
/** One cell, inert and quoted as needed. null and undefined become an empty cell. */
export declare function csvCell(value: string | number | boolean | null | undefined): string;
/** One record, CRLF-terminated (RFC 4180 §2 rule 1). */
export declare function csvRecord(cells: readonly (string | number | boolean | null | undefined)[]): string;
/**
 * A byte order mark so spreadsheet programs read the file as UTF-8 (names with accents stay intact);
 * RFC 4180 allows no other preamble, and programs that read CSV as text skip it.
 */
export declare const UTF8_BOM = "\uFEFF";
