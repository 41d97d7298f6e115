import type { ParsedInputOf } from '../../shared/contract.js';
import { PROVIDERS, type Provider } from '../../shared/domain.js';
import { AppError, ConflictError } from '../../shared/errors.js';
import type { RangeInfo, RangeUpdateReport } from '../../shared/ranges.dto.js';
import { rangesImportInput } from '../../shared/ranges.schemas.js';
import type { RangesImported, RangesUpdateProgress } from '../../shared/server.dto.js';
import { parseInput } from '../../shared/validate.js';
import type { Core } from '../core.js';
import { authorize } from './authorize.js';
import type { Actor } from './context.js';
import { RangesService } from './ranges.service.js';
import type { HandlerRuntime } from './runtime.js';

type ProviderPhase = RangesUpdateProgress['providers'][number];

/**
 * The page's provider-range operations over RangesService (which logs each update and import): the
 * snapshots, a download with progress the page polls, and an import from a file chosen in main's dialog.
 */
export class RangesAdmin {
  private service: RangesService | undefined;
  private progress: RangesUpdateProgress = {
    running: false,
    startedAt: null,
    providers: PROVIDERS.map((provider) => ({ provider, phase: 'waiting', error: null })),
  };

  constructor(
    private readonly core: Core,
    private readonly runtime: HandlerRuntime,
  ) {}

  status(actor: Actor): Promise<RangeInfo[]> {
    return this.ranges().info(actor);
  }

  /** One download at a time: a second one while the first runs is refused rather than racing it. */
  async update(actor: Actor, data: ParsedInputOf<'ranges.update'>): Promise<RangeUpdateReport> {
    // Checked before the progress changes, so a refused person cannot disturb another's download.
    await authorize(this.core.deps, actor, 'server.manage', 'ranges.updated');
    if (this.progress.running) throw new ConflictError('A download of the provider ranges is already running');
    const providers: readonly Provider[] = data.providers ?? PROVIDERS;
    this.progress = {
      running: true,
      startedAt: this.core.deps.clock.now(),
      providers: providers.map((provider) => ({ provider, phase: 'waiting', error: null })),
    };
    try {
      return await this.ranges().update(actor, data, (event) => {
        const entry = this.progress.providers.find((p) => p.provider === event.provider);
        if (!entry) return;
        const next: ProviderPhase =
          event.phase === 'start'
            ? { provider: event.provider, phase: 'downloading', error: null }
            : { provider: event.provider, phase: event.ok ? 'done' : 'failed', error: event.ok ? null : event.error };
        Object.assign(entry, next);
      });
    } finally {
      this.progress = { ...this.progress, running: false };
    }
  }

  async currentProgress(actor: Actor): Promise<RangesUpdateProgress> {
    await authorize(this.core.deps, actor, null, 'ranges.updated');
    return structuredClone(this.progress);
  }

  /** Asks main's open dialog for the file(s), then imports them; cancelling changes nothing. */
  async importChosen(actor: Actor, data: ParsedInputOf<'ranges.import'>): Promise<RangesImported> {
    // Checked before the dialog opens: a person who may not import never gets to choose a file.
    await authorize(this.core.deps, actor, 'server.manage', 'ranges.updated');
    const openFile = this.runtime.openFile;
    if (!openFile) throw new AppError('not_found', 'Choosing files is not available here');
    const choice = await openFile({
      title: data.provider ? `Import ${data.provider} ranges` : 'Import a provider range file',
      multiple: data.provider === undefined || data.provider === 'CLOUDFLARE',
      filters: [{ name: 'Provider range files', extensions: ['json', 'csv', 'txt'] }],
    });
    if (!choice.chosen) return { imported: false };
    // The paths come from the dialog (or the web bridge's configured files), not from the page: they are
    // this call's input, parsed here (at most two files, each a sane path) before the service reads them.
    const info = await this.ranges().import(actor, parseInput(rangesImportInput, { provider: data.provider, paths: choice.paths }));
    return { imported: true, info };
  }

  private ranges(): RangesService {
    this.service ??= new RangesService(
      this.core.deps,
      this.core.ranges(),
      this.runtime.rangesDownload,
    );
    return this.service;
  }
}
