import { contract, type Channel, type OutputOf } from '../../shared/contract.js';
import { AppError, ValidationError, toErrorBody } from '../../shared/errors.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { fieldErrors } from '../../shared/validate.js';
import type { CallContext, Handlers } from './handlers.js';

export type ErrorLogger = (channel: string, error: unknown) => void;

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

/**
 * The one place a call from the renderer (over IPC or the HTTP bridge) enters the core: the channel must
 * exist, the input must match its schema, and whatever happens comes back as a Result, never a throw.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  input: unknown,
  ctx: CallContext,
  logError: ErrorLogger = defaultLogger,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail(new AppError('not_found', 'Unknown operation').toBody());
  const parsed = contract[channel].input.safeParse(input ?? {});
  if (!parsed.success) return fail(new ValidationError(fieldErrors(parsed.error)).toBody());
  try {
    const value: OutputOf<typeof channel> = await handlers[channel](parsed.data, ctx);
    return ok(value);
  } catch (error) {
    if (!(error instanceof AppError)) logError(channel, error);
    return fail(toErrorBody(error));
  }
}

/** Unexpected errors go to stderr with their stack; inputs are never logged (they may hold passwords). */
const defaultLogger: ErrorLogger = (channel, error) => {
  console.error(`[keyrack] ${channel} failed:`, error);
};
