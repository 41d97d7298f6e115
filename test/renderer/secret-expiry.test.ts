import { describe, expect, it } from 'vitest';
import { DEFAULT_SECRET_EXPIRY, presetDay } from '../../renderer/lib/secret-expiry.js';

describe('expiry presets of a new secret', () => {
  const today = new Date(2026, 11, 5, 15, 30);

  it('defaults to 90 days', () => {
    expect(DEFAULT_SECRET_EXPIRY).toBe('90');
    expect(presetDay(DEFAULT_SECRET_EXPIRY, today)).toBe('2027-03-05');
  });

  it('counts 30 days and a year from today, never is null, and a date is left to the date field', () => {
    expect(presetDay('30', today)).toBe('2027-01-04');
    expect(presetDay('365', today)).toBe('2027-12-05');
    expect(presetDay('never', today)).toBeNull();
    expect(presetDay('date', today)).toBeUndefined();
  });
});
