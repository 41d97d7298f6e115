import type { PruneDue, PruneResult } from '../../../shared/log.dto.js';
import { formatCount, formatTime, plural } from '../../lib/format.js';

/**
 * The retention panel's words and form mapping, kept out of the components so they are tested on their
 * own (test/renderer/retention-model.test.ts). The limits themselves live in shared/log.schemas.ts
 * (retentionInput), which both this form and main validate with.
 */

const DAY_MS = 86_400_000;

export type RetentionMode = 'all' | 'days';

export interface RetentionFormValues {
  mode: RetentionMode;
  /** A NumberInput's value: a number, or '' while the field is empty. */
  days: number | string;
}

/** Offered when the admin switches from "keep everything": a year is what most offices ask for. */
export const DEFAULT_KEEP_DAYS = 365;

/** One-click periods beside the days field. */
export const PERIOD_PRESETS: readonly { days: number; label: string }[] = [
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 730, label: '2 years' },
  { days: 2557, label: '7 years' },
];

export function formValuesOf(keepDays: number | null): RetentionFormValues {
  return keepDays === null ? { mode: 'all', days: DEFAULT_KEEP_DAYS } : { mode: 'days', days: keepDays };
}

/** The form's values as `log.setRetention`'s input; an empty or half-typed field fails the schema there. */
export function toRetentionInput(values: RetentionFormValues): { keepDays: number | null } {
  if (values.mode === 'all') return { keepDays: null };
  return { keepDays: typeof values.days === 'number' ? values.days : Number.NaN };
}


/** "365 days (about 1 year)": the number as saved, with a rounder reading for long periods. */
export function describePeriod(keepDays: number | null): string {
  if (keepDays === null) return 'Keep everything';
  const days = plural(keepDays, 'day');
  if (keepDays >= 365) {
    const years = Math.round((keepDays / 365.25) * 10) / 10;
    return `${days} (about ${years} year${years === 1 ? '' : 's'})`;
  }
  if (keepDays >= 60) return `${days} (about ${Math.round(keepDays / 30.44)} months)`;
  return days;
}

/** Events before this time are older than the period (what main computes as now − keepDays). */
export const cutoffOf = (keepDays: number, now: number): number => now - keepDays * DAY_MS;

/** The state of things before a prune: what is older than the period now, in one sentence. */
export function describeDue(keepDays: number | null, due: PruneDue | null): string {
  if (keepDays === null || due === null) return 'The log keeps everything, so there is nothing to prune.';
  if (due.events === 0) return `No event is older than ${plural(keepDays, 'day')} (before ${formatTime(due.before)}).`;
  return `${plural(due.events, 'event')} ${due.events === 1 ? 'is' : 'are'} older than ${plural(keepDays, 'day')} (before ${formatTime(due.before)}).`;
}

/** The confirm dialog's consequence: what goes, where it goes first, and that it cannot be undone here. */
export function pruneConsequence(due: PruneDue, archiveFolder: string): string {
  return (
    `${plural(due.events, 'event')} from before ${formatTime(due.before)} will be written to a compressed archive in ` +
    `${archiveFolder}, checked, and then removed from the log. The log then starts after them; they stay readable ` +
    'only in the archive file. The prune itself is recorded in the log.'
  );
}

/** "On 2026-11-23 14:02: 1,234 events (#1–#1,234) archived to audit-….jsonl.gz and removed." */
export function describeLastPrune(last: PruneResult | null): string {
  if (last === null || last.removed === 0) return 'No prune has removed events yet.';
  const ids = last.firstId !== null && last.lastId !== null ? ` (#${formatCount(last.firstId)}–#${formatCount(last.lastId)})` : '';
  const file = last.archiveFile ? ` archived to ${fileName(last.archiveFile)} and` : '';
  return `On ${formatTime(last.at)}: ${plural(last.removed, 'event')}${ids}${file} removed.`;
}

/** The result notification after "Archive and prune now". */
export function pruneResultMessage(result: PruneResult): { title: string; message: string } {
  if (result.removed === 0) return { title: 'Nothing to prune', message: 'No event was older than the retention period.' };
  return {
    title: 'Log pruned',
    message: `${plural(result.removed, 'event')} archived to ${fileName(result.archiveFile ?? '')} and removed from the log.`,
  };
}

/** The last part of a path, whatever the OS's separator (the archive path comes from main). */
export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
