import { describe, expect, test } from 'vitest';
import { EMPTY_FILTERS } from '../../renderer/features/log/log-filters.js';
import { parseLogQuery, queryOf } from '../../renderer/features/log/log-url.js';
import {
  activityHref,
  activityTotals,
  bucketFor,
  chartRows,
  denialGroupHref,
  denialRate,
  expiringWhat,
  expiryColor,
  expiryText,
  failedLoginHref,
  firstOf,
  hourlyAllowed,
  tickInterval,
  idleText,
  sourceIpHref,
  topUserHref,
  userHref,
} from '../../renderer/features/overview/overview-model.js';
import { reasonLabel } from '../../renderer/features/log/event-labels.js';

const DAY = 86_400_000;
const since = Date.UTC(2026, 10, 22, 10, 0, 0);
/** What the log page will filter by when it opens this link. */
const filtersOf = (href: string) => {
  expect(href.startsWith('/log')).toBe(true);
  return parseLogQuery(queryOf(href)).filters;
};

describe('overview links', () => {
  test('a denial group opens that user’s denials for that reason since the window began', () => {
    expect(filtersOf(denialGroupHref({ userId: 7, reason: 'wrong_secret' }, since))).toEqual({
      ...EMPTY_FILTERS,
      type: 'token.denied',
      targetUserId: 7,
      text: 'wrong_secret',
      since,
    });
  });

  test('denials of unknown clients, and a group whose reason was not recorded', () => {
    expect(filtersOf(denialGroupHref({ userId: null, reason: 'unknown_client' }, since))).toEqual({
      ...EMPTY_FILTERS,
      type: 'token.denied',
      text: 'unknown_client',
      since,
    });
    expect(filtersOf(denialGroupHref({ userId: 3, reason: 'unknown' }, since))).toEqual({ ...EMPTY_FILTERS, type: 'token.denied', targetUserId: 3, since });
  });

  test('a source address opens everything it did, failed logins open that name’s failures', () => {
    expect(filtersOf(sourceIpHref('2001:db8::1', since))).toEqual({ ...EMPTY_FILTERS, sourceIp: '2001:db8::1', since });
    expect(filtersOf(failedLoginHref({ name: 'mallory' }, since))).toEqual({
      ...EMPTY_FILTERS,
      type: 'auth.login',
      outcome: 'failure',
      actor: 'mallory',
      since,
    });
  });

  test('the chart’s totals open exactly the chart’s window, for one user or all', () => {
    const until = since + 7 * DAY;
    expect(filtersOf(activityHref('issued', { since, until, userId: null }))).toEqual({ ...EMPTY_FILTERS, type: 'token.issued', since, until });
    expect(filtersOf(activityHref('denied', { since, until, userId: 9 }))).toEqual({
      ...EMPTY_FILTERS,
      type: 'token.denied',
      since,
      until,
      targetUserId: 9,
    });
    expect(filtersOf(topUserHref({ userId: 4 }, 'denied', since))).toEqual({ ...EMPTY_FILTERS, type: 'token.denied', targetUserId: 4, since });
  });

  test('users open on their page, expiring secrets on their credentials tab', () => {
    expect(userHref(12)).toBe('/users/12');
    expect(userHref(12, 'credentials')).toBe('/users/12/credentials');
  });
});

describe('chart', () => {
  const points = [
    { at: Date.UTC(2026, 10, 21), issued: 120, denied: 3 },
    { at: Date.UTC(2026, 10, 22), issued: 0, denied: 0 },
    { at: Date.UTC(2026, 10, 23), issued: 80, denied: 17 },
  ];

  test('day buckets are labelled with their UTC date, whatever the local zone', () => {
    expect(chartRows(points, 'day', 'Pacific/Auckland').map((r) => r.label)).toEqual(['21 Nov', '22 Nov', '23 Nov']);
    expect(chartRows(points, 'day')[0]).toEqual({ label: '21 Nov', at: points[0]!.at, Issued: 120, Denied: 3 });
  });

  test('hour buckets are labelled in the given zone', () => {
    const rows = chartRows([{ at: Date.UTC(2026, 10, 23, 14), issued: 1, denied: 0 }], 'hour', 'Europe/Berlin');
    expect(rows[0]!.label).toBe('Mon 15:00');
  });

  test('about eight axis labels whatever the number of bars', () => {
    expect(tickInterval(1)).toBe(0);
    expect(tickInterval(8)).toBe(0);
    expect(tickInterval(24)).toBe(2);
    expect(tickInterval(168)).toBe(20);
    expect(Math.floor(168 / (tickInterval(168) + 1))).toBeLessThanOrEqual(8);
  });

  test('totals and the refusal rate', () => {
    expect(activityTotals(points)).toEqual({ issued: 200, denied: 20 });
    expect(denialRate(200, 20)).toBe('9 %');
    expect(denialRate(1000, 1)).toBe('< 1 %');
    expect(denialRate(5, 0)).toBe('0 %');
    expect(denialRate(0, 0)).toBeNull();
  });

  test('hourly bars only up to a week; a day range keeps the admin’s choice otherwise', () => {
    expect(hourlyAllowed('24h')).toBe(true);
    expect(hourlyAllowed('30d')).toBe(false);
    expect(bucketFor('90d', 'hour')).toBe('day');
    expect(bucketFor('7d', 'hour')).toBe('hour');
    expect(bucketFor('24h', 'day')).toBe('day');
    expect(bucketFor('30d', null)).toBeUndefined();
  });
});

describe('words', () => {
  test('expiry', () => {
    expect(expiryText({ daysLeft: 0 })).toBe('today');
    expect(expiryText({ daysLeft: 1 })).toBe('tomorrow');
    expect(expiryText({ daysLeft: 9 })).toBe('in 9 days');
    expect(expiryColor({ daysLeft: 3 })).toBe('red');
    expect(expiryColor({ daysLeft: 4 })).toBe('orange');
    expect(expiringWhat({ kind: 'user', label: null })).toBe('API user account');
    expect(expiringWhat({ kind: 'secret', label: 'CI' })).toBe('Secret “CI”');
    expect(expiringWhat({ kind: 'secret', label: null })).toBe('Client secret');
  });

  test('idle API users', () => {
    const now = Date.UTC(2026, 10, 23);
    expect(idleText({ lastUsedAt: null }, now)).toBe('Never used');
    expect(idleText({ lastUsedAt: now - 120 * DAY - 5 }, now)).toBe('Last used 120 days ago');
  });

  test('reasons read as words; an unknown code stays recognisable', () => {
    expect(reasonLabel('address_not_allowed')).toBe('Address not on the allowlist');
    expect(reasonLabel('some_new_reason')).toBe('some new reason');
  });

  test('firstOf', () => {
    expect(firstOf([1, 2, 3], 2)).toEqual({ shown: [1, 2], more: 1 });
    expect(firstOf([1], 2)).toEqual({ shown: [1], more: 0 });
  });
});
