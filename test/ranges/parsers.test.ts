import { describe, expect, it } from 'vitest';
import { AddressRanges } from '../../electron/net/address-ranges.js';
import { FAMILY_V4, parseIpInto } from '../../electron/net/ip-address.js';
import { parseAwsRanges } from '../../electron/ranges/parsers/aws.js';
import { azureDateFromFileName, parseAzureRanges } from '../../electron/ranges/parsers/azure.js';
import { parseCloudflareRanges } from '../../electron/ranges/parsers/cloudflare.js';
import { parseDigitalOceanRanges } from '../../electron/ranges/parsers/digitalocean.js';
import { parseGoogleRanges } from '../../electron/ranges/parsers/google.js';
import { detectProvider, RangesFormatError } from '../../electron/ranges/parsers/index.js';
import type { ParsedRanges } from '../../electron/ranges/types.js';
import { FIXTURE, fixtureText } from './fixtures.js';

const families = (p: ParsedRanges) => ({
  v4: p.prefixes.filter((x) => !x.includes(':')).length,
  v6: p.prefixes.filter((x) => x.includes(':')).length,
});

function matches(p: ParsedRanges, address: string): boolean {
  const ranges = AddressRanges.fromCidrs(p.prefixes);
  const out = new Uint32Array(4);
  return parseIpInto(address, out) === FAMILY_V4 ? ranges.containsV4(out[0]!) : ranges.containsV6(out);
}

describe('AWS ip-ranges.json', () => {
  const parsed = parseAwsRanges(fixtureText(FIXTURE.aws));

  it('reads every prefix of every service once, IPv4 and IPv6', () => {
    // 4 + 3 entries in the file; a prefix listed under AMAZON and under its service counts once.
    expect(families(parsed)).toEqual({ v4: 3, v6: 2 });
    expect(parsed.prefixes).toEqual(['3.4.12.4/32', '3.5.140.0/22', '15.190.244.0/22', '2600:1f69:7400::/40', '2600:9000:5206::/48']);
    expect(matches(parsed, '3.5.143.200')).toBe(true);
    expect(matches(parsed, '3.5.144.0')).toBe(false);
    expect(matches(parsed, '2600:9000:5206::1')).toBe(true);
    expect(matches(parsed, '192.0.2.1')).toBe(false);
  });

  it('takes the publication date from createDate and the serial from syncToken', () => {
    expect(parsed.publishedAt).toBe('2025-07-24T20:23:14.000Z');
    expect(parsed.version).toBe('1753388594');
  });

  it.each([
    ['not JSON', '{"prefixes": [', /AWS: not valid JSON/],
    ['another format', '{"values": []}', /AWS: expected ip-ranges.json/],
    ['a bad prefix', '{"prefixes":[{"ip_prefix":"3.5.140.0/33"}],"ipv6_prefixes":[]}', /AWS: prefixes: "3.5.140.0\/33": the prefix length must be 0 to 32/],
    ['a missing field', '{"prefixes":[{"ipv6_prefix":"::/0"}],"ipv6_prefixes":[]}', /AWS: prefixes\[0\]: missing "ip_prefix"/],
    ['no prefixes', '{"prefixes":[],"ipv6_prefixes":[]}', /AWS: prefixes: no ranges found/],
  ])('refuses %s with a clear message', (_what, text, message) => {
    expect(() => parseAwsRanges(text)).toThrow(RangesFormatError);
    expect(() => parseAwsRanges(text)).toThrow(message);
  });
});

describe('Google Cloud cloud.json', () => {
  const parsed = parseGoogleRanges(fixtureText(FIXTURE.google));

  it('reads ipv4Prefix and ipv6Prefix entries', () => {
    expect(families(parsed)).toEqual({ v4: 3, v6: 1 });
    expect(parsed.prefixes.slice(0, 2)).toEqual(['34.1.208.0/20', '34.35.0.0/16']);
    expect(parsed.prefixes).toContain('2600:1900:8000::/44');
    expect(matches(parsed, '34.35.255.255')).toBe(true);
    expect(matches(parsed, '2600:1900:800f:ffff::1')).toBe(true);
  });

  it('takes the publication date from creationTime (UTC)', () => {
    expect(parsed.publishedAt).toBe('2025-07-24T19:16:28.780Z');
    expect(parsed.version).toBe('1753409788780');
  });

  it('refuses entries without a prefix', () => {
    expect(() => parseGoogleRanges('{"prefixes":[{"service":"Google Cloud"}]}')).toThrow(
      'GOOGLE: prefixes[0]: missing "ipv4Prefix" or "ipv6Prefix"',
    );
    expect(() => parseGoogleRanges('[]')).toThrow('GOOGLE: expected cloud.json');
  });
});

