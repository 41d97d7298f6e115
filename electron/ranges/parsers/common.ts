import type { Provider } from '../../../shared/domain.js';
import { CidrError, parseCidrRange } from '../../net/address-ranges.js';
import type { ParsedRanges } from '../types.js';

/** A provider file that is not what it should be. The message names the provider and what is wrong, never the whole file. */
export class RangesFormatError extends Error {
  override name = 'RangesFormatError';
  constructor(
    readonly provider: Provider | null,
    message: string,
  ) {
    super(provider === null ? message : `${provider}: ${message}`);
  }
}

export function parseJson(provider: Provider, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RangesFormatError(provider, `not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks each prefix, drops duplicates (AWS lists a prefix once per service), and refuses an empty result:
 * a provider never publishes zero ranges, so an empty list means a broken download, not an empty provider.
 */
export function checkedPrefixes(provider: Provider, prefixes: Iterable<string>, where: string): string[] {
  const seen = new Set<string>();
  for (const prefix of prefixes) {
    try {
      parseCidrRange(prefix);
    } catch (error) {
      if (error instanceof CidrError) throw new RangesFormatError(provider, `${where}: ${error.message}`);
      throw error;
    }
    seen.add(prefix);
  }
  if (seen.size === 0) throw new RangesFormatError(provider, `${where}: no ranges found`);
  return [...seen];
}

export function result(prefixes: string[], publishedAt: string | null, version: string | null): ParsedRanges {
  return { prefixes, publishedAt, version };
}

/** A date the provider wrote, as ISO 8601 UTC, or null if it does not read as one. */
export function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
