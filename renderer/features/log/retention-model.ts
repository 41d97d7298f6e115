import type { PruneDue, PruneResult } from '../../../shared/log.dto.js';
import { i18n } from '../../i18n/i18n.js';
import { formatCount, formatTime } from '../../lib/format.js';

const t = () => i18n.getFixedT(null, 'log');

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

/** One-click periods beside the days field; `key` names its words in the log catalogue's `retention.preset`. */
export const PERIOD_PRESETS = [
  { days: 90, key: 'days90' },
  { days: 365, key: 'year1' },
  { days: 730, key: 'years2' },
  { days: 2557, key: 'years7' },
] as const;

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
  if (keepDays === null) return t()('retention.keepAll');
  const days = t()('days', { count: keepDays });
  if (keepDays >= 365) {
    const years = Math.round((keepDays / 365.25) * 10) / 10;
    return t()('aboutYears', { days, count: years });
  }
  if (keepDays >= 60) return t()('aboutMonths', { days, count: Math.round(keepDays / 30.44) });
  return days;
}

/** Events before this time are older than the period (what main computes as now − keepDays). */
export const cutoffOf = (keepDays: number, now: number): number => now - keepDays * DAY_MS;

/** The state of things before a prune: what is older than the period now, in one sentence. */
export function describeDue(keepDays: number | null, due: PruneDue | null): string {
  if (keepDays === null || due === null) return t()('prune.nothingKeepAll');
  const days = t()('days', { count: keepDays });
  return t()('prune.due', { count: due.events, days, time: formatTime(due.before) });
}

/** The confirm dialog's consequence: what goes, where it goes first, and that it cannot be undone here. */
export function pruneConsequence(due: PruneDue, archiveFolder: string): string {
  return t()('prune.consequence', { count: due.events, time: formatTime(due.before), folder: archiveFolder });
}

/** "On 2026-11-23 14:02: 1,234 events (#1–#1,234) archived to audit-….jsonl.gz and removed." */
export function describeLastPrune(last: PruneResult | null): string {
  if (last === null || last.removed === 0) return t()('prune.noneYet');
  const ids = last.firstId !== null && last.lastId !== null ? ` (#${formatCount(last.firstId)}–#${formatCount(last.lastId)})` : '';
  const values = { time: formatTime(last.at), count: last.removed, ids };
  return last.archiveFile ? t()('prune.lastArchived', { ...values, file: fileName(last.archiveFile) }) : t()('prune.lastRemoved', values);
}

/** The result notification after "Archive and prune now". */
export function pruneResultMessage(result: PruneResult): { title: string; message: string } {
  if (result.removed === 0) return { title: t()('prune.nothingTitle'), message: t()('prune.nothing') };
  return { title: t()('prune.doneTitle'), message: t()('prune.done', { count: result.removed, file: fileName(result.archiveFile ?? '') }) };
}

/** The last part of a path, whatever the OS's separator (the archive path comes from main). */
export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
