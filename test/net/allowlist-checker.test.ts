import { describe, expect, it } from 'vitest';
import { parseAllowlistEntry, type AllowlistEntry } from '../../shared/allowlist.js';
import type { Provider } from '../../shared/domain.js';
import { AddressRanges } from '../../electron/net/address-ranges.js';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import type { ProviderRangeSet } from '../../electron/ranges/types.js';

const entries = (...texts: string[]): AllowlistEntry[] =>
  texts.map((t) => {
    const parsed = parseAllowlistEntry(t);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.value;
  });

const rangeSet = (map: Partial<Record<Provider, string[]>>): ProviderRangeSet => ({
  providers: new Map(Object.entries(map).map(([p, cidrs]) => [p as Provider, AddressRanges.fromCidrs(cidrs)])),
});

describe('createAllowlistChecker', () => {
  const noRanges = createAllowlistChecker(() => rangeSet({}));

  it('allows any address when the list is empty', () => {
    expect(noRanges.isAllowed([], '203.0.113.9')).toBe(true);
    expect(noRanges.isAllowed([], '2001:db8::1')).toBe(true);
  });

  it('matches single addresses and CIDR ranges, IPv4 and IPv6, at their edges', () => {
    const list = entries('192.0.2.10', '198.51.100.0/24', '2001:db8:1::/48', '2001:db8:ffff::5');
    expect(noRanges.isAllowed(list, '192.0.2.10')).toBe(true);
    expect(noRanges.isAllowed(list, '192.0.2.11')).toBe(false);
    expect(noRanges.isAllowed(list, '198.51.100.0')).toBe(true);
    expect(noRanges.isAllowed(list, '198.51.100.255')).toBe(true);
    expect(noRanges.isAllowed(list, '198.51.101.0')).toBe(false);
    expect(noRanges.isAllowed(list, '198.51.99.255')).toBe(false);
    expect(noRanges.isAllowed(list, '2001:db8:1::')).toBe(true);
    expect(noRanges.isAllowed(list, '2001:db8:1:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(noRanges.isAllowed(list, '2001:db8:2::')).toBe(false);
    expect(noRanges.isAllowed(list, '2001:db8:ffff::5')).toBe(true);
    expect(noRanges.isAllowed(list, '2001:DB8:FFFF:0:0:0:0:5')).toBe(true);
    expect(noRanges.isAllowed(list, '2001:db8:ffff::6')).toBe(false);
  });

  it('lets IPv4-mapped IPv6 clients match IPv4 entries', () => {
    const list = entries('10.0.0.0/8', '192.0.2.1');
    expect(noRanges.isAllowed(list, '::ffff:10.20.30.40')).toBe(true);
    expect(noRanges.isAllowed(list, '::ffff:192.0.2.1')).toBe(true);
    expect(noRanges.isAllowed(list, '::ffff:c000:201')).toBe(true);
    expect(noRanges.isAllowed(list, '::ffff:11.0.0.0')).toBe(false);
    // An entry typed in the mapped form is stored as IPv4 and matches the plain IPv4 client too.
    expect(noRanges.isAllowed(entries('::ffff:203.0.113.0/120'), '203.0.113.77')).toBe(true);
  });

  it('/0 entries allow their whole family and only it', () => {
    expect(noRanges.isAllowed(entries('0.0.0.0/0'), '255.255.255.255')).toBe(true);
    expect(noRanges.isAllowed(entries('0.0.0.0/0'), '2001:db8::1')).toBe(false);
    expect(noRanges.isAllowed(entries('::/0'), '2001:db8::1')).toBe(true);
    expect(noRanges.isAllowed(entries('::/0'), '192.0.2.1')).toBe(false);
  });

  it('never matches a malformed address, or one with a zone id', () => {
    const list = entries('0.0.0.0/0', '::/0');
    for (const bad of ['', 'localhost', '1.2.3', '01.2.3.4', 'fe80::1%eth0', '[::1]', '1.2.3.4:80', '1.2.3.4 ', 'AWS']) {
      expect(noRanges.isAllowed(list, bad)).toBe(false);
    }
  });

  it('expands a provider word to that provider’s ranges in the current snapshot, and nothing without one', () => {
    let set = rangeSet({ AWS: ['3.5.140.0/22', '2600:1f00::/24'] });
    const checker = createAllowlistChecker(() => set);
    const list = entries('AWS', 'GOOGLE');
    expect(checker.isAllowed(list, '3.5.140.1')).toBe(true);
    expect(checker.isAllowed(list, '3.5.143.255')).toBe(true);
    expect(checker.isAllowed(list, '3.5.144.0')).toBe(false);
    expect(checker.isAllowed(list, '2600:1f00::1')).toBe(true);
    expect(checker.isAllowed(list, '::ffff:3.5.140.1')).toBe(true);
    expect(checker.isAllowed(list, '34.35.0.1')).toBe(false); // GOOGLE has no snapshot: matches nothing
    // A new snapshot takes effect at once, with the same (cached) compiled list.
    set = rangeSet({ GOOGLE: ['34.35.0.0/16'] });
    expect(checker.isAllowed(list, '34.35.0.1')).toBe(true);
    expect(checker.isAllowed(list, '3.5.140.1')).toBe(false);
  });

  it('does not let one provider word match another provider’s ranges', () => {
    const checker = createAllowlistChecker(() => rangeSet({ AWS: ['3.0.0.0/8'], CLOUDFLARE: ['104.16.0.0/13'] }));
    expect(checker.isAllowed(entries('CLOUDFLARE'), '3.1.1.1')).toBe(false);
    expect(checker.isAllowed(entries('CLOUDFLARE'), '104.16.0.1')).toBe(true);
  });

  it('keeps answers right when many distinct lists overflow the cache', () => {
    const checker = createAllowlistChecker(() => rangeSet({}), { cacheSize: 4 });
    for (let i = 0; i < 50; i++) {
      const list = entries(`10.0.${i}.0/24`);
      expect(checker.isAllowed(list, `10.0.${i}.9`)).toBe(true);
      expect(checker.isAllowed(list, `10.0.${i + 1}.9`)).toBe(false);
    }
  });

  it('a damaged stored entry grants nothing, while the valid ones still work', () => {
    const list: AllowlistEntry[] = [{ kind: 'cidr', entry: 'not-a-range' }, { kind: 'address', entry: '192.0.2.1' }];
    expect(noRanges.isAllowed(list, '192.0.2.1')).toBe(true);
    expect(noRanges.isAllowed(list, '192.0.2.2')).toBe(false);
    expect(noRanges.isAllowed([{ kind: 'cidr', entry: 'junk' }], '192.0.2.2')).toBe(false);
  });
});
