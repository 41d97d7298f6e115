import type { Provider } from './domain.js';

/** The provider-range snapshots as the UI and CLI show them. Times are epoch ms or ISO text as noted; absent is null. */

/** `missing`: no snapshot yet, the word matches nothing. `damaged`: the stored file could not be read, same effect. */
export type RangeSnapshotStatus = 'loaded' | 'missing' | 'damaged';

export interface RangeInfo {
  provider: Provider;
  status: RangeSnapshotStatus;
  /** The provider's own publication time (ISO 8601 UTC), or null where the provider's file has none. */
  publishedAt: string | null;
  /** Where publishedAt comes from: inside the file, its published file name, or the server's Last-Modified header. */
  publishedAtSource: 'file' | 'file name' | 'Last-Modified' | null;
  /** The provider's serial (syncToken, changeNumber), when it has one. */
  version: string | null;
  /** When Keyrack downloaded or imported the snapshot (epoch ms). */
  fetchedAt: number | null;
  /** The URL(s) downloaded, or file:… for an import. */
  source: string | null;
  /** Prefixes in the snapshot: all, IPv4, IPv6. */
  count: number;
  ipv4Count: number;
  ipv6Count: number;
  /** For people: what this state means (e.g. "no snapshot yet: the word AWS matches no address"). */
  note: string | null;
}

export type RangeUpdateOutcome =
  | { provider: Provider; ok: true; info: RangeInfo; bytes: number }
  /** The previous snapshot (if any) is kept unchanged. */
  | { provider: Provider; ok: false; error: string; previous: RangeInfo };

export interface RangeUpdateReport {
  results: RangeUpdateOutcome[];
  /** True when every provider asked for was updated. */
  ok: boolean;
}
