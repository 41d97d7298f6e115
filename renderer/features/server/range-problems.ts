import { PROVIDERS, type Provider } from '../../../shared/domain.js';
import { snapshotAgeDays, snapshotFreshness, STALE_AFTER_DAYS, type SnapshotFreshness } from '../../../shared/range-freshness.js';
import { i18n } from '../../i18n/i18n.js';
import { formatTime } from '../../lib/format.js';
import { PROVIDER_NAMES } from './provider-names.js';
import { useRanges } from './server.queries.js';

/** A provider word whose ranges cannot be trusted: none, unreadable, or not refreshed for a month. */
export interface RangeProblem {
  provider: Provider;
  freshness: Exclude<SnapshotFreshness, 'current'>;
  /** When Keyrack last downloaded or imported the snapshot (epoch ms); null without one. */
  fetchedAt: number | null;
}

/**
 * The problems of the provider words among `entries` (an allowlist), from the snapshots main holds, in
 * PROVIDERS order. Empty while the snapshots load, so nothing flashes a warning that is not there.
 */
export function useRangeProblems(entries: readonly string[], now = Date.now()): RangeProblem[] {
  const ranges = useRanges();
  if (!ranges.data) return [];
  const problems: RangeProblem[] = [];
  for (const provider of PROVIDERS) {
    if (!entries.includes(provider)) continue;
    const info = ranges.data.find((r) => r.provider === provider);
    const freshness = info ? snapshotFreshness(info, now) : 'missing';
    if (freshness !== 'current') problems.push({ provider, freshness, fetchedAt: info?.fetchedAt ?? null });
  }
  return problems;
}

/** "AWS matches no address yet", "AWS ranges are 45 days old": what the problem is, in one line. */
export function problemTitle(problem: RangeProblem, now: number): string {
  const t = i18n.getFixedT(null, 'server');
  const word = problem.provider;
  if (problem.freshness === 'missing') return t('rangeProblem.missingTitle', { word });
  if (problem.freshness === 'damaged') return t('rangeProblem.damagedTitle', { word });
  return t('rangeProblem.staleTitle', { word, count: snapshotAgeDays(problem.fetchedAt ?? now, now) });
}

/** What it means for the API users that name the word, and what fixes it. */
export function problemConsequence(problem: RangeProblem): string {
  const t = i18n.getFixedT(null, 'server');
  const values = { word: problem.provider, provider: PROVIDER_NAMES[problem.provider] };
  if (problem.freshness === 'missing') return t('rangeProblem.missing', values);
  if (problem.freshness === 'damaged') return t('rangeProblem.damaged', values);
  return t('rangeProblem.stale', { ...values, time: formatTime(problem.fetchedAt), days: STALE_AFTER_DAYS });
}
