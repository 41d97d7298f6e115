import type { RunningServices } from './background-services.js';

export interface ShutdownSteps {
  services: Pick<RunningServices, 'stop'>;
  /** Removes the IPC handler so no call reaches a closing store. */
  unregisterIpc: () => void;
  /** Closes the store (checkpoints the WAL). */
  closeCore: () => unknown;
  log: (message: string) => void;
}

/**
 * The order things stop in when the app quits: background services first (the token server still
 * writes audit events while it drains), then IPC, then the store, so nothing writes to a closed database.
 * Each step runs even if an earlier one failed (the store must close). Idempotent: later calls get the
 * first call's promise. Never rejects.
 */
export function orderlyShutdown(steps: ShutdownSteps): () => Promise<void> {
  const attempt = async (what: string, run: () => unknown): Promise<void> => {
    try {
      await run();
    } catch (error) {
      steps.log(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let done: Promise<void> | undefined;
  return () =>
    (done ??= (async () => {
      await attempt('stopping background services', () => steps.services.stop());
      await attempt('removing the IPC handler', steps.unregisterIpc);
      await attempt('closing the store', steps.closeCore);
    })());
}
