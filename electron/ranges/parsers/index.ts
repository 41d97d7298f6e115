import type { Provider } from '../../../shared/domain.js';
import type { ParsedRanges } from '../types.js';
import { parseAwsRanges } from './aws.js';
import { parseAzureRanges } from './azure.js';
import { parseCloudflareRanges } from './cloudflare.js';
import { RangesFormatError } from './common.js';
import { parseDigitalOceanRanges } from './digitalocean.js';
import { parseGoogleRanges } from './google.js';

export { RangesFormatError } from './common.js';

/** One file's text and the name it was published or saved under (Azure's date is in the name). */
export interface RangeFile {
  name: string;
  text: string;
}

/** Parses a provider's file(s) in its own format. Only Cloudflare publishes two files (v4 and v6); the others take one. */
export function parseProviderFiles(provider: Provider, files: readonly RangeFile[]): ParsedRanges {
  if (files.length === 0) throw new RangesFormatError(provider, 'no file given');
  if (provider === 'CLOUDFLARE') return parseCloudflareRanges(...files.map((f) => f.text));
  if (files.length > 1) throw new RangesFormatError(provider, `publishes one file; got ${files.length}`);
  const [file] = files as [RangeFile];
  switch (provider) {
    case 'AWS':
      return parseAwsRanges(file.text);
    case 'GOOGLE':
      return parseGoogleRanges(file.text);
    case 'AZURE':
      return parseAzureRanges(file.text, file.name);
    case 'DIGITAL_OCEAN':
      return parseDigitalOceanRanges(file.text);
  }
}

/**
 * Which provider published this file, from its shape. Cloudflare's lists are bare CIDR lines that any
 * provider could write, so they are recognised only when the file name says ips-v4/ips-v6 or cloudflare;
 * otherwise the caller must say which provider it is.
 */
export function detectProvider(file: RangeFile): Provider | null {
  const head = file.text.slice(0, 4096);
  if (/^\s*\{/.test(head)) {
    if (/"ip_prefix"|"ipv6_prefix"|"createDate"/.test(file.text.slice(0, 65536))) return 'AWS';
    if (/"ipv[46]Prefix"|"creationTime"/.test(head)) return 'GOOGLE';
    if (/"changeNumber"/.test(head) && /"values"/.test(head)) return 'AZURE';
    return null;
  }
  const firstLine = head.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  if (/^[0-9a-f:.]+\/\d+,[A-Z]{2}?,/i.test(firstLine)) return 'DIGITAL_OCEAN';
  if (/^[0-9a-f:.]+\/\d+\s*$/i.test(firstLine) && /cloudflare|ips-v[46]/i.test(file.name)) return 'CLOUDFLARE';
  return null;
}
