import { describe, expect, test } from 'vitest';
import { latestTime, parseDateText, TIME_HORIZON_MS } from '../../shared/time.js';

describe('parseDateText', () => {
  test('refuses dates the calendar does not have, where Date.parse rolls them over', () => {
    expect(Date.parse('2027-02-30')).toBe(Date.UTC(2027, 2, 2)); // why this module exists
    expect(parseDateText('2027-02-30')).toEqual({ ok: false, message: '2027-02-30 is not a date: February 2027 has 28 days' });
    expect(parseDateText('2026-02-31T10:00+02:00')).toEqual({ ok: false, message: '2026-02-31 is not a date: February 2026 has 28 days' });
    expect(parseDateText('2027-04-31')).toMatchObject({ ok: false, message: expect.stringContaining('April 2027 has 30 days') });
    expect(parseDateText('2027-13-01')).toMatchObject({ ok: false, message: expect.stringContaining('no month 13') });
    expect(parseDateText('2027-00-10')).toMatchObject({ ok: false });
    expect(parseDateText('2027-01-00')).toMatchObject({ ok: false });
    expect(parseDateText('2027-01-31T24:00Z')).toMatchObject({ ok: false, message: expect.stringContaining('not a time of day') });
    expect(parseDateText('2027-01-31T12:60Z')).toMatchObject({ ok: false });
    expect(parseDateText('2027-01-31T12:00+25:00')).toMatchObject({ ok: false });
  });

  test('reads real dates as Date.parse does', () => {
    for (const text of ['2024-02-29', '2027-01-31', '2027-01-31T12:00Z', '2027-01-31T12:00:30.5Z', '2027-01-31T12:00+02:00', '2027-01-31T12:00:00-0530', '2027-01-31T12:00']) {
      expect(parseDateText(text), text).toEqual({ ok: true, ms: Date.parse(text) });
    }
    expect(parseDateText('2027-01-31 12:00Z')).toEqual({ ok: true, ms: Date.parse('2027-01-31T12:00Z') });
  });

  test('is null for text in another shape', () => {
    for (const text of ['someday', '31.01.2027', '2027-1-31', '90d', '']) expect(parseDateText(text), text).toBeNull();
  });

  test('the horizon is a hundred years', () => {
    const now = Date.UTC(2026, 0, 15);
    expect(new Date(latestTime(now)).getUTCFullYear()).toBe(2126);
    expect(TIME_HORIZON_MS).toBeLessThan(8.64e15); // far inside what a Date can hold
  });
});
