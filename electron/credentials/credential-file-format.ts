import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';
import {
  CREDENTIAL_FILE_TYPE,
  CREDENTIAL_FILE_VERSION,
  type CredentialFileDocument,
  type CredentialFileFormat,
  type PrivateJwk,
} from '../../shared/credential-files.dto.js';
import { CLIENT_KEY_ALGS } from '../../shared/domain.js';

/**
 * The two renderings of an exported credential file, and reading them back (`keyrack credentials open`).
 * The format is documented in docs/credential-files.md; changing a field: also update that file and the
 * .env variable map below.
 */

export const NO_SECRET_NOTE =
  'This file holds no client secret: Keyrack shows a secret only once, when it is created or rotated. ' +
  'Use the secret saved then, or rotate the secret to get a new one and export again.';

export interface CredentialFileFacts {
  name: string;
  clientId: string;
  secret: string | null;
  issuer: string;
  tokenEndpoint: string;
  scopes: string[];
  mailboxes: string[];
  caCertificate: string | null;
  createdAt: number;
  expiresAt: number | null;
  /** A key file (`credentials export --key`): the private key, whose public half is registered. */
  privateJwk?: PrivateJwk;
}

export function buildCredentialDocument(f: CredentialFileFacts): CredentialFileDocument {
  return {
    type: CREDENTIAL_FILE_TYPE,
    version: CREDENTIAL_FILE_VERSION,
    name: f.name,
    client_id: f.clientId,
    ...(f.secret !== null ? { client_secret: f.secret } : f.privateJwk ? {} : { note: NO_SECRET_NOTE }),
    ...(f.privateJwk
      ? { token_endpoint_auth_method: 'private_key_jwt' as const, kid: f.privateJwk.kid, alg: f.privateJwk.alg, private_jwk: f.privateJwk }
      : {}),
    issuer: f.issuer,
    token_endpoint: f.tokenEndpoint,
    scopes: [...f.scopes],
    mailboxes: [...f.mailboxes],
    ...(f.caCertificate !== null ? { ca_certificate: f.caCertificate } : {}),
    created_at: new Date(f.createdAt).toISOString(),
    expires_at: f.expiresAt === null ? null : new Date(f.expiresAt).toISOString(),
  };
}

export function renderCredentialFile(doc: CredentialFileDocument, format: CredentialFileFormat): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : renderEnv(doc);
}

// ---- .env ----

/** Variable name → document field. One line each; a null or absent field has no line. */
const ENV_VARIABLES = [
  ['KEYRACK_NAME', 'name'],
  ['KEYRACK_CLIENT_ID', 'client_id'],
  ['KEYRACK_CLIENT_SECRET', 'client_secret'],
  ['KEYRACK_TOKEN_ENDPOINT_AUTH_METHOD', 'token_endpoint_auth_method'],
  ['KEYRACK_KEY_ID', 'kid'],
  ['KEYRACK_KEY_ALG', 'alg'],
  ['KEYRACK_ISSUER', 'issuer'],
  ['KEYRACK_TOKEN_ENDPOINT', 'token_endpoint'],
  ['KEYRACK_SCOPES', 'scopes'],
  ['KEYRACK_MAILBOXES', 'mailboxes'],
  ['KEYRACK_CA_CERTIFICATE', 'ca_certificate'],
  ['KEYRACK_CREATED_AT', 'created_at'],
  ['KEYRACK_EXPIRES_AT', 'expires_at'],
] as const satisfies readonly (readonly [string, keyof CredentialFileDocument])[];

/** Characters that mean nothing to any .env reader or shell: written bare. */
const BARE = /^[A-Za-z0-9_.:/@+,%-]+$/;

/** A value this .env rendering cannot carry so that every common reader reads it back the same. */
export class EnvValueError extends Error {
  override name = 'EnvValueError';
}

