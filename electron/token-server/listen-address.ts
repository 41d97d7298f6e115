import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import ipaddr from 'ipaddr.js';
import type { TokenServerSettings } from '../../shared/token-server.dto.js';

/**
 * Where the token server listens and how clients reach it, defined once for the server, which binds the
 * address and refuses plain HTTP on the LAN (server.ts), and for its host, which reports where it answers
 * (host.ts).
 */

export function isLoopback(address: string): boolean {
  try {
    const parsed = ipaddr.process(address);
    return parsed.range() === 'loopback';
  } catch {
    return address === 'localhost';
  }
}

/** The address the server binds: the override, else `host` with LAN access on, else loopback. */
export function listenHostFor(settings: Pick<TokenServerSettings, 'lanAccess' | 'host'>, override?: string): string {
  return override ?? (settings.lanAccess ? settings.host : '127.0.0.1');
}

/** How the server will speak on an address. Exported for tests: a LAN address cannot be bound in them. */
export type Transport = 'tls' | 'plain-loopback' | 'plain-lan-opted-in';

/**
 * TLS unless the server listens on loopback only (credentials never leave the machine there), or the
 * admin explicitly opted in to plain HTTP on the LAN (logged when the setting changed, and at each start).
 */
export function chooseTransport(listenHost: string, settings: Pick<TokenServerSettings, 'plainHttpOnLan'>): Transport {
  if (isLoopback(listenHost)) return 'plain-loopback';
  return settings.plainHttpOnLan ? 'plain-lan-opted-in' : 'tls';
}

/**
 * Where clients reach the server. A wildcard address answers on loopback and on every LAN address of the
 * matching family; a specific address only there.
 */
export function reachableUrls(scheme: 'http' | 'https', host: string, port: number): string[] {
  if (!isWildcard(host)) return [urlOf(scheme, host, port)];
  const loopback = host === '::' ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  return [...loopback, ...lanAddresses(host).map((entry) => entry.address)].map((address) => urlOf(scheme, address, port));
}

/**
 * The server's own URL (its issuer unless the settings name one): the address it listens on, or for a
 * wildcard the machine's first LAN IPv4 address (loopback when it has none).
 */
export function serverUrl(scheme: 'http' | 'https', host: string, port: number): string {
  const address = isWildcard(host) ? (lanAddresses(host).find((entry) => entry.family === 'IPv4')?.address ?? '127.0.0.1') : host;
  return urlOf(scheme, address, port);
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::';

const urlOf = (scheme: string, address: string, port: number) => `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;

/** The machine's addresses other machines reach a wildcard at: IPv6 ones only on '::', and never link-local. */
function lanAddresses(wildcard: string): NetworkInterfaceInfo[] {
  const found: NetworkInterfaceInfo[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (entry.family === 'IPv6' && (wildcard !== '::' || entry.address.toLowerCase().startsWith('fe80:'))) continue;
      found.push(entry);
    }
  }
  return found;
}
