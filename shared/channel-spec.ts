import type { z } from 'zod';

/** One channel of the contract (shared/contract.ts): its input schema, and its output type. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Never read at run time: carries the output type. */
  output: O;
}

/**
 * A channel that takes input matching `input` and returns an `O`, with the schema written once:
 * `'users.show': takes(S.userRef).returns<UserDetail>()`. (TypeScript cannot infer the schema's type and
 * be told the output type in one call, hence the two steps.)
 */
export const takes = <I extends z.ZodType>(input: I) => ({
  returns: <O>(): ChannelSpec<I, O> => ({ input, output: undefined as O }),
});