/**
 * Quoting, chosen so the value reads back the same in Node (`--env-file`, util.parseEnv), the dotenv npm
 * package, docker compose and a POSIX shell that `source`s the file:
 * 1. bare when it is only letters, digits and `_ . : / @ + , % -`;
 * 2. else in single quotes (literal everywhere) when it has no `'` and no line break;
 * 3. else in double quotes with each line break written `\n`, when it has no `"`, `\`, `$` or backquote
 *    (the PEM of a CA certificate);
 * 4. anything else cannot be written portably: the name then only appears in the comment, other fields fail
 *    with a message that suggests the JSON format.
 * Lists (scopes, mailboxes) are joined with single spaces.
 */
export function envValue(value: string): string {
  if (value === '') return '';
  if (BARE.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value)) return `'${value}'`;
  if (!/["\\$`\r]/.test(value)) return `"${value.replace(/\n/g, '\\n')}"`;
  throw new EnvValueError('this value cannot be written to a .env file so that every reader agrees on it');
}

function renderEnv(doc: CredentialFileDocument): string {
  const lines = [
    `# Keyrack credentials of API user ${oneLine(doc.name)} (${doc.client_id}), exported ${doc.created_at}.`,
    '# Keep this file private: it is the API user\'s password. Format: Keyrack docs/credential-files.md.',
  ];
  if (doc.note) lines.push(`# ${doc.note}`);
  for (const [variable, field] of ENV_VARIABLES) {
    const raw = doc[field];
    if (raw === undefined || raw === null) continue;
    const value = Array.isArray(raw) ? raw.join(' ') : String(raw);
    try {
      lines.push(`${variable}=${envValue(value)}`);
    } catch (error) {
      if (!(error instanceof EnvValueError)) throw error;
      if (field === 'name') continue; // the name is in the comment above; the client id identifies the user
      throw new EnvValueError(`${field} cannot be written to a .env file (it mixes quotes and special characters); export as JSON instead`);
    }
  }
  // A key file's private key as PKCS#8 PEM (what most libraries import), double-quoted with \n line breaks.
  if (doc.private_jwk) lines.push(`KEYRACK_PRIVATE_KEY=${envValue(pemOfPrivateJwk(doc.private_jwk))}`);
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Reads a .env written by renderEnv (and the same subset of the syntax written by hand). */
export function parseEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new CredentialFileFormatError(`line ${index + 1} is not NAME=value`);
    const [, name, rest] = match as unknown as [string, string, string];
    values[name] = unquote(rest, index + 1);
  }
  return values;
}

function unquote(rest: string, lineNumber: number): string {
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    const end = rest.indexOf(quote, 1);
    if (end < 0) throw new CredentialFileFormatError(`line ${lineNumber}: the quote is not closed`);
    const inner = rest.slice(1, end);
    return quote === '"' ? inner.replace(/\\n/g, '\n') : inner;
  }
  // Unquoted: a ` #` starts a comment, as in dotenv.
  return rest.replace(/\s+#.*$/, '').trim();
}

// ---- reading a file back ----

/** The text is not a Keyrack credential file. The message says what is wrong, never a value. */
export class CredentialFileFormatError extends Error {
  override name = 'CredentialFileFormatError';
}

const isoTime = z.iso.datetime({ offset: true });

const privateJwkSchema = z.looseObject({
  kty: z.string(),
  d: z.string().min(1),
  kid: z.string().min(1),
  alg: z.enum(CLIENT_KEY_ALGS),
  use: z.literal('sig'),
});

const documentSchema = z.object({
  type: z.literal(CREDENTIAL_FILE_TYPE),
  version: z.literal(CREDENTIAL_FILE_VERSION),
  name: z.string(),
  client_id: z.string().min(1),
  client_secret: z.string().min(1).optional(),
  note: z.string().optional(),
  token_endpoint_auth_method: z.literal('private_key_jwt').optional(),
  kid: z.string().min(1).optional(),
  alg: z.enum(CLIENT_KEY_ALGS).optional(),
  private_jwk: privateJwkSchema.optional(),
  issuer: z.string(),
  token_endpoint: z.string(),
  scopes: z.array(z.string()),
  mailboxes: z.array(z.string()),
  ca_certificate: z.string().optional(),
  created_at: isoTime,
  expires_at: isoTime.nullable(),
}).superRefine((doc, ctx) => {
  // A key file carries its method, kid and alg beside the key, and they agree with it.
  const key = doc.private_jwk;
  const keyFields = [doc.token_endpoint_auth_method, doc.kid, doc.alg];
  if (!key && keyFields.every((v) => v === undefined)) return;
  if (!key) ctx.addIssue({ code: 'custom', path: ['private_jwk'], message: 'is missing (the file names private_key_jwt, a kid or an alg)' });
  else if (doc.token_endpoint_auth_method !== 'private_key_jwt' || doc.kid !== key.kid || doc.alg !== key.alg) {
    ctx.addIssue({ code: 'custom', path: ['private_jwk'], message: 'does not match token_endpoint_auth_method, kid and alg' });
  }
});

