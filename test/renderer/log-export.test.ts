import { describe, expect, test } from 'vitest';
import type { InputOf } from '../../shared/contract.js';
import type { AuditEvent, LogPage } from '../../shared/dto.js';
import { AUDIT_CSV_HEADER, auditEventCsv } from '../../renderer/features/log/audit-csv.js';
import { UTF8_BOM } from '../../renderer/features/log/csv.js';
import {
  ExportCancelled,
  exportFileName,
  exportLogCsv,
  progressFraction,
  type ExportProgress,
} from '../../renderer/features/log/log-export.js';
import { parseCsv } from './parse-csv.js';

const event = (id: number, over: Partial<AuditEvent> = {}): AuditEvent => ({
  id,
  at: Date.UTC(2026, 0, 15, 9, 0, 0) + id * 1000,
  actorKind: 'person',
  actorId: 1,
  actorName: 'alice',
  type: 'user.created',
  targetUserId: null,
  targetName: null,
  outcome: 'success',
  reason: null,
  sourceIp: null,
  details: null,
  ...over,
});

/** An in-memory log.search with the same keyset semantics as electron/repos/audit.repo.ts. */
function fakeSearch(events: AuditEvent[]) {
  const calls: InputOf<'log.search'>[] = [];
  const search = async (q: InputOf<'log.search'>): Promise<LogPage> => {
    calls.push(q);
    const limit = q.limit ?? 50;
    const matching = events
      .filter((e) => (q.before === undefined || e.id < q.before) && (q.type === undefined || e.type === q.type))
      .sort((a, b) => b.id - a.id);
    const rows = matching.slice(0, limit);
    return { rows, nextCursor: matching.length > limit ? rows.at(-1)!.id : null };
  };
  return { search, calls };
}

describe('exportLogCsv', () => {
  test('pages through every matching event with the cursor, newest first, with filters kept', async () => {
    const events = Array.from({ length: 23 }, (_, i) => event(i + 1, { type: i % 2 ? 'auth.login' : 'user.created' }));
    const { search, calls } = fakeSearch(events);
    const progress: ExportProgress[] = [];
    const result = await exportLogCsv(search, { type: 'user.created' }, { pageSize: 5, onProgress: (p) => progress.push(p) });

    expect(result.rows).toBe(12);
    expect(calls.every((c) => c.type === 'user.created' && c.limit === 5)).toBe(true);
    expect(calls[0]!.before).toBeUndefined();
    expect(calls[1]!.before).toBe(15);

    const text = result.chunks.join('');
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    const records = parseCsv(text.slice(1));
    expect(records[0]).toEqual([...AUDIT_CSV_HEADER]);
    expect(records.slice(1).map((r) => Number(r[0]))).toEqual([23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1]);

    const fractions = progress.map((p) => p.fraction);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(-1)!.rows).toBe(12);
  });

  test('an empty log gives just the header', async () => {
    const { search } = fakeSearch([]);
    const result = await exportLogCsv(search, {});
    expect(result.rows).toBe(0);
    expect(parseCsv(result.chunks.join('').slice(1))).toEqual([[...AUDIT_CSV_HEADER]]);
  });

  test('stops when cancelled', async () => {
    const { search, calls } = fakeSearch(Array.from({ length: 20 }, (_, i) => event(i + 1)));
    const controller = new AbortController();
    const run = exportLogCsv(search, {}, {
      pageSize: 5,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows >= 10) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(ExportCancelled);
    expect(calls.length).toBe(2);
  });
});

test('an event with a formula in a user-typed field is exported inert, details as JSON', () => {
  const line = auditEventCsv(
    event(7, {
      actorKind: 'api',
      actorName: '=cmd|"/c calc"!A1',
      type: 'token.denied',
      outcome: 'failure',
      reason: '@evil',
      sourceIp: '192.0.2.1',
      details: { clientId: '+bad', n: 1 },
    }),
  );
  const [record] = parseCsv(line);
  expect(record).toEqual([
    '7',
    '2026-01-15T09:00:07.000Z',
    'api',
    `'=cmd|"/c calc"!A1`,
    'token.denied',
    '',
    'failure',
    "'@evil",
    '192.0.2.1',
    '{"clientId":"+bad","n":1}',
  ]);
});

test('progressFraction grows as the cursor walks down and stays below 1 until the end', () => {
  expect(progressFraction(100, 100)).toBeCloseTo(0.01);
  expect(progressFraction(100, 51)).toBeCloseTo(0.5);
  expect(progressFraction(100, 1)).toBe(0.99);
  expect(progressFraction(0, 0)).toBe(1);
});

test('exportFileName is safe on every file system', () => {
  expect(exportFileName(new Date(Date.UTC(2026, 0, 15, 9, 5, 7, 123)))).toBe('keyrack-log-2026-01-15T09-05-07Z.csv');
});
