import type { z } from 'zod';

/** One channel of the contract (shared/contract.ts): its input schema, and its output type. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Never read at run time: carries the output type. */
  output: O;
}

export const spec = <I extends z.ZodType, O>(input: I): ChannelSpec<I, O> => ({ input, output: undefined as O });
