import type { Channel, InputOf, OutputOf } from '../../shared/contract.js';
import { dispatch } from '../../electron/ipc/dispatch.js';
import type { CallContext, Handlers } from '../../electron/ipc/handlers.js';

/** What a call that must succeed returns; a refusal throws, naming the channel and the message. */
export async function valueOf<C extends Channel>(handlers: Handlers, channel: C, input: InputOf<C>, who: CallContext): Promise<OutputOf<C>> {
  const result = await dispatch(handlers, channel, input, who);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as OutputOf<C>;
}
