import type { ParsedRanges } from '../types.js';
import { RangesFormatError, checkedPrefixes, isRecord, parseJson, result } from './common.js';

/** The service tag that covers all of public Azure (regional tags such as AzureCloud.westeurope are subsets). */
export const AZURE_ALL_TAG = 'AzureCloud';

/**
 * Azure Service Tags JSON (ServiceTags_Public_YYYYMMDD.json, download centre id 56519): `changeNumber`,
 * `cloud`, `values[]` of `{name, properties: {addressPrefixes[]}}`. The file has no date inside; the date
 * is in its published file name, so the caller passes the name it was downloaded or imported under.
 */
export function parseAzureRanges(text: string, fileName = ''): ParsedRanges {
  const doc = parseJson('AZURE', text);
  if (!isRecord(doc) || !Array.isArray(doc.values)) {
    throw new RangesFormatError('AZURE', 'expected a Service Tags file with a "values" array');
  }
  if (doc.cloud !== undefined && doc.cloud !== 'Public') {
    throw new RangesFormatError('AZURE', `this is the Service Tags file of the "${String(doc.cloud)}" cloud; use the Public one`);
  }
  const tag = doc.values.find((v: unknown) => isRecord(v) && v.name === AZURE_ALL_TAG) as unknown;
  const list = isRecord(tag) && isRecord(tag.properties) ? tag.properties.addressPrefixes : undefined;
  if (!Array.isArray(list)) throw new RangesFormatError('AZURE', `no "${AZURE_ALL_TAG}" tag with "addressPrefixes"`);
  const prefixes = checkedPrefixes(
    'AZURE',
    list.map((p: unknown, i) => {
      if (typeof p !== 'string') throw new RangesFormatError('AZURE', `${AZURE_ALL_TAG} addressPrefixes[${i}] is not text`);
      return p;
    }),
    `${AZURE_ALL_TAG} addressPrefixes`,
  );
  const version = typeof doc.changeNumber === 'number' ? String(doc.changeNumber) : null;
  return result(prefixes, azureDateFromFileName(fileName), version);
}

/** `ServiceTags_Public_20250721.json` → 2025-07-21T00:00:00.000Z; null for any other name. */
export function azureDateFromFileName(name: string): string | null {
  const m = /ServiceTags_Public_(\d{4})(\d{2})(\d{2})\.json$/i.exec(name);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  const date = new Date(ms);
  return date.getUTCMonth() === +m[2]! - 1 && date.getUTCDate() === +m[3]! ? date.toISOString() : null;
}
