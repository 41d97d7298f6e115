import { z } from 'zod';
import { PROVIDERS } from './domain.js';
import { message as m } from './messages.js';

/** Input schemas of the provider-range operations (RangesService; the UI's forms validate with them too). */

const provider = z.enum(PROVIDERS, { error: m('providerChoice', { providers: PROVIDERS.join(', ') }) });

export const rangesUpdateInput = z
  .object({
    /** Only these providers (default: all five). */
    providers: z.array(provider).min(1, m('oneProvider')).optional(),
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
          .string({ error: m('mustBeText', { label: 'File path' }) })
          .min(1, m('chooseFile'))
          .max(4096, m('pathTooLong', { label: 'File path' })),
      )
      .min(1, m('chooseFile'))
      .max(2, m('importFiles')),
  })
  .strict();

export type RangesUpdateInput = z.input<typeof rangesUpdateInput>;
export type RangesImportInput = z.input<typeof rangesImportInput>;
