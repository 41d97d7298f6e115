import { parseAllowlistEntry } from '../../shared/allowlist.js';
import { AddressRanges } from './address-ranges.js';
import { FAMILY_V4, FAMILY_V6, formatV4, formatV6, parseIpInto } from './ip-address.js';

/** A chain longer than this is not a real proxy path; the walk stops at the last trusted hop. */
const MAX_FORWARDED_HOPS = 32;

/**
 * The address a request really comes from. The socket address, unless that is one of the admin's trusted
 * proxies (addresses or CIDR ranges); then X-Forwarded-For is walked right to left (each proxy appends the
 * address it saw), skipping trusted proxies, and the first untrusted address is the client. Anything left of
 * it was written by the client itself and is never believed. A malformed entry, or a chain longer than
 * MAX_FORWARDED_HOPS, stops the walk: the answer is then the last trusted hop, never a value the client chose.
 * The result is canonical (IPv4-mapped IPv6 as IPv4, IPv6 in RFC 5952 form), so one client has one spelling
 * in allowlist checks, rate limits and the log.
 */
export function clientIp(socketAddress: string, forwardedFor: string | undefined, trustedProxies: readonly string[]): string {
  const socket = canonical(socketAddress);
  if (socket === null) return socketAddress; // not an address: the allowlist checker refuses it
  if (trustedProxies.length === 0 || forwardedFor === undefined) return socket;
  const trusted = trustedSet(trustedProxies);
  if (!isTrusted(trusted, socket)) return socket;

  let lastTrusted = socket;
  let end = forwardedFor.length;
  for (let hops = 0; hops < MAX_FORWARDED_HOPS && end >= 0; hops++) {
    const comma = forwardedFor.lastIndexOf(',', end - 1);
    const hop = canonical(stripPort(forwardedFor.slice(comma + 1, end).trim()));
    if (hop === null) return lastTrusted;
    if (!isTrusted(trusted, hop)) return hop;
    lastTrusted = hop;
    if (comma < 0) break;
    end = comma;
  }
  return lastTrusted;
}

const scratch = new Uint32Array(4);

function canonical(text: string): string | null {
  const family = parseIpInto(text, scratch);
  if (family === FAMILY_V4) return formatV4(scratch[0]!);
  if (family === FAMILY_V6) return formatV6(scratch);
  return null;
}

/** Some proxies write `1.2.3.4:5678` or `[2001:db8::1]:443`; the port is not part of the address. */
function stripPort(text: string): string {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    return close > 0 && (close === text.length - 1 || text[close + 1] === ':') ? text.slice(1, close) : text;
  }
  const colon = text.indexOf(':');
  if (colon > 0 && colon === text.lastIndexOf(':') && text.indexOf('.') >= 0) return text.slice(0, colon);
  return text;
}

let cachedKey = '';
let cachedSet = AddressRanges.empty;

/** The trusted list rarely changes, so the last one compiled is kept. */
function trustedSet(trustedProxies: readonly string[]): AddressRanges {
  const key = trustedProxies.join(',');
  if (key !== cachedKey) {
    cachedSet = compileAddressList(trustedProxies);
    cachedKey = key;
  }
  return cachedSet;
}

/**
 * Addresses and CIDR ranges as an admin typed them in a setting (trusted proxies, who may read /metrics),
 * compiled for lookups with addressInList. Entries that are not addresses (provider words) are ignored.
 */
export function compileAddressList(entries: readonly string[]): AddressRanges {
  const cidrs: string[] = [];
  for (const text of entries) {
    const parsed = parseAllowlistEntry(text);
    if (parsed.ok && parsed.value.kind !== 'provider') cidrs.push(parsed.value.entry);
  }
  return AddressRanges.fromCidrs(cidrs);
}

/** Whether `address` (any spelling) is one of the admin's trusted proxies. */
export function isTrustedProxy(address: string, trustedProxies: readonly string[]): boolean {
  return trustedProxies.length > 0 && isTrusted(trustedSet(trustedProxies), address);
}

/** Whether `address` (any spelling) is in a list compileAddressList made. */
export function addressInList(list: AddressRanges, address: string): boolean {
  return isTrusted(list, address);
}

function isTrusted(trusted: AddressRanges, address: string): boolean {
  const family = parseIpInto(address, scratch);
  if (family === FAMILY_V4) return trusted.containsV4(scratch[0]!);
  if (family === FAMILY_V6) return trusted.containsV6(scratch);
  return false;
}
