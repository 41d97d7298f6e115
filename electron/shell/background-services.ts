import type { Core } from '../core.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';

/**
 * Work that runs beside the window for as long as the app runs (the token server first of all). main
 * starts them through createDesktopServices (desktop-services.ts) once the store is open and stops them
 * on quit, before the store closes, in reverse order.
 */
export interface BackgroundContext {
  core: Core;
  keyWrapper: KeyWrapper;
  log: (message: string) => void;
}

export interface RunningService {
  stop(): Promise<void>;
}

export interface BackgroundService {
  /** For the log: "token server". */
  readonly name: string;
  start(context: BackgroundContext): Promise<RunningService>;
}

export interface RunningServices {
  readonly names: readonly string[];
  /** Idempotent: a second call (quit requested twice) waits for the first. Never rejects. */
  stop(): Promise<void>;
}

/**
 * Starts each service in order. A service that fails to start is logged and skipped: the admin can still
 * open the app, see why in the log, and fix the setting (a port in use, say) from the UI.
 */
export async function startBackgroundServices(
  services: readonly BackgroundService[],
  context: BackgroundContext,
): Promise<RunningServices> {
  const running: Array<{ name: string; handle: RunningService }> = [];
  for (const service of services) {
    try {
      running.push({ name: service.name, handle: await service.start(context) });
      context.log(`${service.name} started`);
    } catch (error) {
      context.log(`${service.name} did not start: ${describe(error)}`);
    }
  }
  let stopping: Promise<void> | undefined;
  return {
    names: running.map((r) => r.name),
    stop: () =>
      (stopping ??= (async () => {
        for (const { name, handle } of [...running].reverse()) {
          try {
            await handle.stop();
            context.log(`${name} stopped`);
          } catch (error) {
            context.log(`${name} did not stop cleanly: ${describe(error)}`);
          }
        }
      })()),
  };
}

/** Error messages only: an error's other properties could carry request data. */
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
