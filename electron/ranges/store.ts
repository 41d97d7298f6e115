import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PROVIDERS, type Provider } from '../../shared/domain.js';
import type { RangeInfo, RangeUpdateOutcome, RangeUpdateReport } from '../../shared/ranges.dto.js';
import { AddressRanges } from '../net/address-ranges.js';
import { downloadProvider } from './download.js';
import { detectProvider, parseProviderFiles, RangesFormatError, type RangeFile } from './parsers/index.js';
import { readSnapshot, snapshotPath, writeSnapshot, type ReadResult, type StoredSnapshot } from './snapshot-files.js';
import { OFFICIAL_SOURCES, type RangeSource } from './sources.js';
import { EMPTY_RANGE_SET, type ProviderRangeSet } from './types.js';

export type { ProviderRangeSet } from './types.js';

export interface RangesStoreOptions {
  /** Epoch ms for fetchedAt (tests pass their clock). */
  now?: () => number;
  /** How often current() looks for snapshots another process wrote (the CLI while the app serves); default 5 s. */
  recheckMs?: number;
}

/** Progress of `update`, one event when a provider starts and one when it ends. */
export type RangeUpdateProgress =
  | { provider: Provider; phase: 'start'; urls: string[] }
  | ({ phase: 'done' } & RangeUpdateOutcome);

export interface RangeUpdateOptions {
  /** Default: all five. */
  providers?: readonly Provider[];
  /** Replace some or all sources (a mirror, or a local test server). */
  sources?: Partial<Record<Provider, RangeSource>>;
  /** Per provider; default 60 s. */
  timeoutMs?: number;
  /** Per file; default 32 MiB (Azure's file is about 4 MB). */
  maxBytes?: number;
  onProgress?: (event: RangeUpdateProgress) => void;
  fetch?: typeof fetch;
}

/** Largest file `importFile` reads. */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

interface Loaded {
  read: ReadResult;
  ranges: AddressRanges | null;
  ipv4Count: number;
  ipv6Count: number;
  /** Identity of the file it came from (inode, size, mtime), to notice another process's writes. */
  fileStamp: string;
}

/**
 * The providers' published ranges: dated snapshots in the data folder, compiled for the allowlist checker.
 * `current()` is cheap and returns the same object until a snapshot changes.
 */
export class ProviderRangesStore {
  private loaded = new Map<Provider, Loaded>();
  private set: ProviderRangeSet = EMPTY_RANGE_SET;
  private lastCheck = 0;
  private readonly now: () => number;
  private readonly recheckMs: number;

  private constructor(
    readonly dataDir: string,
    options: RangesStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.recheckMs = options.recheckMs ?? 5000;
    this.reload();
  }

  static open(dataDir: string, options: RangesStoreOptions = {}): ProviderRangesStore {
    return new ProviderRangesStore(dataDir, options);
  }

  /** The compiled ranges; also picks up snapshots written by another process, at most once per recheckMs. */
  current(): ProviderRangeSet {
    const t = performance.now();
    if (t - this.lastCheck >= this.recheckMs) {
      this.lastCheck = t;
      this.reload();
    }
    return this.set;
  }

  /** Re-reads any snapshot file that changed on disk. */
  reload(): void {
    let changed = false;
    for (const provider of PROVIDERS) {
      const stamp = fileStamp(snapshotPath(this.dataDir, provider));
      if (this.loaded.get(provider)?.fileStamp === stamp) continue;
      this.loaded.set(provider, load(this.dataDir, provider, stamp));
      changed = true;
    }
    if (changed) this.rebuildSet();
  }

  info(): RangeInfo[] {
    this.current();
    return PROVIDERS.map((provider) => describe(provider, this.loaded.get(provider)!));
  }

  infoOf(provider: Provider): RangeInfo {
    this.current();
    return describe(provider, this.loaded.get(provider)!);
  }

  /**
   * Downloads each provider's official file(s), parses them, and replaces that provider's snapshot. A provider
   * that fails (network, HTTP status, timeout, size, malformed content) keeps its previous snapshot and is
   * reported with the reason; the others are still updated.
   */
  async update(options: RangeUpdateOptions = {}): Promise<RangeUpdateReport> {
    const providers = options.providers ?? PROVIDERS;
    const results = await Promise.all(
      providers.map(async (provider): Promise<RangeUpdateOutcome> => {
        const source = options.sources?.[provider] ?? OFFICIAL_SOURCES[provider];
        options.onProgress?.({ provider, phase: 'start', urls: source.kind === 'files' ? [...source.urls] : [source.url] });
        let outcome: RangeUpdateOutcome;
        try {
          const downloaded = await downloadProvider(provider, source, {
            timeoutMs: options.timeoutMs ?? 60_000,
            maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
            fetch: options.fetch ?? fetch,
          });
          this.save({
            format: 1,
            provider,
            ...downloaded.parsed,
            publishedAtSource: downloaded.publishedAtSource,
            fetchedAt: this.now(),
            source: downloaded.urls.join(' + '),
          });
          outcome = { provider, ok: true, info: this.infoOf(provider), bytes: downloaded.bytes };
        } catch (error) {
          outcome = { provider, ok: false, error: messageOf(error), previous: this.infoOf(provider) };
        }
        options.onProgress?.({ phase: 'done', ...outcome });
        return outcome;
      }),
    );
    return { results, ok: results.every((r) => r.ok) };
  }

