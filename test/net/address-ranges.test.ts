import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { AddressRanges, CidrError } from '../../electron/net/address-ranges.js';
import { FAMILY_V4, parseIpInto } from '../../electron/net/ip-address.js';
import { reference } from './reference.js';

function has(ranges: AddressRanges, text: string): boolean {
  const out = new Uint32Array(4);
  const family = parseIpInto(text, out);
  return family === FAMILY_V4 ? ranges.containsV4(out[0]!) : ranges.containsV6(out);
}

describe('AddressRanges', () => {
  it('matches the first and last address of an IPv4 range, not the ones just outside', () => {
    const r = AddressRanges.fromCidrs(['10.1.2.0/24']);
    expect(has(r, '10.1.2.0')).toBe(true);
    expect(has(r, '10.1.2.255')).toBe(true);
    expect(has(r, '10.1.1.255')).toBe(false);
    expect(has(r, '10.1.3.0')).toBe(false);
  });

  it('handles /0, /32, /128 and the ends of the address space', () => {
    const all4 = AddressRanges.fromCidrs(['0.0.0.0/0']);
    expect(has(all4, '0.0.0.0')).toBe(true);
    expect(has(all4, '255.255.255.255')).toBe(true);
    expect(has(all4, '::1')).toBe(false);
    const all6 = AddressRanges.fromCidrs(['::/0']);
    expect(has(all6, '::')).toBe(true);
    expect(has(all6, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(has(all6, '1.2.3.4')).toBe(false);
    const single = AddressRanges.fromCidrs(['192.0.2.7/32', '2001:db8::7/128', '255.255.255.255']);
    expect(has(single, '192.0.2.7')).toBe(true);
    expect(has(single, '192.0.2.6')).toBe(false);
    expect(has(single, '192.0.2.8')).toBe(false);
    expect(has(single, '2001:db8::7')).toBe(true);
    expect(has(single, '2001:db8::6')).toBe(false);
    expect(has(single, '2001:db8::8')).toBe(false);
    expect(has(single, '255.255.255.255')).toBe(true);
  });

  it('matches IPv6 ranges at their edges, across word boundaries', () => {
    const r = AddressRanges.fromCidrs(['2001:db8:0:ff00::/56', '2a06:98c0::/29']);
    expect(has(r, '2001:db8:0:ff00::')).toBe(true);
    expect(has(r, '2001:db8:0:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(has(r, '2001:db8:0:feff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(has(r, '2001:db8:1::')).toBe(false);
    expect(has(r, '2a06:98c0::')).toBe(true);
    expect(has(r, '2a06:98c7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(has(r, '2a06:98c8::')).toBe(false);
  });

  it('merges overlapping and adjacent ranges', () => {
    const r = AddressRanges.fromCidrs(['10.0.0.0/25', '10.0.0.128/25', '10.0.0.0/8', '10.1.0.0/16', '2001:db8::/33', '2001:db8:8000::/33', '2001:db8::1']);
    expect(r.intervalCounts).toEqual({ v4: 1, v6: 1 });
    expect(has(r, '2001:db8:ffff::1')).toBe(true);
  });

  it('ignores host bits below the prefix (a provider publishing 10.0.0.5/24 means 10.0.0.0/24)', () => {
    const r = AddressRanges.fromCidrs(['10.0.0.5/24']);
    expect(has(r, '10.0.0.0')).toBe(true);
    expect(has(r, '10.0.0.255')).toBe(true);
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/08', 'x/8', '10.0.0/8', '', 'AWS'])('refuses %j', (text) => {
    expect(() => AddressRanges.fromCidrs([text])).toThrow(CidrError);
  });

  it('agrees with ipaddr.js match() for random ranges and addresses', () => {
    const v4Cidr = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
    const v6Cidr = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(v4Cidr, v6Cidr), { maxLength: 12 }), fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { minLength: 1, maxLength: 8 }), (cidrs, addresses) => {
        const r = AddressRanges.fromCidrs(cidrs);
        const parsed = cidrs.map((c) => {
          const [a, p] = c.split('/') as [string, string];
          return [reference(a), Number(p)] as const;
        });
        for (const text of addresses) {
          let address = reference(text);
          if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
          // The checker looks up a mapped client as IPv4, so a mapped range literal only matches through the IPv6 path.
          const expected = parsed.some(([a, p]) => a.kind() === address.kind() && address.match(a, p));
          expect(has(r, text)).toBe(expected);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
