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
    'log.search': (input, ctx) => core.log.view(actor(ctx), input),
    'log.verify': (_input, ctx) => core.log.verifyResult(actor(ctx)),
    'log.export': (input, ctx) => exports.start(actor(ctx), input),
    'log.exportStatus': (input, ctx) => exports.status(actor(ctx), input),
    'log.exportCancel': (input, ctx) => exports.cancel(actor(ctx), input),
    'log.retention': (_input, ctx) => retention.get(actor(ctx)),
    'log.setRetention': (input, ctx) => retention.set(actor(ctx), input),
    'log.prune': (_input, ctx) => retention.prune(actor(ctx)),
    'overview.get': (input, ctx) => overview.get(actor(ctx), input),
    'users.expiring': (input, ctx) => overview.expiring(actor(ctx), input),
  };
}
