import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EVENT_TYPES } from '../../shared/domain.js';
import { EMPTY_FILTERS, hasFilters, SOURCE_IP_MESSAGE, toLogFilters, type LogFilterState } from '../../renderer/features/log/log-filters.js';
import { logHref, logQueryString, parseLogQuery, queryOf } from '../../renderer/features/log/log-url.js';

const at = Date.UTC(2026, 10, 22, 10, 31, 5, 123);

describe('log URLs', () => {
  test('a link names only the filters it sets, and the log reads them back', () => {
    const href = logHref({ type: 'token.denied', targetUserId: 12, since: at, sourceIp: '10.0.0.7' });
    expect(href).toBe('/log?type=token.denied&ip=10.0.0.7&since=2026-11-22T10%3A31%3A05.123Z&user=12');
    const { filters, event } = parseLogQuery(queryOf(href));
    expect(filters).toEqual({ ...EMPTY_FILTERS, type: 'token.denied', targetUserId: 12, since: at, sourceIp: '10.0.0.7' });
    expect(event).toBeNull();
  });

  test('the plain log and a link to one event', () => {
    expect(logHref()).toBe('/log');
    expect(logHref({ event: 977 })).toBe('/log?event=977');
    expect(parseLogQuery('event=977')).toEqual({ filters: EMPTY_FILTERS, event: 977, order: 'newest' });
    expect(queryOf('/log')).toBe('');
  });

  test.each([
    ['type=token.exploded', {}],
    ['outcome=maybe', {}],
    ['user=0', {}],
    ['user=-3', {}],
    ['user=1.5', {}],
    ['user=abc', {}],
    ['since=yesterday', {}],
    ['from=22.11.2026', {}],
    ['from=2026-02-31', {}],
    ['since=2026-02-31T10:00:00.000Z', {}],
    ['event=x', {}],
    ['unknown=1', {}],
    ['from=2026-11-01&to=2026-11-22', { range: ['2026-11-01', '2026-11-22'] }],
    ['outcome=failure&actor=alice&q=ip_not_allowed', { outcome: 'failure', actor: 'alice', text: 'ip_not_allowed' }],
  ] as const)('reads %s forgivingly (what cannot be right is dropped)', (query, expected) => {
    expect(parseLogQuery(query).filters).toEqual({ ...EMPTY_FILTERS, ...expected });
  });

  test('state → URL → state is the identity for any filters the page can hold', () => {
    const text = fc.string({ maxLength: 30 });
    const day = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });
    const state: fc.Arbitrary<LogFilterState> = fc.record({
      range: fc.tuple(fc.option(day, { nil: null }), fc.option(day, { nil: null })),
      actor: text,
      type: fc.option(fc.constantFrom(...EVENT_TYPES), { nil: null }),
      outcome: fc.constantFrom('all' as const, 'success' as const, 'failure' as const),
      sourceIp: text,
      text,
      since: fc.option(instant, { nil: null }),
      until: fc.option(instant, { nil: null }),
      targetUserId: fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: null }),
      involving: fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: null }),
    });
    const order = fc.constantFrom('newest' as const, 'oldest' as const);
    fc.assert(
      fc.property(state, fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }), order, (filters, event, order) => {
        expect(parseLogQuery(logQueryString(filters, event, order))).toEqual({ filters, event, order });
      }),
    );
  });

  test('the order: newest first is the plain log, oldest first is named, anything else reads as newest', () => {
    expect(logHref({ order: 'newest' })).toBe('/log');
    expect(logHref({ order: 'oldest', type: 'token.denied' })).toBe('/log?type=token.denied&order=oldest');
    expect(parseLogQuery('order=oldest').order).toBe('oldest');
    expect(parseLogQuery('order=name').order).toBe('newest');
    expect(parseLogQuery('').order).toBe('newest');
  });
});

describe('toLogFilters', () => {
  test('the empty bar is the whole log', () => {
    expect(toLogFilters(EMPTY_FILTERS)).toEqual({ ok: true, filters: {} });
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
  });

  test('an exact bound from a link narrows the day range, never widens it', () => {
    const dayStart = new Date(2026, 10, 22).getTime();
    const dayEnd = new Date(2026, 10, 22, 23, 59, 59, 999).getTime();
    const withDays = { ...EMPTY_FILTERS, range: ['2026-11-22', '2026-11-22'] as [string, string] };
    expect(toLogFilters({ ...withDays, since: at, until: null })).toEqual({ ok: true, filters: { since: Math.max(dayStart, at), until: dayEnd } });
    expect(toLogFilters({ ...withDays, since: dayStart - 86_400_000 })).toEqual({ ok: true, filters: { since: dayStart, until: dayEnd } });
    expect(toLogFilters({ ...EMPTY_FILTERS, since: at, until: at + 1000 })).toEqual({ ok: true, filters: { since: at, until: at + 1000 } });
  });

  test('the source IP filter passes a trimmed address and refuses anything else in plain words', () => {
    expect(toLogFilters({ ...EMPTY_FILTERS, sourceIp: ' 2001:db8::7 ' })).toEqual({ ok: true, filters: { sourceIp: '2001:db8::7' } });
    const bad = toLogFilters({ ...EMPTY_FILTERS, sourceIp: '10.0.0' });
    expect(bad).toEqual({ ok: false, errors: { sourceIp: SOURCE_IP_MESSAGE } });
    expect(toLogFilters({ ...EMPTY_FILTERS, sourceIp: '10.0.0.0/8' }).ok).toBe(false);
  });

  test('a window that ends before it starts is one message on the range', () => {
    const result = toLogFilters({ ...EMPTY_FILTERS, since: at, until: at - 1 });
    expect(result).toEqual({ ok: false, errors: { range: 'The start of the range must not be after its end' } });
  });

  test('a user from a link is a filter', () => {
    const state = { ...EMPTY_FILTERS, targetUserId: 4 };
    expect(hasFilters(state)).toBe(true);
    expect(toLogFilters(state)).toEqual({ ok: true, filters: { targetUserId: 4 } });
  });
});
