import { z } from 'zod';

/** Input schemas of the token server's admin API; the settings form validates with the same ones. */

const MAX_LIFETIME_SECONDS = 86_400;

const uriOrUrn = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .min(1, `${label} is required`)
    .max(512, `${label} can be at most 512 characters`)
    .refine((v) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(v), `${label} must be a URI, like https://api.example.lan or urn:office:crm`);

const proxyEntry = z
  .string({ error: 'A proxy must be an address or CIDR range' })
  .trim()
  .refine((v) => /^[0-9a-f:.]+(\/\d{1,3})?$/i.test(v), 'A proxy must be an IP address or a CIDR range, like 10.0.0.5 or 10.0.0.0/24');

export const tokenServerSettingsPatch = z.strictObject({
  issuer: z
    .string()
    .trim()
    .max(512)
    .refine((v) => /^https?:\/\/[^\s/?#]+$/.test(v), 'The issuer must be an http(s) origin, like https://keyrack.office.lan:8443, with no path')
    .nullable()
    .optional(),
  defaultAudience: uriOrUrn('The default audience').optional(),
  audiences: z.array(uriOrUrn('An audience')).max(50, 'At most 50 audiences').optional(),
  tokenLifetimeSeconds: z
    .int('Must be a whole number of seconds')
    .min(60, 'At least 60 seconds')
    .max(MAX_LIFETIME_SECONDS, 'At most one day')
    .optional(),
  signingAlg: z.enum(['ES256', 'RS256']).optional(),
  port: z.int('Must be a port number').min(1, 'A port is 1 to 65535').max(65_535, 'A port is 1 to 65535').optional(),
  lanAccess: z.boolean().optional(),
  host: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine((v) => /^[0-9a-z.:-]+$/i.test(v), 'A host is an address or a name')
    .optional(),
  plainHttpOnLan: z.boolean().optional(),
  trustedProxies: z.array(proxyEntry).max(50, 'At most 50 proxies').optional(),
});
export type TokenServerSettingsPatch = z.infer<typeof tokenServerSettingsPatch>;

export const rotateSigningKeyInput = z.strictObject({ alg: z.enum(['ES256', 'RS256']).optional() });
