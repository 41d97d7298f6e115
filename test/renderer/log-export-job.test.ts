import { describe, expect, test } from 'vitest';
import type { LogExportStatus, LogVerifyResult } from '../../shared/log.dto.js';
import { exportFinished, exportFraction, exportProgressText } from '../../renderer/features/log/export-job.js';
import { describeVerifyResult } from '../../renderer/features/log/verify-result.js';

const job = (over: Partial<LogExportStatus> = {}): LogExportStatus => ({
  jobId: 'a'.repeat(32),
  format: 'csv',
  fileName: 'keyrack-log.csv',
  written: 0,
  total: 1_000_000,
  done: false,
  cancelled: false,
  error: null,
  ...over,
});

describe('export progress', () => {
  test('the bar follows written / total and says how far it is', () => {
    const running = job({ written: 250_000 });
    expect(exportFinished(running)).toBe(false);
    expect(exportFraction(running)).toBe(0.25);
    expect(exportProgressText(running)).toBe('250,000 of 1,000,000 events written…');
  });

  test('events logged after the count never push the bar past full', () => {
    expect(exportFraction(job({ written: 1_000_050, total: 1_000_000, done: true }))).toBe(1);
  });

  test('an empty export is complete when done, not before', () => {
    expect(exportFraction(job({ total: 0 }))).toBe(0);
    expect(exportFraction(job({ total: 0, done: true }))).toBe(1);
    expect(exportProgressText(job({ total: 0, done: true }))).toBe('0 events written to keyrack-log.csv.');
  });

  test.each([
    [job({ done: true, written: 1 }), true, '1 event written to keyrack-log.csv.'],
    [job({ cancelled: true, written: 3000 }), true, 'Cancelled after 3,000 events.'],
    [job({ error: 'The disk is full', written: 10 }), true, 'The export stopped: The disk is full'],
  ])('stops polling when it ends: %#', (status, finished, text) => {
    expect(exportFinished(status)).toBe(finished);
    expect(exportProgressText(status)).toBe(text);
  });
});

describe('verify result', () => {
  const anchored: LogVerifyResult['checkpoint'] = { verdict: 'anchored', id: 1_000_000, at: 0, headId: 1_000_000, uncovered: 0 };
  const result = (over: Partial<LogVerifyResult>): LogVerifyResult => ({
    ok: true,
    checked: 1_000_000,
    firstProblem: null,
    anchorId: null,
    checkpoint: anchored,
    ...over,
  });

  test('an intact chain says so and links nothing', () => {
    expect(describeVerifyResult(result({}))).toEqual({
      intact: true,
      title: 'The log is intact',
      message: 'All 1,000,000 events check out: none was edited, deleted or reordered.',
      eventId: null,
    });
    expect(describeVerifyResult(result({ anchorId: 500 })).message).toContain('events up to #500 are in the retention archive');
  });

  test('an edited event is named and linked', () => {
    const summary = describeVerifyResult(result({ ok: false, checked: 41, firstProblem: { id: 42, problem: 'edited', previousId: 41 } }));
    expect(summary).toMatchObject({ intact: false, eventId: 42 });
    expect(summary.message).toBe('Event #42 was changed after it was written. 41 events before it check out.');
  });

  test('a broken link names both ends of the gap', () => {
    const summary = describeVerifyResult(result({ ok: false, checked: 9, firstProblem: { id: 12, problem: 'broken_link', previousId: 9 } }));
    expect(summary.eventId).toBe(12);
    expect(summary.message).toContain('Event #12 does not follow event #9');
    const first = describeVerifyResult(result({ ok: false, checked: 0, firstProblem: { id: 2, problem: 'broken_link', previousId: null } }));
    expect(first.message).toContain('does not follow the start of the log');
  });

  test('an intact chain whose head does not match its signed checkpoint is altered, not intact', () => {
    const cut = describeVerifyResult(result({ ok: false, checkpoint: { ...anchored, verdict: 'missing_tail', headId: 999_990 } }));
    expect(cut).toMatchObject({ intact: false, title: 'The log was altered', eventId: 999_990 });
    expect(cut.message).toBe('Its newest events were removed: a signed checkpoint vouches for events up to #1000000, but the log ends at #999990.');
    const rewritten = describeVerifyResult(result({ ok: false, checkpoint: { ...anchored, verdict: 'forged_chain' } }));
    expect(rewritten).toMatchObject({ intact: false, eventId: 1_000_000 });
    expect(rewritten.message).toContain('recomputed');
    expect(describeVerifyResult(result({ ok: false, checkpoint: { ...anchored, verdict: 'forged_checkpoint' } })).intact).toBe(false);
    // Not anchored (an old store, no key here) is not a failure by itself: ok decides.
    expect(describeVerifyResult(result({ checkpoint: { ...anchored, verdict: 'no_key' } })).intact).toBe(true);
  });
});
