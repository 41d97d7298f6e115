import type { AllowlistEntry } from '../../shared/allowlist.js';
import type { Provider } from '../../shared/domain.js';
import type { ProviderRangeSet } from '../ranges/types.js';
import { AddressRanges } from './address-ranges.js';
import { FAMILY_V4, FAMILY_V6, parseIpInto } from './ip-address.js';

export interface AllowlistChecker {
  /**
   * Whether a client address may use a credential with these allowlist entries. An empty list allows any
   * address. A provider word matches that provider's ranges in the current snapshot (nothing without one).
   * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 entries. A malformed address, or one with a zone
   * id, never matches a non-empty list.
   */
  isAllowed(entries: readonly AllowlistEntry[], ip: string): boolean;
}

/** One allowlist compiled: its own addresses and ranges merged, plus the provider words it names. */
interface CompiledAllowlist {
  own: AddressRanges;
  providers: readonly Provider[];
}

export interface AllowlistCheckerOptions {
  /** Distinct allowlists kept compiled; the cache starts over when it fills (default 4096). */
  cacheSize?: number;
}

/**
 * Called on every token request. Each distinct list is compiled once (keyed by its entries' text, so a list
 * read fresh from the database per request still hits the cache); provider words are looked up in the
 * snapshot `ranges()` returns at call time, so an updated snapshot takes effect without recompiling.
 */
export function createAllowlistChecker(ranges: () => ProviderRangeSet, options: AllowlistCheckerOptions = {}): AllowlistChecker {
  const cacheSize = options.cacheSize ?? 4096;
  const cache = new Map<string, CompiledAllowlist>();
  const address = new Uint32Array(4);

  // The token server hands the same array for a user while its grant facts are cached (grant-facts.ts),
  // so the identity lookup answers most calls without building the text key. Lists are never mutated.
  const byIdentity = new WeakMap<readonly AllowlistEntry[], CompiledAllowlist>();

  const compiledFor = (entries: readonly AllowlistEntry[]): CompiledAllowlist => {
    const known = byIdentity.get(entries);
    if (known) return known;
    let key = '';
    for (const e of entries) key += `${e.kind}:${e.entry},`;
    let compiled = cache.get(key);
    if (!compiled) {
      compiled = compile(entries);
      if (cache.size >= cacheSize) cache.clear();
      cache.set(key, compiled);
    }
    byIdentity.set(entries, compiled);
    return compiled;
  };

  return {
    isAllowed(entries, ip) {
      if (entries.length === 0) return true;
      const family = parseIpInto(ip, address);
      if (family !== FAMILY_V4 && family !== FAMILY_V6) return false;
      const list = compiledFor(entries);
      if (contains(list.own, family, address)) return true;
      if (list.providers.length === 0) return false;
      const set = ranges();
      for (const provider of list.providers) {
        const providerRanges = set.providers.get(provider);
        if (providerRanges && contains(providerRanges, family, address)) return true;
      }
      return false;
    },
  };
}

function contains(ranges: AddressRanges, family: number, address: Uint32Array): boolean {
  return family === FAMILY_V4 ? ranges.containsV4(address[0]!) : ranges.containsV6(address);
}

function compile(entries: readonly AllowlistEntry[]): CompiledAllowlist {
  const cidrs: string[] = [];
  const providers = new Set<Provider>();
  for (const e of entries) {
    if (e.kind === 'provider') providers.add(e.entry as Provider);
    else cidrs.push(e.entry);
  }
  let own: AddressRanges;
  try {
    own = AddressRanges.fromCidrs(cidrs);
  } catch {
    // Entries are validated when saved, so this is a damaged row: fail closed for the addresses, keep the words.
    own = AddressRanges.fromCidrs(cidrs.filter(isRange));
  }
  return { own, providers: [...providers] };
}

function isRange(text: string): boolean {
  try {
    AddressRanges.fromCidrs([text]);
    return true;
  } catch {
    return false;
  }
}
