import { z } from 'zod';
import { message as m, type FieldLabel } from './messages.js';

/** Input schemas of the token server's admin API; the settings form validates with the same ones. */

const MAX_LIFETIME_SECONDS = 86_400;

const uriOrUrn = (label: FieldLabel) =>
  z
    .string({ error: m('mustBeText', { label }) })
    .trim()
    .min(1, m('required', { label }))
    .max(512, m('tooLong', { label, max: 512 }))
    .refine((v) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(v), m('notUri', { label }));

const ADDRESS_OR_RANGE = /^[0-9a-f:.]+(\/\d{1,3})?$/i;

const proxyEntry = z
  .string({ error: m('proxyText') })
  .trim()
  .refine((v) => ADDRESS_OR_RANGE.test(v), m('proxyFormat'));

const metricsReader = z
  .string({ error: m('metricsReaderFormat') })
  .trim()
  .refine((v) => ADDRESS_OR_RANGE.test(v), m('metricsReaderFormat'));

export const tokenServerSettingsPatch = z.strictObject({
  issuer: z
    .string()
    .trim()
    .max(512)
    .refine((v) => /^https?:\/\/[^\s/?#]+$/.test(v), m('issuerFormat'))
    .nullable()
    .optional(),
  defaultAudience: uriOrUrn('The default audience').optional(),
  audiences: z.array(uriOrUrn('An audience')).max(50, m('atMostAudiences', { max: 50 })).optional(),
  tokenLifetimeSeconds: z
    .int(m('wholeSeconds'))
    .min(60, m('atLeastSeconds', { min: 60 }))
    .max(MAX_LIFETIME_SECONDS, m('atMostOneDay'))
    .optional(),
  signingAlg: z.enum(['ES256', 'RS256']).optional(),
  port: z.int(m('portNumber')).min(1, m('portRange')).max(65_535, m('portRange')).optional(),
  lanAccess: z.boolean().optional(),
  host: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((v) => /^[0-9a-z.:-]+$/i.test(v), m('hostFormat'))
    .optional(),
  plainHttpOnLan: z.boolean().optional(),
  trustedProxies: z.array(proxyEntry).max(50, m('atMostProxies', { max: 50 })).optional(),
  metrics: z.boolean().optional(),
  metricsReaders: z.array(metricsReader).max(50, m('atMostMetricsReaders', { max: 50 })).optional(),
});
export type TokenServerSettingsPatch = z.infer<typeof tokenServerSettingsPatch>;

export const rotateSigningKeyInput = z.strictObject({ alg: z.enum(['ES256', 'RS256']).optional() });
