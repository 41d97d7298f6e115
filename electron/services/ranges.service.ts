import type { z } from 'zod';
import type { ParsedInputOf } from '../../shared/contract.js';
import type { Provider } from '../../shared/domain.js';
import { ValidationError } from '../../shared/errors.js';
import type { RangeInfo, RangeUpdateReport } from '../../shared/ranges.dto.js';
import type { rangesImportInput } from '../../shared/ranges.schemas.js';
import { RangesFormatError } from '../ranges/parsers/index.js';
import type { ProviderRangesStore, RangeUpdateOptions, RangeUpdateProgress } from '../ranges/store.js';
import { recordEvent, type EventSpec } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** How downloads are made (sources, timeouts); the admin chooses only which providers. */
export type RangesDownloadSettings = Omit<RangeUpdateOptions, 'providers' | 'onProgress'>;

/**
 * The cloud providers' published ranges behind the allowlist words: see the dated snapshots, refresh them
 * online, or import a file the admin downloaded. Each change (and each failed attempt) is an audit event.
 */
export class RangesService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly store: ProviderRangesStore,
    private readonly download: RangesDownloadSettings = {},
  ) {}

  async info(actor: Actor): Promise<RangeInfo[]> {
    await authorize(this.deps, actor, null, 'ranges.updated');
    return this.store.info();
  }

  /** Downloads the official files. Providers that fail keep their previous snapshot; the report says which and why. */
  async update(
    actor: Actor,
    data: ParsedInputOf<'ranges.update'> = {},
    onProgress?: (event: RangeUpdateProgress) => void,
  ): Promise<RangeUpdateReport> {
    await authorize(this.deps, actor, 'server.manage', 'ranges.updated');
    const report = await this.store.update({ ...this.download, providers: data.providers, onProgress });
    await this.deps.store.transaction(async (tx) => {
      for (const result of report.results) {
        if (result.ok) {
          await recordEvent(tx, this.deps, actor, { type: 'ranges.updated', details: summary('download', result.info) });
        } else {
          await recordEvent(tx, this.deps, actor, {
            type: 'ranges.updated',
            outcome: 'failure',
            reason: 'download failed',
            details: { provider: result.provider, how: 'download', error: result.error, kept: result.previous.status },
          });
        }
      }
    });
    return report;
  }

  /** Replaces one provider's snapshot with the file(s) the admin chose (the provider is recognised when not given). */
  async import(actor: Actor, data: z.output<typeof rangesImportInput>): Promise<RangeInfo> {
    await authorize(this.deps, actor, 'server.manage', 'ranges.updated');
    let info: RangeInfo;
    try {
      info = this.store.importFile(data.provider, data.paths);
    } catch (error) {
      const message = importFailure(error);
      if (message === null) throw error;
      await this.record(actor, {
        type: 'ranges.updated',
        outcome: 'failure',
        reason: 'import refused',
        details: { provider: data.provider ?? null, how: 'import', files: data.paths, error: message },
      });
      throw new ValidationError({ paths: message });
    }
    await this.record(actor, { type: 'ranges.updated', details: summary('import', info) });
    return info;
  }

  /** One event in a transaction of its own: a snapshot is a file in the data folder, not a row of the store. */
  private async record(actor: Actor, spec: EventSpec): Promise<void> {
    await this.deps.store.transaction((tx) => recordEvent(tx, this.deps, actor, spec));
  }
}

function summary(how: 'download' | 'import', info: RangeInfo): Record<string, unknown> {
  return {
    provider: info.provider satisfies Provider,
    how,
    count: info.count,
    publishedAt: info.publishedAt,
    version: info.version,
    source: info.source,
  };
}

/** A file the admin can fix (wrong format, unreadable path) as a message; null for anything unexpected. */
function importFailure(error: unknown): string | null {
  if (error instanceof RangesFormatError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code === 'string' && typeof e.path === 'string') {
    const why: Record<string, string> = { ENOENT: 'there is no such file', EACCES: 'Keyrack may not read it', EISDIR: 'it is a folder' };
    return `cannot read ${e.path}: ${why[e.code] ?? e.code}`;
  }
  return null;
}
