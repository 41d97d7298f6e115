import dayjs from 'dayjs';
import { hasExpired } from '../../shared/liveness.js';
import { latestTime, parseDateText } from '../../shared/time.js';
import { currentLanguage } from '../i18n/i18n.js';
import type { Language } from '../i18n/language.js';

/**
 * One spelling of times per language. English keeps the ISO-like 2026-12-05 14:03 the app has always shown:
 * unambiguous to American and British readers alike, and sortable. German shows 05.12.2026 14:03, the form
 * German offices write and expect (DIN 5008 allows both; the dotted one is the everyday one). The date inputs
 * show and read the same day format.
 */
const DAY_FORMAT: Record<Language, string> = { en: 'YYYY-MM-DD', de: 'DD.MM.YYYY' };
const TIME_FORMAT: Record<Language, string> = { en: 'YYYY-MM-DD HH:mm', de: 'DD.MM.YYYY HH:mm' };

export const formatTime = (ms: number | null | undefined, empty = '—'): string =>
  ms == null ? empty : dayjs(ms).format(TIME_FORMAT[currentLanguage()]);

/** The same, to the second: where two events a minute apart must read apart (the log's event drawer). */
export const formatTimeSeconds = (ms: number): string => dayjs(ms).format(`${TIME_FORMAT[currentLanguage()]}:ss`);

/** A day as the date inputs give it (`2027-03-05`), in the language's day format. */
export const formatDay = (day: string): string => dayjs(day).format(DAY_FORMAT[currentLanguage()]);

/**
 * A date and time someone else wrote (`2026-01-10T12:34:56Z`, a provider's publication date), as the
 * wall-clock time it names, in the language's format: no zone conversion, as the provider printed it.
 */
export const formatWallClock = (stamp: string): string => {
  const [day, time] = stamp.slice(0, 16).split(/[T ]/);
  return time ? `${formatDay(day!)} ${time}` : formatDay(day!);
};

/** One spelling of counts per language: 12,345 in English, 12.345 in German. */
export const formatCount = (n: number): string => new Intl.NumberFormat(currentLanguage()).format(n);

/** How close an expiry is, for badges: past, within the warning window, or fine. */
export type ExpiryState = 'none' | 'expired' | 'soon' | 'ok';
export const EXPIRY_WARNING_DAYS = 14;

export function expiryState(expiresAt: number | null, now = Date.now()): ExpiryState {
  if (expiresAt == null) return 'none';
  if (hasExpired(expiresAt, now)) return 'expired';
  if (expiresAt - now <= EXPIRY_WARNING_DAYS * 86_400_000) return 'soon';
  return 'ok';
}

/** A date picked in a form (local midnight) as the end of that day in epoch ms, or undefined. */
export function endOfDay(date: Date | string | null): number | undefined {
  if (date == null || date === '') return undefined;
  return dayjs(date).endOf('day').valueOf();
}

/** `05.12.2026` (or `5.12.2026`) → `2026-12-05`; anything else is returned as typed. */
const GERMAN_DAY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const isoDayOf = (text: string): string => {
  const m = GERMAN_DAY.exec(text);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : text;
};

/**
 * For every DateInput: the language's day format, a typed date read strictly (Mantine's dayjs parser turns
 * 2027-02-30 into 2 March; this one refuses it, and the field keeps its last real date), and a calendar that
 * stops at the horizon the schemas enforce (shared/time.ts). ISO days (2027-03-05) are read in either
 * language; German ones (05.03.2027) in German.
 */
export function strictDateInput(): { dateParser: (text: string) => string | null; maxDate: Date; valueFormat: string } {
  const language = currentLanguage();
  return {
    dateParser: (text) => {
      const trimmed = language === 'de' ? isoDayOf(text.trim()) : text.trim();
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && parseDateText(trimmed)?.ok ? trimmed : null;
    },
    maxDate: new Date(latestTime(Date.now())),
    valueFormat: DAY_FORMAT[language],
  };
}
