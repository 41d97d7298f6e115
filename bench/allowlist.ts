/**
 * Allowlist matching with all five providers' ranges loaded (the real files of 2025-07-25), on one core.
 * Prints checks/s for hits and misses, IPv4, IPv4-mapped and IPv6, against a naive peer in the same run
 * (ipaddr.js `match` over every range, which is what a straightforward implementation does) and the ratio.
 * Also: compile time of the five providers, and the IPv6 lookup with BigInt keys instead of 32-bit words.
 *
 *   npm run bench:allowlist            (KEYRACK_RANGES_FIXTURES=<dir> to point at the fixture files)
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import type { AllowlistEntry } from '../shared/allowlist.js';
import { PROVIDERS, type Provider } from '../shared/domain.js';
import { AddressRanges, parseCidrRange } from '../electron/net/address-ranges.js';
import { createAllowlistChecker } from '../electron/net/allowlist-checker.js';
import { formatV4, formatV6, FAMILY_V6, parseIpInto } from '../electron/net/ip-address.js';
import { parseProviderFiles } from '../electron/ranges/parsers/index.js';
import { MIRROR_FILE_NAMES } from '../electron/ranges/sources.js';
import type { ProviderRangeSet } from '../electron/ranges/types.js';

const FIXTURES = process.env.KEYRACK_RANGES_FIXTURES ??
  fileURLToPath(new URL('../../../shared/fixtures/cloud-ranges/', import.meta.url)); // from dist/bench/

// ---- load -------------------------------------------------------------------------------------------
const prefixes = new Map<Provider, string[]>();
for (const provider of PROVIDERS) {
  const files = MIRROR_FILE_NAMES[provider].map((name) => ({ name, text: readFileSync(`${FIXTURES}/${name}`, 'utf8') }));
  prefixes.set(provider, parseProviderFiles(provider, files).prefixes);
}
const allPrefixes = [...prefixes.values()].flat();
let t0 = performance.now();
const compiled = new Map<Provider, AddressRanges>();
for (const [provider, list] of prefixes) compiled.set(provider, AddressRanges.fromCidrs(list));
const compileMs = performance.now() - t0;
const set: ProviderRangeSet = { providers: compiled };
const entries: AllowlistEntry[] = PROVIDERS.map((p) => ({ kind: 'provider', entry: p }));
// A realistic list: the five words plus the office's own addresses.
entries.push({ kind: 'cidr', entry: '192.168.0.0/16' }, { kind: 'address', entry: '203.0.113.10' });
const checker = createAllowlistChecker(() => set);

// ---- the naive peer -----------------------------------------------------------------------------------
const naiveRanges = allPrefixes.map((c) => ipaddr.parseCIDR(c));
naiveRanges.push(ipaddr.parseCIDR('192.168.0.0/16'), ipaddr.parseCIDR('203.0.113.10/32'));
function naiveIsAllowed(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip); // maps ::ffff:a.b.c.d to IPv4
  for (const [network, bits] of naiveRanges) {
    if (network.kind() === address.kind() && address.match(network, bits)) return true;
  }
  return false;
}

// ---- samples ------------------------------------------------------------------------------------------
let seed = 0x2025_0725;
const random = () => {
  // xorshift32: deterministic samples, so runs compare
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};
const word = () => Math.floor(random() * 0x1_0000_0000) >>> 0;

function addressInside(cidr: string): string {
  const range = parseCidrRange(cidr);
  if (range.family === 4) return formatV4((range.start + Math.floor(random() * (range.end - range.start + 1))) >>> 0);
  const w = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    const start = range.words[k]!;
    const end = range.words[4 + k]!;
    w[k] = (start + Math.floor(random() * (end - start + 1))) >>> 0;
  }
  return formatV6(w);
}

const v4Prefixes = allPrefixes.filter((p) => !p.includes(':'));
const v6Prefixes = allPrefixes.filter((p) => p.includes(':'));
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

function samples(make: () => string, wanted: boolean, count = 2000): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const ip = make();
    if (naiveIsAllowed(ip) === wanted) out.push(ip);
  }
  return out;
}

t0 = performance.now();
const cases: [string, string[]][] = [
  ['IPv4 hit', samples(() => addressInside(pick(v4Prefixes)), true)],
  ['IPv4 miss', samples(() => formatV4(word()), false)],
  ['IPv4-mapped hit', samples(() => `::ffff:${addressInside(pick(v4Prefixes))}`, true)],
  ['IPv6 hit', samples(() => addressInside(pick(v6Prefixes)), true)],
  ['IPv6 miss', samples(() => formatV6(Uint32Array.of(0x2000_0000 + (word() & 0x1fff_ffff), word(), word(), word())), false)],
];
const sampleMs = performance.now() - t0;

// ---- measure -----------------------------------------------------------------------------------------
function checksPerSecond(list: readonly string[], check: (ip: string) => boolean, minMs: number): number {
  let done = 0;
  let hits = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const ip of list) if (check(ip)) hits++;
    done += list.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  if (hits < 0) console.log(hits); // keeps the loop from being optimised away
  return (done / elapsed) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`Allowlist matching, all five providers loaded (fixtures of 2025-07-25), Node ${process.version}, one core`);
// The machine is shared: checks/s mean little without how busy it was.
console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(', ')}`);
for (const [provider, ranges] of compiled) {
  const c = ranges.intervalCounts;
  console.log(`  ${provider.padEnd(14)} ${String(prefixes.get(provider)!.length).padStart(6)} prefixes -> ${c.v4} IPv4 + ${c.v6} IPv6 merged intervals`);
}
console.log(`  compile all five: ${compileMs.toFixed(1)} ms   (sampling with the naive check: ${(sampleMs / 1000).toFixed(1)} s)`);
console.log('  allowlist: AWS, GOOGLE, AZURE, CLOUDFLARE, DIGITAL_OCEAN, 192.168.0.0/16, 203.0.113.10\n');

// Both must agree on every sample before any number means anything.
for (const [name, list] of cases) {
  for (const ip of list) {
    if (checker.isAllowed(entries, ip) !== naiveIsAllowed(ip)) throw new Error(`disagreement on ${name} ${ip}`);
  }
}

console.log(`${'case'.padEnd(16)} ${'keyrack checks/s'.padStart(17)} ${'naive checks/s'.padStart(15)} ${'ratio'.padStart(8)}`);
const all: number[] = [];
for (const [name, list] of cases) {
  const ours = median([1, 2, 3].map(() => checksPerSecond(list, (ip) => checker.isAllowed(entries, ip), 400)));
  const naive = median([1, 2, 3].map(() => checksPerSecond(list.slice(0, 200), naiveIsAllowed, 300)));
  all.push(ours);
  console.log(`${name.padEnd(16)} ${fmt(ours).padStart(17)} ${fmt(naive).padStart(15)} ${`${fmt(ours / naive)}x`.padStart(8)}`);
}
const mixed = cases.flatMap(([, list]) => list);
const mixedOurs = median([1, 2, 3].map(() => checksPerSecond(mixed, (ip) => checker.isAllowed(entries, ip), 500)));
console.log(`${'mixed'.padEnd(16)} ${fmt(mixedOurs).padStart(17)}`);
console.log(`\nslowest case: ${fmt(Math.min(...all))} checks/s (target >= 500,000): ${Math.min(...all, mixedOurs) >= 500_000 ? 'met' : 'NOT met'}`);

// ---- design check: IPv6 lookup keyed by BigInt instead of four 32-bit words ---------------------------
const v6Bigint = (() => {
  const ranges = v6Prefixes.map((c) => {
    const r = parseCidrRange(c);
    if (r.family !== 6) throw new Error('not IPv6');
    const big = (w: Uint32Array, o: number) =>
      (BigInt(w[o]!) << 96n) | (BigInt(w[o + 1]!) << 64n) | (BigInt(w[o + 2]!) << 32n) | BigInt(w[o + 3]!);
    return [big(r.words, 0), big(r.words, 4)] as const;
  });
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  for (const [s, e] of ranges) {
    if (ends.length > 0 && s <= ends[ends.length - 1]! + 1n) {
      if (e > ends[ends.length - 1]!) ends[ends.length - 1] = e;
    } else {
      starts.push(s);
      ends.push(e);
    }
  }
  const out = new Uint32Array(4);
  return (ip: string) => {
    if (parseIpInto(ip, out) !== FAMILY_V6) return false;
    const key = (BigInt(out[0]!) << 96n) | (BigInt(out[1]!) << 64n) | (BigInt(out[2]!) << 32n) | BigInt(out[3]!);
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= key) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && key <= ends[found]!;
  };
})();
const all6 = AddressRanges.fromCidrs(v6Prefixes);
const words6 = (() => {
  const out = new Uint32Array(4);
  return (ip: string) => parseIpInto(ip, out) === FAMILY_V6 && all6.containsV6(out);
})();
const v6Samples = [...cases[3]![1], ...cases[4]![1]];
for (const ip of v6Samples) if (v6Bigint(ip) !== words6(ip)) throw new Error(`BigInt variant disagrees on ${ip}`);
const bigRate = median([1, 2, 3].map(() => checksPerSecond(v6Samples, v6Bigint, 300)));
const wordRate = median([1, 2, 3].map(() => checksPerSecond(v6Samples, words6, 300)));
console.log(`\nIPv6 lookup (parse + search, all providers' IPv6 merged): 32-bit words ${fmt(wordRate)}/s, BigInt keys ${fmt(bigRate)}/s`);
