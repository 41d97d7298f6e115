/**
 * One action on many users, one call per user (the existing users.disable / users.enable channels, so each
 * is checked and logged by the service as for a single user). A refusal (the last active administrator
 * cannot be disabled) is recorded and the run goes on with the next user. Sequential on purpose: each call
 * sees the previous one's outcome, as it would if the admin clicked through the users one by one.
 */
export interface BulkTarget {
  id: number;
  name: string;
}

export interface BulkFailure<T extends BulkTarget> {
  target: T;
  error: unknown;
}

export interface BulkOutcome<T extends BulkTarget> {
  succeeded: T[];
  failed: BulkFailure<T>[];
}

export async function runForEach<T extends BulkTarget>(
  targets: readonly T[],
  act: (target: T) => Promise<unknown>,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<BulkOutcome<T>> {
  const outcome: BulkOutcome<T> = { succeeded: [], failed: [] };
  onProgress(0, targets.length);
  for (const [index, target] of targets.entries()) {
    try {
      await act(target);
      outcome.succeeded.push(target);
    } catch (error) {
      outcome.failed.push({ target, error });
    }
    onProgress(index + 1, targets.length);
  }
  return outcome;
}
