import { describe, expect, it } from 'vitest';
import { clientIp } from '../../electron/net/client-ip.js';

describe('clientIp', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIp('203.0.113.5', '1.1.1.1', [])).toBe('203.0.113.5');
    expect(clientIp('203.0.113.5', undefined, [])).toBe('203.0.113.5');
  });

  it('is the socket address when the socket is not a trusted proxy (a client spoofing the header)', () => {
    expect(clientIp('203.0.113.5', '10.0.0.1', ['10.0.0.2'])).toBe('203.0.113.5');
  });

  it('normalises IPv4-mapped and non-canonical IPv6 socket addresses', () => {
    expect(clientIp('::ffff:192.0.2.8', undefined, [])).toBe('192.0.2.8');
    expect(clientIp('2001:DB8:0:0::1', undefined, [])).toBe('2001:db8::1');
  });

  it('reads the client from the header when the socket is a trusted proxy', () => {
    expect(clientIp('10.0.0.2', '198.51.100.7', ['10.0.0.2'])).toBe('198.51.100.7');
    expect(clientIp('::ffff:10.0.0.2', '198.51.100.7', ['10.0.0.2'])).toBe('198.51.100.7');
    expect(clientIp('10.0.0.2', '::ffff:198.51.100.7', ['10.0.0.0/24'])).toBe('198.51.100.7');
    expect(clientIp('10.0.0.2', ' 2001:db8::7 ', ['10.0.0.2'])).toBe('2001:db8::7');
  });

  it('walks right to left past trusted proxies and stops at the first untrusted hop', () => {
    // client 198.51.100.7 → proxy 10.0.0.3 → proxy 10.0.0.2 (socket)
    expect(clientIp('10.0.0.2', '198.51.100.7, 10.0.0.3', ['10.0.0.0/24'])).toBe('198.51.100.7');
    // The client wrote a fake first hop itself: only what trusted proxies appended is believed.
    expect(clientIp('10.0.0.2', '10.0.0.9, 192.0.2.66, 198.51.100.7', ['10.0.0.0/24'])).toBe('198.51.100.7');
    expect(clientIp('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.3', ['10.0.0.0/24'])).toBe('198.51.100.7');
  });

  it('uses the leftmost address when every hop is a trusted proxy', () => {
    expect(clientIp('10.0.0.2', '10.0.0.5, 10.0.0.3', ['10.0.0.0/24'])).toBe('10.0.0.5');
  });

  it('stops at a malformed hop and answers with the last trusted hop, never the spoofed value', () => {
    expect(clientIp('10.0.0.2', '198.51.100.7, garbage', ['10.0.0.0/24'])).toBe('10.0.0.2');
    expect(clientIp('10.0.0.2', '198.51.100.7, unknown, 10.0.0.3', ['10.0.0.0/24'])).toBe('10.0.0.3');
    expect(clientIp('10.0.0.2', '198.51.100.7,,10.0.0.3', ['10.0.0.0/24'])).toBe('10.0.0.3');
    expect(clientIp('10.0.0.2', '', ['10.0.0.0/24'])).toBe('10.0.0.2');
    expect(clientIp('10.0.0.2', ',', ['10.0.0.0/24'])).toBe('10.0.0.2');
    expect(clientIp('10.0.0.2', '198.51.100.7, 10.0.0.3 extra', ['10.0.0.0/24'])).toBe('10.0.0.2');
    expect(clientIp('10.0.0.2', '198.51.100.7, fe80::1%eth0', ['10.0.0.0/24'])).toBe('10.0.0.2');
  });

  it('accepts hops with a port, as some proxies write them', () => {
    expect(clientIp('10.0.0.2', '198.51.100.7:5123', ['10.0.0.2'])).toBe('198.51.100.7');
    expect(clientIp('10.0.0.2', '[2001:db8::7]:443', ['10.0.0.2'])).toBe('2001:db8::7');
    expect(clientIp('10.0.0.2', '[2001:db8::7]x', ['10.0.0.2'])).toBe('10.0.0.2');
  });

  it('gives up on absurdly long chains at the last trusted hop', () => {
    const chain = Array.from({ length: 100 }, () => '10.0.0.3').join(', ');
    expect(clientIp('10.0.0.2', `198.51.100.7, ${chain}`, ['10.0.0.0/24'])).toBe('10.0.0.3');
    expect(clientIp('10.0.0.2', `${'1.2.3.4,'.repeat(100_000)}198.51.100.7`, ['10.0.0.0/24'])).toBe('198.51.100.7');
  });

  it('ignores trusted-proxy entries that are not addresses or ranges (provider words)', () => {
    expect(clientIp('10.0.0.2', '198.51.100.7', ['CLOUDFLARE', 'nonsense', '10.0.0.2'])).toBe('198.51.100.7');
    expect(clientIp('10.0.0.2', '198.51.100.7', ['CLOUDFLARE'])).toBe('10.0.0.2');
  });

  it('trusts IPv6 proxies by range', () => {
    expect(clientIp('2001:db8::2', '2001:db8:aaaa::1, 2001:db8::3', ['2001:db8::/64'])).toBe('2001:db8:aaaa::1');
  });

  it('returns a socket address it cannot parse unchanged (the allowlist then refuses it)', () => {
    expect(clientIp('fe80::1%eth0', '198.51.100.7', ['fe80::1'])).toBe('fe80::1%eth0');
  });
});