export function parseCredentialDocument(text: string, format: CredentialFileFormat): CredentialFileDocument {
  const candidate = format === 'json' ? parseJson(text) : documentFromEnv(parseEnv(text));
  const result = documentSchema.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const problem = /received undefined/.test(issue.message) ? 'is missing' : issue.message;
    throw new CredentialFileFormatError(`not a Keyrack credential file: ${issue.path.join('.') || 'the file'}: ${problem}`);
  }
  return result.data as CredentialFileDocument;
}

/** JSON if it parses as a JSON object, else .env. */
export function detectFormat(text: string): CredentialFileFormat {
  return text.trimStart().startsWith('{') ? 'json' : 'env';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CredentialFileFormatError('not a Keyrack credential file: the JSON does not parse');
  }
}

function documentFromEnv(env: Record<string, string>): Record<string, unknown> {
  const split = (v: string | undefined) => (v ? v.split(' ').filter(Boolean) : []);
  return {
    type: CREDENTIAL_FILE_TYPE,
    version: CREDENTIAL_FILE_VERSION,
    name: env.KEYRACK_NAME ?? env.KEYRACK_CLIENT_ID ?? '',
    client_id: env.KEYRACK_CLIENT_ID,
    ...(env.KEYRACK_CLIENT_SECRET ? { client_secret: env.KEYRACK_CLIENT_SECRET } : env.KEYRACK_PRIVATE_KEY ? {} : { note: NO_SECRET_NOTE }),
    ...(env.KEYRACK_TOKEN_ENDPOINT_AUTH_METHOD ? { token_endpoint_auth_method: env.KEYRACK_TOKEN_ENDPOINT_AUTH_METHOD } : {}),
    ...(env.KEYRACK_KEY_ID ? { kid: env.KEYRACK_KEY_ID } : {}),
    ...(env.KEYRACK_KEY_ALG ? { alg: env.KEYRACK_KEY_ALG } : {}),
    ...(env.KEYRACK_PRIVATE_KEY
      ? { private_jwk: { ...privateJwkOfPem(env.KEYRACK_PRIVATE_KEY), kid: env.KEYRACK_KEY_ID, alg: env.KEYRACK_KEY_ALG, use: 'sig' } }
      : {}),
    issuer: env.KEYRACK_ISSUER,
    token_endpoint: env.KEYRACK_TOKEN_ENDPOINT,
    scopes: split(env.KEYRACK_SCOPES),
    mailboxes: split(env.KEYRACK_MAILBOXES),
    ...(env.KEYRACK_CA_CERTIFICATE ? { ca_certificate: env.KEYRACK_CA_CERTIFICATE } : {}),
    created_at: env.KEYRACK_CREATED_AT,
    expires_at: env.KEYRACK_EXPIRES_AT ?? null,
  };
}

// ---- a key file's private key: JWK in JSON, PKCS#8 PEM in .env ----

function pemOfPrivateJwk(jwk: PrivateJwk): string {
  const { kid: _kid, alg: _alg, use: _use, ...material } = jwk;
  return createPrivateKey({ key: material as JsonWebKey, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }).toString().trimEnd();
}

function privateJwkOfPem(pem: string): JsonWebKey {
  try {
    return createPrivateKey({ key: pem, format: 'pem' }).export({ format: 'jwk' });
  } catch {
    throw new CredentialFileFormatError('not a Keyrack credential file: KEYRACK_PRIVATE_KEY is not a readable PEM private key');
  }
}
