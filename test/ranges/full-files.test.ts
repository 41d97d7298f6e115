import { describe, expect, it } from 'vitest';
import { parseAwsRanges } from '../../electron/ranges/parsers/aws.js';
import { parseAzureRanges } from '../../electron/ranges/parsers/azure.js';
import { parseCloudflareRanges } from '../../electron/ranges/parsers/cloudflare.js';
import { parseDigitalOceanRanges } from '../../electron/ranges/parsers/digitalocean.js';
import { parseGoogleRanges } from '../../electron/ranges/parsers/google.js';
import { detectProvider } from '../../electron/ranges/parsers/index.js';
import type { ParsedRanges } from '../../electron/ranges/types.js';
import { FIXTURE, FULL_FILES_DIR, fullFilesPresent, fullFileText } from './fixtures.js';

/**
 * Optional: the parsers against the providers' full files of 2025-07-25, which live beside the repository on
 * our machines only. A plain clone skips this with the reason in the test's name; parsers.test.ts covers the
 * formats with the repository's own small files.
 */
const families = (p: ParsedRanges) => ({
  v4: p.prefixes.filter((x) => !x.includes(':')).length,
  v6: p.prefixes.filter((x) => x.includes(':')).length,
});

const title = fullFilesPresent
  ? `the providers' full files (${FULL_FILES_DIR})`
  : `the providers' full files: skipped, ${FULL_FILES_DIR} is not there (it holds the published files of 2025-07-25)`;

describe.skipIf(!fullFilesPresent)(title, () => {
  it('AWS: every prefix of every service once (8971 + 4373 entries, AMAZON overlaps the others)', () => {
    const parsed = parseAwsRanges(fullFileText(FIXTURE.aws));
    expect(families(parsed)).toEqual({ v4: 6850, v6: 2216 });
    expect(parsed).toMatchObject({ publishedAt: '2025-07-24T20:23:14.000Z', version: '1753388594' });
  });

  it('Google Cloud', () => {
    const parsed = parseGoogleRanges(fullFileText(FIXTURE.google));
    expect(families(parsed)).toEqual({ v4: 736, v6: 46 });
    expect(parsed).toMatchObject({ publishedAt: '2025-07-24T19:16:28.780Z', version: '1753409788780' });
  });

  it('Azure: the AzureCloud tag', () => {
    const parsed = parseAzureRanges(fullFileText(FIXTURE.azure), 'ServiceTags_Public_20250721.json');
    expect(families(parsed)).toEqual({ v4: 9177, v6: 3185 });
    expect(parsed.version).toBe('363');
  });

  it('Cloudflare', () => {
    const parsed = parseCloudflareRanges(fullFileText(FIXTURE.cloudflareV4), fullFileText(FIXTURE.cloudflareV6));
    expect(families(parsed)).toEqual({ v4: 15, v6: 7 });
  });

  it('DigitalOcean', () => {
    expect(families(parseDigitalOceanRanges(fullFileText(FIXTURE.digitalOcean)))).toEqual({ v4: 1037, v6: 145 });
  });

  it.each([
    [FIXTURE.aws, 'AWS'],
    [FIXTURE.google, 'GOOGLE'],
    [FIXTURE.azure, 'AZURE'],
    [FIXTURE.digitalOcean, 'DIGITAL_OCEAN'],
    [FIXTURE.cloudflareV4, 'CLOUDFLARE'],
  ])('detectProvider recognises %s', (name, provider) => {
    expect(detectProvider({ name, text: fullFileText(name) })).toBe(provider);
  });
});
