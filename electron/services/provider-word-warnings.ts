import { PROVIDERS, type Provider } from '../../shared/domain.js';
import type { ProviderWordWarning } from '../../shared/log.dto.js';
import { snapshotFreshness } from '../../shared/range-freshness.js';
import type { RangeInfo } from '../../shared/ranges.dto.js';
import type { Queryable } from '../db/store.js';
import { providerWordsOfActiveApiUsers } from '../repos/allowlist.repo.js';

/** The providers' snapshots as the overview reads them (ranges/store.ts snapshotInfoReader in the app). */
export type RangeSnapshots = () => readonly RangeInfo[];

/** A word that matches nothing is worse than one that matches an old list. */
const URGENCY: Record<ProviderWordWarning['freshness'], number> = { missing: 0, damaged: 0, stale: 1 };

/**
 * Which provider words active API users name while their provider's snapshot is missing, damaged or stale
 * (issue 13: such a word failed silently, with grey text in a dropdown as the only hint). One entry per
 * provider with every user that names it; words whose snapshot is current, or that nobody names, are left out.
 */
export async function providerWordWarnings(q: Queryable, snapshots: readonly RangeInfo[], now: number): Promise<ProviderWordWarning[]> {
  const usersByWord = new Map<Provider, ProviderWordWarning['users']>();
  for (const row of await providerWordsOfActiveApiUsers(q)) {
    // The column holds only the canonical words (parseAllowlistEntry); anything else is not a provider word.
    if (!(PROVIDERS as readonly string[]).includes(row.provider)) continue;
    const provider = row.provider as Provider;
    const users = usersByWord.get(provider) ?? [];
    users.push({ userId: row.user_id, name: row.name });
    usersByWord.set(provider, users);
  }
  const warnings: ProviderWordWarning[] = [];
  for (const provider of PROVIDERS) {
    const users = usersByWord.get(provider);
    if (!users) continue;
    const info = snapshots.find((s) => s.provider === provider);
    // A provider the store does not describe has no snapshot as far as anyone can tell.
    const freshness = info ? snapshotFreshness(info, now) : 'missing';
    if (freshness === 'current') continue;
    warnings.push({ provider, freshness, fetchedAt: info?.fetchedAt ?? null, users });
  }
  // Stable: within one urgency the providers keep their PROVIDERS order.
  return warnings.sort((a, b) => URGENCY[a.freshness] - URGENCY[b.freshness]);
}
