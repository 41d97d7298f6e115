import type { Provider } from '../../shared/domain.js';
import type { AddressRanges } from '../net/address-ranges.js';

/**
 * The providers' ranges as the allowlist checker reads them: one compiled set per provider that has a
 * snapshot. A provider that is absent has no snapshot yet, and its word matches nothing.
 * Immutable: the store swaps in a new object when a snapshot changes.
 */
export interface ProviderRangeSet {
  readonly providers: ReadonlyMap<Provider, AddressRanges>;
}

export const EMPTY_RANGE_SET: ProviderRangeSet = { providers: new Map() };

/** What a parser reads out of a provider's file. */
export interface ParsedRanges {
  /** CIDR prefixes as published (deduplicated, in file order). */
  prefixes: string[];
  /** The provider's own publication time (ISO 8601, UTC), when the file carries one. */
  publishedAt: string | null;
  /** The provider's own serial (AWS/Google syncToken, Azure changeNumber), when the file carries one. */
  version: string | null;
}

/** A snapshot as stored in the data folder, one file per provider. */
export interface RangeSnapshot extends ParsedRanges {
  format: 1;
  provider: Provider;
  /** When Keyrack downloaded or imported it (epoch ms). */
  fetchedAt: number;
  /** Where it came from: the URL(s) downloaded, or `file:` and the imported path(s). */
  source: string;
}
