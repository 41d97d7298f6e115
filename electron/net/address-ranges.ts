import { FAMILY_V4, FAMILY_V6, parseIpExact } from './ip-address.js';

/**
 * A set of IP ranges compiled for lookup: sorted, merged, non-overlapping intervals per family and a binary
 * search. IPv4 intervals are uint32 pairs; IPv6 intervals are four-word (128-bit) pairs compared word by word,
 * which measured faster than BigInt keys (see bench/allowlist.ts) and allocates nothing per lookup.
 */
export class AddressRanges {
  private constructor(
    private readonly v4Starts: Uint32Array,
    private readonly v4Ends: Uint32Array,
    /** Four words per interval, most significant first. */
    private readonly v6Starts: Uint32Array,
    private readonly v6Ends: Uint32Array,
  ) {}

  static readonly empty = new AddressRanges(new Uint32Array(0), new Uint32Array(0), new Uint32Array(0), new Uint32Array(0));

  /** Compiles CIDR ranges (or bare addresses); throws CidrError on the first one that is not a range. */
  static fromCidrs(cidrs: Iterable<string>): AddressRanges {
    const v4: number[] = [];
    const v6: Uint32Array[] = [];
    for (const text of cidrs) {
      const range = parseCidrRange(text);
      if (range.family === FAMILY_V4) v4.push(range.start, range.end);
      else v6.push(range.words);
    }
    const [v4Starts, v4Ends] = mergeV4(v4);
    const [v6Starts, v6Ends] = mergeV6(v6);
    return new AddressRanges(v4Starts, v4Ends, v6Starts, v6Ends);
  }

  /** Merged interval counts (for info and benchmarks; overlapping or adjacent prefixes count once). */
  get intervalCounts(): { v4: number; v6: number } {
    return { v4: this.v4Starts.length, v6: this.v6Starts.length / 4 };
  }

  get isEmpty(): boolean {
    return this.v4Starts.length === 0 && this.v6Starts.length === 0;
  }

  containsV4(ip: number): boolean {
    const starts = this.v4Starts;
    // Find the last interval whose start is ≤ ip; the address is inside iff it is ≤ that interval's end.
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && ip <= this.v4Ends[found]!;
  }

  /** `ip` holds four words, most significant first. */
  containsV6(ip: Uint32Array): boolean {
    const starts = this.v6Starts;
    let lo = 0;
    let hi = starts.length / 4 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(starts, mid * 4, ip) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && compareWords(this.v6Ends, found * 4, ip) >= 0;
  }
}

export class CidrError extends Error {
  override name = 'CidrError';
}

type CidrRange = { family: 4; start: number; end: number } | { family: 6; words: Uint32Array /* start[4], end[4] */ };

const scratch = new Uint32Array(4);

/**
 * One range from a provider file or an allowlist: `address/prefix` or a bare address. Host bits below the
 * prefix are ignored (the network is what a published prefix means). IPv4-mapped IPv6 stays IPv6 here:
 * clients are normalised to IPv4 before lookup, and allowlist entries are already canonical IPv4.
 */
export function parseCidrRange(text: string): CidrRange {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const family = parseIpExact(addressText, scratch);
  if (family !== FAMILY_V4 && family !== FAMILY_V6) throw new CidrError(`${quote(text)} is not an IP address or CIDR range`);
  const max = family === FAMILY_V4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
      throw new CidrError(`${quote(text)}: the prefix length must be 0 to ${max}`);
    }
    prefix = Number(prefixText);
  }
  if (family === FAMILY_V4) {
    const hostMask = prefix === 0 ? 0xffffffff : prefix === 32 ? 0 : (0xffffffff >>> prefix);
    const start = (scratch[0]! & ~hostMask) >>> 0;
    return { family: 4, start, end: (start | hostMask) >>> 0 };
  }
  const words = new Uint32Array(8);
  for (let k = 0; k < 4; k++) {
    const bits = Math.min(32, Math.max(0, prefix - 32 * k)); // network bits inside word k
    const hostMask = bits === 0 ? 0xffffffff : bits === 32 ? 0 : (0xffffffff >>> bits);
    words[k] = (scratch[k]! & ~hostMask) >>> 0;
    words[4 + k] = (words[k]! | hostMask) >>> 0;
  }
  return { family: 6, words };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function compareWords(array: Uint32Array, offset: number, ip: Uint32Array): number {
  for (let k = 0; k < 4; k++) {
    const a = array[offset + k]!;
    const b = ip[k]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** `pairs` is start, end, start, end…; returns merged sorted starts and ends (adjacent intervals joined). */
function mergeV4(pairs: number[]): [Uint32Array, Uint32Array] {
  const order = Array.from({ length: pairs.length / 2 }, (_, i) => i).sort(
    (a, b) => pairs[2 * a]! - pairs[2 * b]! || pairs[2 * a + 1]! - pairs[2 * b + 1]!,
  );
  const starts: number[] = [];
  const ends: number[] = [];
  for (const i of order) {
    const start = pairs[2 * i]!;
    const end = pairs[2 * i + 1]!;
    const last = ends.length - 1;
    if (last >= 0 && start <= ends[last]! + 1) {
      if (end > ends[last]!) ends[last] = end;
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  return [Uint32Array.from(starts), Uint32Array.from(ends)];
}

function mergeV6(ranges: Uint32Array[]): [Uint32Array, Uint32Array] {
  const sorted = [...ranges].sort((a, b) => compareWords(a, 0, b) || compareWords(a, 4, b.subarray(4)));
  const starts: Uint32Array[] = [];
  const ends: Uint32Array[] = [];
  for (const range of sorted) {
    const start = range.subarray(0, 4);
    const end = range.subarray(4, 8);
    const lastEnd = ends[ends.length - 1];
    if (lastEnd && !startsAfterNext(start, lastEnd)) {
      if (compareWords(end, 0, lastEnd) > 0) ends[ends.length - 1] = end;
    } else {
      starts.push(start);
      ends.push(end);
    }
  }
  const flatten = (list: Uint32Array[]) => {
    const flat = new Uint32Array(list.length * 4);
    list.forEach((words, i) => flat.set(words, i * 4));
    return flat;
  };
  return [flatten(starts), flatten(ends)];
}

/** True when `start` > `end` + 1, i.e. the interval at `start` neither overlaps nor touches the one ending at `end`. */
function startsAfterNext(start: Uint32Array, end: Uint32Array): boolean {
  const next = new Uint32Array(end);
  for (let k = 3; k >= 0; k--) {
    next[k] = (next[k]! + 1) >>> 0;
    if (next[k] !== 0) break;
    if (k === 0) return false; // end is the last address: nothing comes after it
  }
  return compareWords(start, 0, next) > 0;
}
