import type { RangeInfo } from '../../../shared/ranges.dto.js';
import { useRanges } from '../server/server.queries.js';

/** One line per provider word for the allowlist editor: the date of its snapshot, or that it matches nothing yet. */
export function providerNote(info: RangeInfo): string {
  if (info.status === 'missing') return 'no snapshot yet: matches nothing';
  if (info.status === 'damaged') return 'snapshot unreadable: matches nothing';
  // The provider's own date where its file has one (Cloudflare's has none): then when Keyrack fetched it.
  if (info.publishedAt !== null) return `snapshot published ${info.publishedAt.slice(0, 10)}`;
  if (info.fetchedAt !== null) return `snapshot fetched ${new Date(info.fetchedAt).toISOString().slice(0, 10)}`;
  return `${info.count} ranges`;
}

/** The notes for every provider word, from the snapshots main holds (the same query the Token server page uses). */
export function useProviderNotes(): Partial<Record<string, string>> | undefined {
  const ranges = useRanges();
  if (!ranges.data) return undefined;
  return Object.fromEntries(ranges.data.map((info) => [info.provider, providerNote(info)]));
}
