import type { ParsedRanges } from '../types.js';
import { RangesFormatError, checkedPrefixes, isRecord, isoOrNull, parseJson, result } from './common.js';

/**
 * Google Cloud cloud.json (https://www.gstatic.com/ipranges/cloud.json): `syncToken`, `creationTime`
 * (ISO 8601 without a zone, UTC), `prefixes[]` each with `ipv4Prefix` or `ipv6Prefix`. These are the
 * addresses Google Cloud customers use, which is what an allowlist word GOOGLE is for.
 */
export function parseGoogleRanges(text: string): ParsedRanges {
  const doc = parseJson('GOOGLE', text);
  if (!isRecord(doc) || !Array.isArray(doc.prefixes)) {
    throw new RangesFormatError('GOOGLE', 'expected cloud.json with a "prefixes" array');
  }
  const prefixes = checkedPrefixes(
    'GOOGLE',
    doc.prefixes.map((p: unknown, i) => {
      const value = isRecord(p) ? (p.ipv4Prefix ?? p.ipv6Prefix) : undefined;
      if (typeof value !== 'string') throw new RangesFormatError('GOOGLE', `prefixes[${i}]: missing "ipv4Prefix" or "ipv6Prefix"`);
      return value;
    }),
    'prefixes',
  );
  return result(prefixes, publishedAt(doc.creationTime), typeof doc.syncToken === 'string' ? doc.syncToken : null);
}

function publishedAt(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z)?$/.test(value)) return null;
  // Milliseconds are enough; the file writes microseconds and no zone (it is UTC).
  const trimmed = value.replace(/(\.\d{3})\d*/, '$1').replace(/Z?$/, 'Z');
  return isoOrNull(Date.parse(trimmed));
}
