import dayjs from 'dayjs';

/**
 * The expiry choices for a new secret, as GitHub's token pages offer them: 90 days unless the administrator
 * picks otherwise, a date of their own, or never (with a warning). Plain functions, so they are tested
 * without React (test/renderer/secret-expiry.test.ts).
 */
export const SECRET_EXPIRY_PRESETS = ['30', '90', '365', 'date', 'never'] as const;
export type SecretExpiryPreset = (typeof SECRET_EXPIRY_PRESETS)[number];
export const DEFAULT_SECRET_EXPIRY: SecretExpiryPreset = '90';

/** The day (YYYY-MM-DD) a preset ends on, counted from `today`; null for never; undefined: the date field decides. */
export function presetDay(preset: SecretExpiryPreset, today: Date = new Date()): string | null | undefined {
  if (preset === 'never') return null;
  if (preset === 'date') return undefined;
  return dayjs(today).add(Number(preset), 'day').format('YYYY-MM-DD');
}
