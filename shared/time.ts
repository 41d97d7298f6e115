/**
 * Dates people type, and how far ahead a time may be. One module for the schemas (every timestamp in the
 * contract), the CLI's `--expires`/`--since` parsing and the renderer's date inputs.
 *
 * Why a horizon: an expiry of `99999999d` is 8.6e15 ms, past what a JavaScript Date can hold (±8.64e15), so
 * every later `new Date(ms).toISOString()` threw "Invalid time value" (api-users show, credentials export).
 * Nothing an administrator means is more than a century away.
 */

import { message, MONTH_NAMES } from './messages.js';

export const TIME_HORIZON_YEARS = 100;
const YEAR_MS = 365.2425 * 86_400_000;
export const TIME_HORIZON_MS = Math.round(TIME_HORIZON_YEARS * YEAR_MS);

/** The latest time accepted when the time is `now`. */
export const latestTime = (now: number): number => now + TIME_HORIZON_MS;

export const HORIZON_MESSAGE = message('horizon', { years: TIME_HORIZON_YEARS });

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

export type ParsedDate = { ok: true; ms: number } | { ok: false; message: string };

/**
 * `2027-01-31`, `2027-01-31T12:00`, `2027-01-31 12:00:30Z`, `2027-01-31T12:00+02:00`, strictly:
 * Date.parse rolls `2027-02-30` over to 2 March and takes `2026-02-31` as 3 March, so the calendar is checked
 * here first. `null` when the text is not in this shape at all (the caller says what shapes it takes).
 */
export function parseDateText(text: string): ParsedDate | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dayText = `${m[1]}-${m[2]}-${m[3]}`;
  if (month < 1 || month > 12) return { ok: false, message: message('noSuchMonth', { date: dayText, month }) };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) {
    return { ok: false, message: message('noSuchDay', { date: dayText, monthName: MONTH_NAMES[month - 1]!, year, days }) };
  }
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, message: message('notTimeOfDay', { text: text.trim() }) };
  const zone = m[8];
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  // As Date.parse reads ISO 8601: a date alone is UTC midnight, a date-time without a zone is local time.
  if (m[4] !== undefined && zone === undefined) {
    const local = new Date(2000, month - 1, day, hour, minute, second, millis);
    local.setFullYear(year); // the Date constructor maps years 0–99 to 1900–1999; setFullYear does not
    return { ok: true, ms: local.getTime() };
  }
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(hh) > 23 || Number(mm) > 59) return { ok: false, message: message('notZoneOffset', { zone }) };
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  }
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  return { ok: true, ms: date.getTime() - offsetMinutes * 60_000 };
}
