/**
 * Allocation-free IP address parsing for the hot path (every token request parses its client address).
 * IPv4 becomes one uint32; IPv6 four uint32 words, most significant first. ipaddr.js would do, but it
 * allocates several objects per call; this parser writes into a caller's scratch array instead.
 */

export const FAMILY_INVALID = 0;
export const FAMILY_V4 = 4;
export const FAMILY_V6 = 6;
export type Family = typeof FAMILY_INVALID | typeof FAMILY_V4 | typeof FAMILY_V6;

/** Scratch for the eight 16-bit groups of an IPv6 address (module level: parsing is synchronous). */
const groups = new Uint32Array(8);

/**
 * Parses `text` into `out` (length ≥ 4). IPv4 goes to out[0]. An IPv4-mapped IPv6 address (::ffff:a.b.c.d,
 * RFC 4291 §2.5.5.2) is how an IPv4 client appears on a dual-stack socket, so it is returned as IPv4.
 * Strict: dotted decimal without leading zeros, RFC 4291 §2.2 text forms, no zone id (%eth0), no brackets.
 */
export function parseIpInto(text: string, out: Uint32Array): Family {
  const family = parseIpExact(text, out);
  if (family === FAMILY_V6 && out[0] === 0 && out[1] === 0 && out[2] === 0xffff) {
    out[0] = out[3]!;
    return FAMILY_V4;
  }
  return family;
}

/** As parseIpInto, but an IPv4-mapped IPv6 address stays IPv6 (for range files, where the spelling is the rule). */
export function parseIpExact(text: string, out: Uint32Array): Family {
  if (text.indexOf(':') >= 0) return parseV6(text, out);
  const v4 = parseV4(text, 0, text.length);
  if (v4 < 0) return FAMILY_INVALID;
  out[0] = v4;
  return FAMILY_V4;
}

/** Dotted-decimal IPv4 in text[start, end) as a non-negative uint32, or -1. */
function parseV4(text: string, start: number, end: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  let first = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 /* . */ : text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      else if (first === 48) return -1; // leading zero: 010 reads as octal to some parsers, so refuse it
      part = part * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else if (c === 46) {
      if (digits === 0) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function parseV6(text: string, out: Uint32Array): Family {
  const n = text.length;
  if (n < 2 || n > 45) return FAMILY_INVALID;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return FAMILY_INVALID; // a lone leading colon
    gap = 0;
    i = 2;
  }
  while (i < n) {
    const groupStart = i;
    let value = 0;
    let digits = 0;
    while (i < n) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 46) {
      // Trailing dotted quad (::ffff:1.2.3.4): it fills the last two groups.
      if (count > 6) return FAMILY_INVALID;
      const v4 = parseV4(text, groupStart, n);
      if (v4 < 0) return FAMILY_INVALID;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = n;
      break;
    }
    if (digits === 0 || digits > 4 || count === 8) return FAMILY_INVALID;
    groups[count++] = value;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return FAMILY_INVALID;
    i++;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return FAMILY_INVALID; // only one :: per address
      gap = count;
      i++;
    } else if (i === n) {
      return FAMILY_INVALID; // a trailing single colon
    }
  }
  // RFC 4291 §2.2: "::" stands for one or more groups of zeros, so with it at most seven are written.
  if (gap < 0 ? count !== 8 : count > 7) return FAMILY_INVALID;
  const missing = 8 - count;
  let word = 0;
  let high = 0;
  for (let k = 0; k < 8; k++) {
    let g: number;
    if (gap < 0 || k < gap) g = groups[k]!;
    else if (k < gap + missing) g = 0;
    else g = groups[k - missing]!;
    if ((k & 1) === 0) high = g;
    else out[word++] = ((high << 16) | g) >>> 0;
  }
  return FAMILY_V6;
}

/** RFC 5952 §4 text of four IPv6 words: lower case, no leading zeros, the longest run (≥ 2) of zero groups as ::. */
export function formatV6(words: ArrayLike<number>): string {
  const g: number[] = [];
  for (let k = 0; k < 4; k++) g.push(words[k]! >>> 16, words[k]! & 0xffff);
  let bestStart = -1;
  let bestLength = 1;
  for (let k = 0; k < 8; ) {
    if (g[k] !== 0) {
      k++;
      continue;
    }
    let end = k;
    while (end < 8 && g[end] === 0) end++;
    if (end - k > bestLength) {
      bestStart = k;
      bestLength = end - k;
    }
    k = end;
  }
  const hex = (from: number, to: number) => g.slice(from, to).map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

export function formatV4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}
