import type { logChannels } from '../../shared/contract-log.js';
import type { Core } from '../core.js';
import { LogExportJobs } from '../services/log-export-jobs.js';
import { snapshotInfoReader } from '../ranges/store.js';
import { OverviewService } from '../services/overview.service.js';
import { RetentionService } from '../services/retention.js';
import { dataFolderSaveStream, type SaveStream } from '../shell/save-stream.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/**
 * Handlers of shared/contract-log.ts.
 *
 * `saveStream` chooses where a log export goes. The desktop passes its save dialog (a SaveStream that only
 * picks the path: dialog.showSaveDialog, see electron/shell/save-stream.ts), e.g. in handlers.ts
 * `createLogHandlers(core, actor, runtime.saveStream)`; without one (the web bridge, tests) exports are written
 * into the data folder's `exports` folder and the status names the file.
 */
export function createLogHandlers(core: Core, actor: ActorOf, saveStream?: SaveStream): AreaHandlers<typeof logChannels> {
  const overview = new OverviewService(core.deps, snapshotInfoReader(core.ranges));
  const retention = new RetentionService(core.deps, core.dataDir);
  const exports = new LogExportJobs(core.deps, saveStream ?? dataFolderSaveStream(core.dataDir));

  return {
    // Reading the log from the app is itself logged (once per person per interval: LogService.view).
    'log.search': async (input, ctx) => core.log.view(await actor(ctx), input),
    'log.verify': async (_input, ctx) => core.log.verifyResult(await actor(ctx)),
    'log.export': async (input, ctx) => exports.start(await actor(ctx), input),
    'log.exportStatus': async (input, ctx) => exports.status(await actor(ctx), input),
    'log.exportCancel': async (input, ctx) => exports.cancel(await actor(ctx), input),
    'log.retention': async (_input, ctx) => retention.get(await actor(ctx)),
    'log.setRetention': async (input, ctx) => retention.set(await actor(ctx), input),
    'log.prune': async (_input, ctx) => retention.prune(await actor(ctx)),
    'overview.get': async (input, ctx) => overview.get(await actor(ctx), input),
    'users.expiring': async (input, ctx) => overview.expiring(await actor(ctx), input),
  };
}