describe('Azure Service Tags', () => {
  const text = fixtureText(FIXTURE.azure);
  const parsed = parseAzureRanges(text, 'ServiceTags_Public_20250721.json');

  it('reads the AzureCloud tag, which covers all of public Azure, and no other tag', () => {
    expect(families(parsed)).toEqual({ v4: 4, v6: 2 });
    expect(matches(parsed, '203.0.113.1')).toBe(false); // listed under ActionGroup only
    expect(parsed.prefixes.slice(0, 3)).toEqual(['4.144.0.0/17', '4.144.128.0/17', '4.145.0.0/16']);
    expect(parsed.prefixes).toContain('2602:fd5e:1::/63');
    expect(matches(parsed, '4.145.255.1')).toBe(true);
    expect(parsed.version).toBe('363');
  });

  it('dates the file from its published name, and says nothing when the name has no date', () => {
    expect(parsed.publishedAt).toBe('2025-07-21T00:00:00.000Z');
    expect(parseAzureRanges(text, 'microsoft-azure-ip-ranges.json').publishedAt).toBeNull();
    expect(azureDateFromFileName('ServiceTags_Public_20250231.json')).toBeNull();
  });

  it('refuses a file without the AzureCloud tag, and other clouds', () => {
    expect(() => parseAzureRanges('{"changeNumber":1,"cloud":"Public","values":[{"name":"Storage","properties":{"addressPrefixes":["1.2.3.0/24"]}}]}'))
      .toThrow('AZURE: no "AzureCloud" tag');
    expect(() => parseAzureRanges('{"changeNumber":1,"cloud":"China","values":[]}')).toThrow('"China" cloud');
  });
});

describe('Cloudflare ips-v4 / ips-v6', () => {
  it('reads both lists as one provider (the files end without a newline)', () => {
    const parsed = parseCloudflareRanges(fixtureText(FIXTURE.cloudflareV4), fixtureText(FIXTURE.cloudflareV6));
    expect(families(parsed)).toEqual({ v4: 4, v6: 3 });
    expect(parsed.prefixes).toContain('131.0.72.0/22');
    expect(parsed.prefixes).toContain('2c0f:f248::/32');
    expect(parsed.publishedAt).toBeNull();
    expect(matches(parsed, '104.16.0.1')).toBe(true);
  });

  it('refuses anything that is not a CIDR line (e.g. an HTML error page)', () => {
    expect(() => parseCloudflareRanges('<!DOCTYPE html>\n<html>')).toThrow('CLOUDFLARE: list: "<!DOCTYPE html>" is not an IP address or CIDR range');
    expect(() => parseCloudflareRanges('\n\n')).toThrow('CLOUDFLARE: list: no ranges found');
  });
});

describe('DigitalOcean google.csv', () => {
  it('reads the prefix column of the geofeed', () => {
    const parsed = parseDigitalOceanRanges(fixtureText(FIXTURE.digitalOcean));
    expect(families(parsed)).toEqual({ v4: 3, v6: 2 });
    expect(parsed.prefixes[0]).toBe('5.101.96.0/21');
    expect(parsed.prefixes).toContain('2400:6180:0:d0::/64');
    expect(matches(parsed, '24.144.64.3')).toBe(true);
  });

  it('refuses lines that are not prefix,country,…', () => {
    expect(() => parseDigitalOceanRanges('5.101.96.0/21,NL\njust text')).toThrow('DIGITAL_OCEAN: line 2: expected');
    expect(() => parseDigitalOceanRanges('nope,NL,NL-NH,Amsterdam,1098 XH')).toThrow('"nope" is not an IP address');
  });
});

describe('detectProvider', () => {
  it.each([
    [FIXTURE.aws, 'AWS'],
    [FIXTURE.google, 'GOOGLE'],
    [FIXTURE.azure, 'AZURE'],
    [FIXTURE.digitalOcean, 'DIGITAL_OCEAN'],
    [FIXTURE.cloudflareV4, 'CLOUDFLARE'],
    [FIXTURE.cloudflareV6, 'CLOUDFLARE'],
  ])('recognises %s', (name, provider) => {
    expect(detectProvider({ name, text: fixtureText(name) })).toBe(provider);
  });

  it('does not guess for a bare list under another name', () => {
    expect(detectProvider({ name: 'ranges.txt', text: fixtureText(FIXTURE.cloudflareV4) })).toBeNull();
    expect(detectProvider({ name: 'x.json', text: '{"hello": 1}' })).toBeNull();
  });
});
