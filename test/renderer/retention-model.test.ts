import { describe, expect, test } from 'vitest';
import { retentionInput } from '../../shared/log.schemas.js';
import type { PruneResult } from '../../shared/log.dto.js';
import {
  cutoffOf,
  describeDue,
  describeLastPrune,
  describePeriod,
  fileName,
  formValuesOf,
  pruneConsequence,
  pruneResultMessage,
  toRetentionInput,
} from '../../renderer/features/log/retention-model.js';
import { formatTime } from '../../renderer/lib/format.js';

const DAY = 86_400_000;
const at = Date.UTC(2026, 10, 23, 10, 0);

describe('the retention form', () => {
  test('starts from the saved setting, and offers a year when switching from keep everything', () => {
    expect(formValuesOf(null)).toEqual({ mode: 'all', days: 365 });
    expect(formValuesOf(30)).toEqual({ mode: 'days', days: 30 });
  });

  test('sends null for keep everything, the days otherwise; an empty field fails the shared schema', () => {
    expect(toRetentionInput({ mode: 'all', days: 12 })).toEqual({ keepDays: null });
    expect(toRetentionInput({ mode: 'days', days: 90 })).toEqual({ keepDays: 90 });
    expect(retentionInput.safeParse(toRetentionInput({ mode: 'days', days: '' })).success).toBe(false);
    expect(retentionInput.safeParse(toRetentionInput({ mode: 'days', days: 0 })).success).toBe(false);
    expect(retentionInput.safeParse(toRetentionInput({ mode: 'days', days: 36_501 })).success).toBe(false);
    expect(retentionInput.safeParse(toRetentionInput({ mode: 'days', days: 1.5 })).success).toBe(false);
    expect(retentionInput.safeParse(toRetentionInput({ mode: 'days', days: 36_500 })).success).toBe(true);
  });
});

describe('the retention panel in words', () => {
  test('a period reads as days, with months or years for long ones', () => {
    expect(describePeriod(null)).toBe('Keep everything');
    expect(describePeriod(1)).toBe('1 day');
    expect(describePeriod(30)).toBe('30 days');
    expect(describePeriod(90)).toBe('90 days (about 3 months)');
    expect(describePeriod(365)).toBe('365 days (about 1 year)');
    expect(describePeriod(2557)).toBe('2,557 days (about 7 years)');
  });

  test('the cut-off is the period before now', () => {
    expect(cutoffOf(30, at)).toBe(at - 30 * DAY);
  });

  test('what is due says how many events are older than the period, or that none is', () => {
    expect(describeDue(null, null)).toBe('The log keeps everything, so there is nothing to prune.');
    expect(describeDue(30, { before: at, events: 0 })).toBe(`No event is older than 30 days (before ${formatTime(at)}).`);
    expect(describeDue(30, { before: at, events: 1 })).toBe(`1 event is older than 30 days (before ${formatTime(at)}).`);
    expect(describeDue(365, { before: at, events: 1_234_567 })).toBe(`1,234,567 events are older than 365 days (before ${formatTime(at)}).`);
  });

  test('the confirmation names the count, the cut-off and the folder', () => {
    const text = pruneConsequence({ before: at, events: 4200 }, '/data/log-archive');
    expect(text).toContain('4,200 events from before ' + formatTime(at));
    expect(text).toContain('/data/log-archive');
    expect(text).toContain('removed from the log');
  });

  const pruned: PruneResult = { at, removed: 1234, archiveFile: '/data/log-archive/audit-1-1234-x.jsonl.gz', firstId: 1, lastId: 1234, lastHash: 'ab' };

  test('the last prune, and the result of a prune now', () => {
    expect(describeLastPrune(null)).toBe('No prune has removed events yet.');
    expect(describeLastPrune(pruned)).toBe(`On ${formatTime(at)}: 1,234 events (#1–#1,234) archived to audit-1-1234-x.jsonl.gz and removed.`);
    expect(pruneResultMessage(pruned)).toEqual({ title: 'Log pruned', message: '1,234 events archived to audit-1-1234-x.jsonl.gz and removed from the log.' });
    expect(pruneResultMessage({ ...pruned, removed: 0, archiveFile: null })).toEqual({ title: 'Nothing to prune', message: 'No event was older than the retention period.' });
  });

  test('file names from either OS', () => {
    expect(fileName('C:\\Users\\a\\log-archive\\audit.jsonl.gz')).toBe('audit.jsonl.gz');
    expect(fileName('/home/a/log-archive/audit.jsonl.gz')).toBe('audit.jsonl.gz');
  });
});
