import fc from 'fast-check';
import type ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { reference } from './reference.js';
import { FAMILY_INVALID, FAMILY_V4, FAMILY_V6, formatV6, parseIpExact, parseIpInto } from '../../electron/net/ip-address.js';

const parse = (text: string) => {
  const out = new Uint32Array(4);
  const family = parseIpInto(text, out);
  return { family, words: [...out] };
};

describe('parseIpInto', () => {
  it('reads IPv4 as one uint32', () => {
    expect(parse('0.0.0.0')).toMatchObject({ family: FAMILY_V4, words: [0, 0, 0, 0] });
    expect(parse('255.255.255.255').words[0]).toBe(0xffffffff);
    expect(parse('192.168.1.10').words[0]).toBe(0xc0a8010a);
  });

  it('reads IPv6 as four words, with :: anywhere and a trailing dotted quad', () => {
    expect(parse('2001:db8::1')).toEqual({ family: FAMILY_V6, words: [0x20010db8, 0, 0, 1] });
    expect(parse('::')).toEqual({ family: FAMILY_V6, words: [0, 0, 0, 0] });
    expect(parse('::1').words).toEqual([0, 0, 0, 1]);
    expect(parse('fe80::').words).toEqual([0xfe800000, 0, 0, 0]);
    expect(parse('1:2:3:4:5:6:7:8').words).toEqual([0x10002, 0x30004, 0x50006, 0x70008]);
    expect(parse('64:ff9b::192.0.2.33').words).toEqual([0x0064ff9b, 0, 0, 0xc0000221]);
    expect(parse('2001:DB8::ABCD').words).toEqual([0x20010db8, 0, 0, 0xabcd]);
  });

  it('returns IPv4-mapped IPv6 as IPv4 (dotted and hex spellings), but parseIpExact keeps it IPv6', () => {
    expect(parse('::ffff:10.1.2.3').family).toBe(FAMILY_V4);
    expect(parse('::ffff:10.1.2.3').words[0]).toBe(0x0a010203);
    expect(parse('::ffff:a01:203').family).toBe(FAMILY_V4);
    expect(parse('::ffff:a01:203').words[0]).toBe(0x0a010203);
    expect(parseIpExact('::ffff:10.1.2.3', new Uint32Array(4))).toBe(FAMILY_V6);
    // ::10.1.2.3 (deprecated IPv4-compatible) is not a mapped address: it stays IPv6.
    expect(parse('::10.1.2.3').family).toBe(FAMILY_V6);
  });

  it.each([
    '', ' ', '1.2.3', '1.2.3.4.5', '1.2.3.256', '01.2.3.4', '1.2.3.04', '1..3.4', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.-4',
    '0x1.2.3.4', '1.2.3.4/32', ':', ':::', '1:::2', '1::2::3', ':1::2', '1::2:', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7',
    '12345::', 'g::1', '::ffff:1.2.3', '::ffff:1.2.3.4.5', '1:2:3:4:5:6:7:1.2.3.4', 'fe80::1%eth0', '[::1]', '::1 ',
    '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', 'localhost', '1.2.3.4:80',
  ])('refuses %j', (text) => {
    expect(parse(text).family).toBe(FAMILY_INVALID);
  });

  it('agrees with ipaddr.js on random IPv4 and IPv6 addresses in every spelling', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ours = parse(text);
        const theirs = reference(text);
        const expected =
          theirs.kind() === 'ipv6' && (theirs as ipaddr.IPv6).isIPv4MappedAddress()
            ? (theirs as ipaddr.IPv6).toIPv4Address()
            : theirs;
        const bytes = expected.toByteArray();
        const words = [0, 1, 2, 3].map((k) => ((bytes[4 * k]! << 24) | (bytes[4 * k + 1]! << 16) | (bytes[4 * k + 2]! << 8) | bytes[4 * k + 3]!) >>> 0);
        if (expected.kind() === 'ipv4') {
          expect(ours.family).toBe(FAMILY_V4);
          expect(ours.words[0]).toBe(words[0]);
        } else {
          expect(ours.family).toBe(FAMILY_V6);
          expect(ours.words).toEqual(words);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('formats IPv6 per RFC 5952 like ipaddr.js does', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const exact = new Uint32Array(4);
        parseIpExact(text, exact);
        expect(formatV6(exact)).toBe(reference(text).toString());
      }),
      { numRuns: 2000 },
    );
  });
});
