import type { ParsedRanges } from '../types.js';
import { checkedPrefixes, result } from './common.js';

/**
 * Cloudflare https://www.cloudflare.com/ips-v4 and /ips-v6: one CIDR a line, no date, no header (the last
 * line has no newline). The two files are one provider: pass both texts. Blank lines are allowed.
 */
export function parseCloudflareRanges(...texts: string[]): ParsedRanges {
  const lines: string[] = [];
  texts.forEach((text) => {
    for (const line of text.split(/\r?\n/)) if (line.trim() !== '') lines.push(line.trim());
  });
  return result(checkedPrefixes('CLOUDFLARE', lines, 'list'), null, null);
}
