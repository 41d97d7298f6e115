import type { Provider } from '../../shared/domain.js';

/**
 * Where each provider publishes its ranges. Azure has no stable file URL: the download-centre page (id 56519)
 * links to ServiceTags_Public_YYYYMMDD.json, renamed weekly, so that page is read for the link.
 */
export type RangeSource =
  | { kind: 'files'; urls: readonly string[] }
  | { kind: 'azure-page'; url: string };

export const OFFICIAL_SOURCES: Readonly<Record<Provider, RangeSource>> = {
  AWS: { kind: 'files', urls: ['https://ip-ranges.amazonaws.com/ip-ranges.json'] },
  GOOGLE: { kind: 'files', urls: ['https://www.gstatic.com/ipranges/cloud.json'] },
  AZURE: { kind: 'azure-page', url: 'https://www.microsoft.com/en-us/download/details.aspx?id=56519' },
  CLOUDFLARE: { kind: 'files', urls: ['https://www.cloudflare.com/ips-v4', 'https://www.cloudflare.com/ips-v6'] },
  DIGITAL_OCEAN: { kind: 'files', urls: ['https://digitalocean.com/geo/google.csv'] },
};

/** File names in a mirror folder (an office's own copy of the files, or the test fixtures). */
export const MIRROR_FILE_NAMES: Readonly<Record<Provider, readonly string[]>> = {
  AWS: ['aws-ip-ranges.json'],
  GOOGLE: ['google-cloud-ip-ranges.json'],
  AZURE: ['microsoft-azure-ip-ranges.json'],
  CLOUDFLARE: ['cloudflare-v4-ip-ranges.txt', 'cloudflare-v6-ip-ranges.txt'],
  DIGITAL_OCEAN: ['digitalocean.csv'],
};

/** Sources that read every file from one base URL (a mirror) instead of the providers' sites. */
export function mirrorSources(baseUrl: string): Record<Provider, RangeSource> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const entries = Object.entries(MIRROR_FILE_NAMES).map(([provider, names]) => [
    provider,
    { kind: 'files', urls: names.map((name) => new URL(name, base).toString()) } satisfies RangeSource,
  ]);
  return Object.fromEntries(entries) as Record<Provider, RangeSource>;
}
