import { z } from 'zod';
import { PROVIDERS } from './domain.js';

/** Input schemas of the provider-range operations (RangesService; the UI's forms validate with them too). */

const provider = z.enum(PROVIDERS, { error: `Provider must be one of ${PROVIDERS.join(', ')}` });

export const rangesUpdateInput = z
  .object({
    /** Only these providers (default: all five). */
    providers: z.array(provider).min(1, 'Choose at least one provider').optional(),
  })
  .strict();

export const rangesImportInput = z
  .object({
    /** Omitted: recognised from the file's format. */
    provider: provider.optional(),
    /** Absolute paths of the file(s) the admin chose; Cloudflare publishes two (ips-v4, ips-v6). */
    paths: z
      .array(
        z
          .string({ error: 'File path must be text' })
          .min(1, 'Choose a file')
          .max(4096, 'File path is too long'),
      )
      .min(1, 'Choose a file')
      .max(2, 'Import one file, or Cloudflare\'s two'),
  })
  .strict();

export type RangesUpdateInput = z.input<typeof rangesUpdateInput>;
export type RangesImportInput = z.input<typeof rangesImportInput>;
