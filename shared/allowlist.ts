import ipaddr from 'ipaddr.js';
import { PROVIDERS, type Provider } from './domain.js';
import { message } from './messages.js';

export type AllowlistEntryKind = 'address' | 'cidr' | 'provider';

export interface AllowlistEntry {
  kind: AllowlistEntryKind;
  /** Canonical text: IPv4 dotted decimal, IPv6 RFC 5952 form, a network address with its prefix, or a provider word. */
  entry: string;
}

export type ParsedEntry = { ok: true; value: AllowlistEntry } | { ok: false; message: string };

/**
 * Parses one allowlist entry as an admin types it, strictly: only the forms people mean, so the stored
 * rule is exactly the one they read back. Shared by the forms (validation as you type) and the services.
 */
export function parseAllowlistEntry(input: string): ParsedEntry {
  const text = input.trim();
  if (text === '') return { ok: false, message: message('allowlistEmpty') };
  const word = text.toUpperCase().replace(/[\s-]+/g, '_');
  if ((PROVIDERS as readonly string[]).includes(word)) {
    return { ok: true, value: { kind: 'provider', entry: word as Provider } };
  }
  if (text.includes('/')) return parseCidr(text);
  const address = parseAddress(text);
  if (!address.ok) return address;
  return { ok: true, value: { kind: 'address', entry: address.value.toString() } };
}

function parseAddress(text: string): { ok: true; value: ipaddr.IPv4 | ipaddr.IPv6 } | { ok: false; message: string } {
  if (text.includes('%')) return { ok: false, message: message('zoneId', { text }) };
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return { ok: true, value: ipaddr.IPv4.parse(text) };
  if (/^[\d.]+$/.test(text)) {
    return { ok: false, message: message('badIpv4', { text }) };
  }
  if (ipaddr.IPv6.isValid(text) && text.includes(':')) {
    const v6 = ipaddr.IPv6.parse(text);
    // ::ffff:a.b.c.d is how an IPv4 client appears on a dual-stack socket: keep one spelling, the IPv4 one.
    return { ok: true, value: v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6 };
  }
  return { ok: false, message: message('notAnEntry', { text, providers: PROVIDERS.join(', ') }) };
}

function parseCidr(text: string): ParsedEntry {
  const [addressText = '', prefixText = '', ...rest] = text.split('/');
  if (rest.length > 0 || !/^\d{1,3}$/.test(prefixText) || (prefixText.length > 1 && prefixText.startsWith('0'))) {
    return { ok: false, message: message('prefixLength', { text }) };
  }
  const address = parseAddress(addressText);
  if (!address.ok) return address;
  let ip = address.value;
  let prefix = Number(prefixText);
  const mapped = addressText.includes(':') && ip.kind() === 'ipv4';
  if (mapped) {
    // ::ffff:10.0.0.0/104 is the mapped form of 10.0.0.0/8; a shorter prefix would reach beyond ::ffff:0:0/96.
    if (prefix < 96) return { ok: false, message: message('mappedPrefix', { text }) };
    prefix -= 96;
  }
  const max = ip.kind() === 'ipv4' ? 32 : 128;
  if (prefix < 0 || prefix > max) {
    return { ok: false, message: message('prefixRange', { text, family: ip.kind() === 'ipv4' ? 'IPv4' : 'IPv6', max }) };
  }
  const network = networkAddress(ip, prefix);
  if (network.toString() !== ip.toString()) {
    return { ok: false, message: message('hostBits', { text, network: network.toString(), prefix }) };
  }
  ip = network;
  if (prefix === max) return { ok: true, value: { kind: 'address', entry: ip.toString() } };
  return { ok: true, value: { kind: 'cidr', entry: `${ip.toString()}/${prefix}` } };
}

function networkAddress(ip: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
  if (ip.kind() === 'ipv4') return ipaddr.IPv4.networkAddressFromCIDR(`${ip.toString()}/${prefix}`);
  return ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/${prefix}`);
}
