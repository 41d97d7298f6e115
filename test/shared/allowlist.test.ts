import { expect, test } from 'vitest';
import { parseAllowlistEntry } from '../../shared/allowlist.js';

test.each([
  ['192.168.1.10', 'address', '192.168.1.10'],
  [' 10.0.0.0/8 ', 'cidr', '10.0.0.0/8'],
  ['0.0.0.0/0', 'cidr', '0.0.0.0/0'],
  ['1.2.3.4/32', 'address', '1.2.3.4'],
  ['2001:DB8:0:0::1', 'address', '2001:db8::1'],
  ['2001:db8::/32', 'cidr', '2001:db8::/32'],
  ['::/0', 'cidr', '::/0'],
  ['::ffff:192.0.2.1', 'address', '192.0.2.1'],
  ['::ffff:10.0.0.0/104', 'cidr', '10.0.0.0/8'],
  ['aws', 'provider', 'AWS'],
  ['Digital-Ocean', 'provider', 'DIGITAL_OCEAN'],
  ['digital ocean', 'provider', 'DIGITAL_OCEAN'],
])('%s is stored as %s %s', (input, kind, entry) => {
  expect(parseAllowlistEntry(input)).toEqual({ ok: true, value: { kind, entry } });
});

test.each([
  ['010.0.0.1', /leading zeros/],
  ['1.2.3.4/33', /prefix is 0 to 32/],
  ['1.2.3.4/024', /prefix length/],
  ['1.2.3.4/', /prefix length/],
  ['1.2.3.4/8/8', /prefix length/],
  ['10.1.0.0/8', /did you mean 10\.0\.0\.0\/8/],
  ['256.1.1.1', /not an IPv4 address/],
  ['1.2.3', /not an IPv4 address/],
  ['0x7f.0.0.1', /not an IP address/],
  ['2001:db8::/129', /prefix is 0 to 128/],
  ['fe80::1%eth0', /zone ids/],
  ['example.com', /not an IP address/],
  ['', /Enter an address/],
])('%s is refused', (input, message) => {
  const parsed = parseAllowlistEntry(input);
  expect(parsed.ok).toBe(false);
  expect(!parsed.ok && parsed.message).toMatch(message);
});
