import type { RangeInfo } from './ranges.dto.js';

/**
 * Whether a provider word can be trusted to match what its provider uses today. One rule for main (the
 * overview's warnings) and the renderer (the allowlist field, the Network tab), so they never disagree.
 *
 * - `missing` / `damaged`: no usable snapshot; the word matches no address at all.
 * - `stale`: a snapshot that Keyrack has not refreshed for STALE_AFTER_DAYS. It still matches, but the
 *   providers add ranges every week (AWS several times a week), so calls from new addresses are refused.
 * - `current`: refreshed recently.
 *
 * The age is counted from when Keyrack last downloaded or imported the snapshot, not from the provider's own
 * date: Cloudflare's list goes unchanged for years, so an old publication date there is no sign of a stale copy.
 */
export type SnapshotFreshness = 'current' | 'stale' | 'missing' | 'damaged';

export const STALE_AFTER_DAYS = 30;
const DAY_MS = 86_400_000;

export function snapshotFreshness(info: Pick<RangeInfo, 'status' | 'fetchedAt'>, now: number): SnapshotFreshness {
  if (info.status !== 'loaded') return info.status;
  if (info.fetchedAt === null) return 'current';
  return now - info.fetchedAt > STALE_AFTER_DAYS * DAY_MS ? 'stale' : 'current';
}

/** Whole days since the snapshot was fetched, for "last updated 45 days ago". */
export const snapshotAgeDays = (fetchedAt: number, now: number): number => Math.floor((now - fetchedAt) / DAY_MS);