  /**
   * Replaces a provider's snapshot with a file the admin downloaded. The provider is recognised from the
   * file when not given (Cloudflare's plain lists need it given, or a name like ips-v4). Throws
   * RangesFormatError for a file that is not the provider's format; the old snapshot is then kept.
   */
  importFile(provider: Provider | undefined, paths: string | readonly string[]): RangeInfo {
    const list = typeof paths === 'string' ? [paths] : [...paths];
    const files: RangeFile[] = list.map((path) => ({ name: basename(path), text: readLimited(path) }));
    let chosen = provider;
    if (chosen === undefined) {
      const detected = new Set(files.map(detectProvider));
      const [only] = [...detected];
      if (detected.size !== 1 || only === null || only === undefined) {
        throw new RangesFormatError(
          null,
          detected.size > 1
            ? 'the files are from different providers; import one provider at a time'
            : `cannot tell which provider published ${files.map((f) => f.name).join(', ')}; say which (${PROVIDERS.join(', ')})`,
        );
      }
      chosen = only;
    }
    const parsed = parseProviderFiles(chosen, files);
    this.save({
      format: 1,
      provider: chosen,
      ...parsed,
      publishedAtSource: parsed.publishedAt === null ? null : chosen === 'AZURE' ? 'file name' : 'file',
      fetchedAt: this.now(),
      source: list.map((p) => `file:${resolve(p)}`).join(' + '),
    });
    return this.infoOf(chosen);
  }

  private save(snapshot: StoredSnapshot): void {
    writeSnapshot(this.dataDir, snapshot);
    const path = snapshotPath(this.dataDir, snapshot.provider);
    this.loaded.set(snapshot.provider, load(this.dataDir, snapshot.provider, fileStamp(path)));
    this.rebuildSet();
  }

  private rebuildSet(): void {
    const providers = new Map<Provider, AddressRanges>();
    for (const [provider, loaded] of this.loaded) if (loaded.ranges) providers.set(provider, loaded.ranges);
    this.set = { providers };
  }
}

/**
 * The snapshots' descriptions for the overview, from the process's store (core.ranges), opened at the first
 * call: every call re-reads what changed on disk (a stat per provider), so a download made a moment ago by
 * another process (the CLI) shows at once rather than after `recheckMs`.
 */
export function snapshotInfoReader(store: () => ProviderRangesStore): () => RangeInfo[] {
  return () => {
    const opened = store();
    opened.reload();
    return opened.info();
  };
}

function fileStamp(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return 'none';
  }
}

function load(dataDir: string, provider: Provider, stamp: string): Loaded {
  const read = readSnapshot(dataDir, provider);
  if (read.state !== 'loaded') return { read, ranges: null, ipv4Count: 0, ipv6Count: 0, fileStamp: stamp };
  const ipv6Count = read.snapshot.prefixes.filter((p) => p.includes(':')).length;
  return {
    read,
    ranges: AddressRanges.fromCidrs(read.snapshot.prefixes),
    ipv4Count: read.snapshot.prefixes.length - ipv6Count,
    ipv6Count,
    fileStamp: stamp,
  };
}

function describe(provider: Provider, loaded: Loaded): RangeInfo {
  const { read } = loaded;
  const none = { publishedAt: null, publishedAtSource: null, version: null, fetchedAt: null, source: null, count: 0, ipv4Count: 0, ipv6Count: 0 };
  if (read.state === 'missing') {
    return { provider, status: 'missing', ...none, note: `No snapshot yet: the word ${provider} matches no address until the ranges are updated or imported.` };
  }
  if (read.state === 'damaged') {
    return { provider, status: 'damaged', ...none, note: `The stored snapshot is damaged (${read.reason}): the word ${provider} matches no address until the ranges are updated or imported.` };
  }
  const s = read.snapshot;
  return {
    provider,
    status: 'loaded',
    publishedAt: s.publishedAt,
    publishedAtSource: s.publishedAtSource,
    version: s.version,
    fetchedAt: s.fetchedAt,
    source: s.source,
    count: s.prefixes.length,
    ipv4Count: loaded.ipv4Count,
    ipv6Count: loaded.ipv6Count,
    note: s.publishedAt === null ? `${provider} publishes no date in its file; the snapshot date is when it was fetched.` : null,
  };
}

function readLimited(path: string): string {
  const size = statSync(path).size;
  if (size > MAX_IMPORT_BYTES) throw new RangesFormatError(null, `${basename(path)} is ${size} bytes; a ranges file is at most ${MAX_IMPORT_BYTES}`);
  return readFileSync(path, 'utf8');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
