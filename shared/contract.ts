import type { z } from 'zod';
import type { ChannelSpec } from './channel-spec.js';
export type { ChannelSpec } from './channel-spec.js';
import { activationsChannels } from './contract-activations.js';
import { authChannels } from './contract-auth.js';
import { groupsChannels } from './contract-groups.js';
import { logChannels } from './contract-log.js';
import { mailChannels } from './contract-mail.js';
import { mailboxesChannels } from './contract-mailboxes.js';
import { serverChannels } from './contract-server.js';
import { storeChannels } from './contract-store.js';
import { usersChannels } from './contract-users.js';
import { parseInput } from './validate.js';

/**
 * The contract between the renderer and the core: channel `entity.verb` → input schema → output type.
 * The preload, the IPC handlers, the HTTP bridge and the renderer client are all typed from it, so a
 * channel that is missing or extra on any side fails to compile.
 *
 * Each area of the app keeps its channels in one module, `shared/contract-<area>.ts`, and its handlers in
 * `electron/ipc/handlers-<area>.ts`. Adding a channel:
 *   1. `'entity.verb': takes(inputSchema).returns<Output>()` in the area's contract module;
 *   2. its name in shared/channels.ts (the zod-free list the preload is built from);
 *   3. its handler in the area's handlers module, calling a service that takes `ParsedInputOf<'entity.verb'>`;
 *   4. the channel snapshots (test/ipc/dispatch.test.ts, test/shell/preload.test.ts): `vitest -u`.
 * The compiler insists on 2 and 3.
 */
export const contract = {
  ...authChannels,
  ...usersChannels,
  ...groupsChannels,
  ...mailboxesChannels,
  ...activationsChannels,
  ...mailChannels,
  ...logChannels,
  ...serverChannels,
  ...storeChannels,
} satisfies Record<`${string}.${string}`, ChannelSpec>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (defaults may be omitted). */
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler, and the service behind it, receives after parsing (defaults filled in). */
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = Contract[C]['output'];

export const CHANNELS = Object.keys(contract) as Channel[];

/**
 * The one parse a call gets, against its channel's schema; throws a ValidationError naming each bad field.
 * The services take parsed input and do not parse again: dispatch (electron/ipc/dispatch.ts) parses what
 * the renderer sends, and the CLI parses where it reads its arguments.
 */
export function parseInputOf<C extends Channel>(channel: C, input: unknown): ParsedInputOf<C> {
  // The schema is the channel's own; TypeScript widens contract[channel] to every channel's, hence the cast.
  return parseInput(contract[channel].input, input) as ParsedInputOf<C>;
}
