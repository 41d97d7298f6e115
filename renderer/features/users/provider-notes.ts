import type { RangeInfo } from '../../../shared/ranges.dto.js';
import { useRanges } from '../server/server.queries.js';
import { i18n } from '../../i18n/i18n.js';
import { formatDay } from '../../lib/format.js';

/** One line per provider word for the allowlist editor: the date of its snapshot, or that it matches nothing yet. */
export function providerNote(info: RangeInfo): string {
  const t = i18n.getFixedT(null, 'users');
  if (info.status === 'missing') return t('providerNote.missing');
  if (info.status === 'damaged') return t('providerNote.damaged');
  // The provider's own date where its file has one (Cloudflare's has none): then when Keyrack fetched it.
  if (info.publishedAt !== null) return t('providerNote.published', { day: formatDay(info.publishedAt.slice(0, 10)) });
  if (info.fetchedAt !== null) return t('providerNote.fetched', { day: formatDay(new Date(info.fetchedAt).toISOString().slice(0, 10)) });
  return t('providerNote.ranges', { count: info.count });
}

/** The notes for every provider word, from the snapshots main holds (the same query the Token server page uses). */
export function useProviderNotes(): Partial<Record<string, string>> | undefined {
  const ranges = useRanges();
  if (!ranges.data) return undefined;
  return Object.fromEntries(ranges.data.map((info) => [info.provider, providerNote(info)]));
}
