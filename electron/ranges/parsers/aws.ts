import type { ParsedRanges } from '../types.js';
import { RangesFormatError, checkedPrefixes, isRecord, isoOrNull, parseJson, result } from './common.js';

/**
 * AWS ip-ranges.json (https://docs.aws.amazon.com/vpc/latest/userguide/aws-ip-ranges.html): `syncToken`,
 * `createDate` (YYYY-MM-DD-hh-mm-ss, UTC), `prefixes[].ip_prefix`, `ipv6_prefixes[].ipv6_prefix`. Every
 * service is kept: the word AWS means all of Amazon's published space (service AMAZON already covers the rest).
 */
export function parseAwsRanges(text: string): ParsedRanges {
  const doc = parseJson('AWS', text);
  if (!isRecord(doc) || !Array.isArray(doc.prefixes) || !Array.isArray(doc.ipv6_prefixes)) {
    throw new RangesFormatError('AWS', 'expected ip-ranges.json with "prefixes" and "ipv6_prefixes" arrays');
  }
  const prefixes = checkedPrefixes(
    'AWS',
    [
      ...doc.prefixes.map((p: unknown, i) => field(p, 'ip_prefix', `prefixes[${i}]`)),
      ...doc.ipv6_prefixes.map((p: unknown, i) => field(p, 'ipv6_prefix', `ipv6_prefixes[${i}]`)),
    ],
    'prefixes',
  );
  return result(prefixes, publishedAt(doc.createDate), typeof doc.syncToken === 'string' ? doc.syncToken : null);
}

function field(entry: unknown, name: string, where: string): string {
  const value = isRecord(entry) ? entry[name] : undefined;
  if (typeof value !== 'string') throw new RangesFormatError('AWS', `${where}: missing "${name}"`);
  return value;
}

function publishedAt(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  return isoOrNull(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}
