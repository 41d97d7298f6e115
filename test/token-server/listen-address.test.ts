import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, test, vi } from 'vitest';
import { reachableUrls, serverUrl } from '../../electron/token-server/listen-address.js';

/** A machine with a loopback, a LAN card with IPv4, a global and a link-local IPv6 address, and a second card. */
vi.mock('node:os', async (importOriginal) => {
  const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
  return {
    ...(await importOriginal<typeof import('node:os')>()),
    networkInterfaces: () => ({
      lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
      eth0: [entry('fe80::1', 'IPv6'), entry('2001:db8::20', 'IPv6'), entry('192.168.1.20', 'IPv4')],
      eth1: [entry('10.0.0.5', 'IPv4')],
    }),
  };
});

describe('where the token server is reached', () => {
  test('a specific address only there, IPv6 in brackets', () => {
    expect(reachableUrls('https', '192.168.1.20', 8443)).toEqual(['https://192.168.1.20:8443']);
    expect(reachableUrls('http', '::1', 8080)).toEqual(['http://[::1]:8080']);
    expect(serverUrl('http', '::1', 8080)).toBe('http://[::1]:8080');
  });

  test('the IPv4 wildcard: loopback, then every LAN IPv4 address; its URL names the first LAN one', () => {
    expect(reachableUrls('https', '0.0.0.0', 8443)).toEqual(['https://127.0.0.1:8443', 'https://192.168.1.20:8443', 'https://10.0.0.5:8443']);
    expect(serverUrl('https', '0.0.0.0', 8443)).toBe('https://192.168.1.20:8443');
  });

  test('the IPv6 wildcard: both loopbacks, then LAN addresses of both families but link-local; its URL is still IPv4', () => {
    expect(reachableUrls('https', '::', 8443)).toEqual([
      'https://127.0.0.1:8443',
      'https://[::1]:8443',
      'https://[2001:db8::20]:8443',
      'https://192.168.1.20:8443',
      'https://10.0.0.5:8443',
    ]);
    expect(serverUrl('https', '::', 8443)).toBe('https://192.168.1.20:8443');
  });
});
