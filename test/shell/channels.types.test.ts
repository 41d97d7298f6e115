import { expectTypeOf, test } from 'vitest';
import type { KeyrackApi } from '../../shared/api.js';
import { CHANNEL_NAMES, type UnlistedChannels } from '../../shared/channels.js';
import type { Channel } from '../../shared/contract.js';
import { buildKeyrackApi } from '../../electron/shell/preload-api.js';

// Type-level checks: `tsc -b` (run by `npm test` before vitest) fails if the zod-free list and the
// contract drift apart, in either direction.
type Listed = (typeof CHANNEL_NAMES)[number];
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const listEqualsContract: Equal<Listed, Channel> = true;
const nothingUnlisted: Equal<UnlistedChannels, never> = true;

test('the channel list is exactly keyof Contract', () => {
  expectTypeOf<Listed>().toEqualTypeOf<Channel>();
  expectTypeOf(listEqualsContract).toEqualTypeOf<true>();
  expectTypeOf(nothingUnlisted).toEqualTypeOf<true>();
});

test('the preload object is typed as the KeyrackApi the renderer uses', () => {
  expectTypeOf(buildKeyrackApi).returns.toEqualTypeOf<KeyrackApi>();
  expectTypeOf<keyof KeyrackApi>().toEqualTypeOf<Channel>();
});
