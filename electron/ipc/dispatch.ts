import { contract, parseInputOf, type Channel } from '../../shared/contract.js';
import { AppError, toErrorBody } from '../../shared/errors.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { StoreUnavailableError } from '../db/store.js';
import type { CallContext, Handler, Handlers } from './handlers.js';

export type ErrorLogger = (channel: string, error: unknown) => void;

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);

/**
 * The one place a call from the renderer (over IPC or the HTTP bridge) enters the core: the channel must
 * exist, the input must match its schema (parsed here, once: the handler and its service take the parsed
 * value), and whatever happens comes back as a Result, never a throw.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  input: unknown,
  ctx: CallContext,
  logError: ErrorLogger = defaultLogger,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail(new AppError('not_found', 'Unknown operation').toBody());
  try {
    return ok(await parseAndCall(handlers, channel, input ?? {}, ctx));
  } catch (error) {
    // Said in plain words (the message names the store's problem, never a secret): not a fault of Keyrack's.
    if (error instanceof StoreUnavailableError) return fail({ code: 'unavailable', message: error.message });
    if (!(error instanceof AppError)) logError(channel, error);
    return fail(toErrorBody(error));
  }
}

/** Generic in the channel, so the compiler checks that the parsed input is what this channel's handler takes. */
function parseAndCall<C extends Channel>(handlers: Handlers, channel: C, input: unknown, ctx: CallContext) {
  const handler: Handler<C> = handlers[channel];
  return handler(parseInputOf(channel, input), ctx);
}

/** Unexpected errors go to stderr with their stack; inputs are never logged (they may hold passwords). */
const defaultLogger: ErrorLogger = (channel, error) => {
  console.error(`[keyrack] ${channel} failed:`, error);
};
