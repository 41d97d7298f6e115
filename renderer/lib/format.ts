import dayjs from 'dayjs';
import { hasExpired } from '../../shared/liveness.js';
import { latestTime, parseDateText } from '../../shared/time.js';

/** One spelling of times across the app: local, unambiguous, sortable. */
export const formatTime = (ms: number | null | undefined, empty = '—'): string =>
  ms == null ? empty : dayjs(ms).format('YYYY-MM-DD HH:mm');

/** One spelling of counts: 12,345 (the app's text is English). */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** "1 event", "12,345 events". */
export const plural = (n: number, word: string): string => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

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

/**
 * For every DateInput: a typed date is read strictly (Mantine's dayjs parser turns 2027-02-30 into 2 March;
 * this one refuses it, and the field keeps its last real date), and the calendar stops at the horizon the
 * schemas enforce (shared/time.ts).
 */
export function strictDateInput(): { dateParser: (text: string) => string | null; maxDate: Date } {
  return {
    dateParser: (text) => {
      const trimmed = text.trim();
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && parseDateText(trimmed)?.ok ? trimmed : null;
    },
    maxDate: new Date(latestTime(Date.now())),
  };
}
