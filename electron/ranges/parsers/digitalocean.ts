import type { ParsedRanges } from '../types.js';
import { RangesFormatError, checkedPrefixes, result } from './common.js';

/**
 * DigitalOcean https://digitalocean.com/geo/google.csv: a geofeed in the RFC 8805 layout without a header:
 * prefix, country, region, city, postal code. No date inside. Lines starting with # are comments (RFC 8805 §2.1.1).
 */
export function parseDigitalOceanRanges(text: string): ParsedRanges {
  const prefixes: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const columns = trimmed.split(',');
    if (columns.length < 2) {
      throw new RangesFormatError('DIGITAL_OCEAN', `line ${index + 1}: expected "prefix,country,region,city,postal code"`);
    }
    prefixes.push(columns[0]!.trim());
  });
  return result(checkedPrefixes('DIGITAL_OCEAN', prefixes, 'google.csv'), null, null);
}
