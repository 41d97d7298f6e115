import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type {
  CredentialFileFormat,
  PrivateJwk,
  RenderedCredentialFile,
  WrittenCredentialFile,
} from '../../shared/credential-files.dto.js';
import type {
  renderCredentialFileInput,
  renderKeyCredentialFileInput,
  writeCredentialFileInput,
  writeKeyCredentialFileInput,
} from '../../shared/credential-files.schemas.js';
import { parseInputOf } from '../../shared/contract.js';
import type { ClientKeyAlg } from '../../shared/domain.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { OWNER_ONLY, writeFileAtomic } from '../fs/atomic-write.js';
import { buildCredentialDocument, EnvValueError, renderCredentialFile } from '../credentials/credential-file-format.js';
import { encryptWithPassphrase } from '../credentials/passphrase-envelope.js';
import { findClientIdOfUser, listLiveSecretsOfUser, type SecretRecord } from '../repos/credentials.repo.js';
import type { UserRecord } from '../repos/users.repo.js';
import { readClientKey } from '../crypto/client-keys.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import { ClientKeysService } from './client-keys.service.js';
import type { Actor, ServiceDeps } from './context.js';
import { requireApiUser } from './require-api-user.js';
import { effectiveRightsFor } from './users.service.js';

/** Where integrators get tokens: from the token server's settings (and its TLS material). */
export interface TokenServerEndpoints {
  issuer: string;
  tokenEndpoint: string;
  /** Keyrack's CA certificate (PEM) when the server uses it; null with an admin-installed certificate. */
  caCertificate: string | null;
}

/** The parsed inputs: callers parse (dispatch for credentials.export, the CLI where it reads its flags). */
type RenderInput = z.output<typeof renderCredentialFileInput>;
type WriteInput = z.output<typeof writeCredentialFileInput>;
type WriteKeyInput = z.output<typeof writeKeyCredentialFileInput>;
type KeyInput = z.output<typeof renderKeyCredentialFileInput>;

/**
 * Exported credential files of API users (format: docs/credential-files.md). The content is handed to the
 * caller (the app saves it through main's save dialog) or written here (the CLI); either way the export is
 * an audit event that says who, which user, the format, encrypted or not and whether a secret was in it,
 * never the content.
 */
export class CredentialFilesService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly endpoints: () => TokenServerEndpoints,
  ) {}

  /** The file's content and suggested name. */
  async render(actor: Actor, data: RenderInput): Promise<RenderedCredentialFile> {
    await authorize(this.deps, actor, 'users.manage', 'credentials.exported');
    const { file, user, secret } = await this.produce(actor, data);
    await this.recordExport(actor, user, file, secret, null);
    return file;
  }

  /** Renders and writes the file atomically with mode 0600; refuses to replace a file unless `overwrite`. */
  async writeFile(actor: Actor, data: WriteInput): Promise<WrittenCredentialFile> {
    await authorize(this.deps, actor, 'users.manage', 'credentials.exported');
    const path = resolve(data.path);
    if (!data.overwrite && existsSync(path)) {
      throw new ConflictError(`${path} already exists`, { path: 'A file with this name exists; choose another name or allow overwriting' });
    }
    const { file, user, secret } = await this.produce(actor, data);
    writeFileAtomic(path, file.content, OWNER_ONLY);
    await this.recordExport(actor, user, file, secret, path);
    const { content: _content, ...meta } = file;
    return { ...meta, path };
  }

  /**
   * `credentials export --key` (the CLI): a key file written to `data.path` (see exportKeyFile).
   */
  async writeKeyFile(actor: Actor, data: WriteKeyInput): Promise<WrittenCredentialFile> {
    await authorize(this.deps, actor, 'users.manage', 'credentials.exported');
    const path = resolve(data.path);
    if (!data.overwrite && existsSync(path)) {
      throw new ConflictError(`${path} already exists`, { path: 'A file with this name exists; choose another name or allow overwriting' });
    }
    const written = await this.exportKeyFile(actor, data, async (content) => {
      writeFileAtomic(path, await content(), OWNER_ONLY);
      return path;
    });
    if (!written) throw new Error('the key file was not written');
    const { content: _content, ...meta } = written.file;
    return { ...meta, path };
  }

  /**
   * A key file, whoever writes it (the CLI to its --out path, the app through main's save dialog): a new key
   * pair; the public half is registered through the client keys service (its checks, its `key.added` event),
   * the private half goes only into the file. `write` gets the content lazily: it calls `content()` once it
   * knows where the file goes (the app: after the save dialog; not at all when the admin cancels, so a
   * cancelled export registers nothing), writes it, and answers the path, or null for nothing written.
   *
   * The order makes a failure leave nothing half-done: every refusal (the user, the format, the passphrase,
   * the key rules, the live-key limit) comes before the file is written, and the content is complete
   * (rendered and encrypted) before the key is registered; if writing the file then fails, the key just
   * registered is revoked at once (logged `key.revoked`), as its private half is lost. Revoking rather than
   * deleting keeps the `key.added` event in the log true to the store.
   */
  async exportKeyFile(
    actor: Actor,
    data: KeyInput,
    write: (content: () => Promise<string>) => Promise<string | null>,
  ): Promise<{ file: RenderedCredentialFile; path: string; kid: string; alg: ClientKeyAlg } | null> {
    await authorize(this.deps, actor, 'users.manage', 'credentials.exported');
    await requireApiUser(this.deps.store, data.userId, 'credential files');
    const clientKeys = new ClientKeysService(this.deps);
    let made: { file: RenderedCredentialFile; user: UserRecord; kid: string; alg: ClientKeyAlg } | undefined;
    const content = async (): Promise<string> => {
      if (made) throw new Error('the key file content is produced once');
      const { privateKey, publicKey } = generateKeyPair(data.alg);
      const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      // The kid as the client keys service will derive it (the RFC 7638 thumbprint): it goes into the file.
      const { kid, alg } = await readClientKey(publicPem);
      const privateJwk: PrivateJwk = { ...(privateKey.export({ format: 'jwk' }) as PrivateJwk), kid, alg, use: 'sig' };
      const { file, user } = await this.produce(actor, data, privateJwk);
      const label = `Exported ${new Date(this.deps.clock.now()).toISOString().slice(0, 10)}`;
      const info = await clientKeys.add(actor, parseInputOf('clientKeys.add', { userId: user.id, key: publicPem, label }));
      made = { file, user, kid, alg };
      if (info.kid !== kid) throw new Error(`the registered key's id ${info.kid} is not the file's ${kid}`);
      return file.content;
    };
    let path: string | null;
    try {
      path = await write(content);
      if (made && path === null) throw new Error('the key file was produced but not written');
    } catch (error) {
      if (made) await clientKeys.revoke(actor, parseInputOf('clientKeys.revoke', { userId: made.user.id, kid: made.kid }));
      throw error;
    }
    if (!made || path === null) return null;
    await this.recordExport(actor, made.user, made.file, null, path, { kid: made.kid, alg: made.alg });
    return { file: made.file, path, kid: made.kid, alg: made.alg };
  }

  private async produce(
    actor: Actor,
    data: RenderInput | KeyInput,
    privateJwk?: PrivateJwk,
  ): Promise<{ file: RenderedCredentialFile; user: UserRecord; secret: SecretRecord | null }> {
    const user = await requireApiUser(this.deps.store, data.userId, 'credential files');
    const clientId = await findClientIdOfUser(this.deps.store, user.id);
    if (!clientId) throw new NotFoundError(`The client id of ${user.name}`);
    const now = this.deps.clock.now();
    const given = 'secret' in data ? data.secret : undefined;
    const secret = given === undefined ? null : await this.matchLiveSecret(actor, user, given, now);
    const rights = await effectiveRightsFor(this.deps.store, user.id);
    const endpoints = this.endpoints();
    const document = buildCredentialDocument({
      name: user.name,
      clientId,
      secret: secret ? given! : null,
      issuer: endpoints.issuer,
      tokenEndpoint: endpoints.tokenEndpoint,
      scopes: rights.scopes,
      mailboxes: rights.mailboxes,
      caCertificate: endpoints.caCertificate,
      createdAt: now,
      expiresAt: earliest(secret?.expiresAt ?? null, user.expiresAt),
      ...(privateJwk ? { privateJwk } : {}),
    });
    let content = render(document, data.format);
    const encrypted = data.passphrase !== undefined;
    if (data.passphrase !== undefined) content = await encryptWithPassphrase(content, data.passphrase, data.format);
    return {
      user,
      secret,
      file: {
        fileName: `${clientId}.${data.format}${encrypted ? '.encrypted' : ''}`,
        content,
        format: data.format,
        encrypted,
        containsSecret: secret !== null,
        ...(privateJwk ? { containsPrivateKey: true } : {}),
        mediaType: encrypted || data.format === 'json' ? 'application/json' : 'text/plain',
      },
    };
  }

  /**
   * The secret must be one of the user's live secrets, so a file never carries a mistyped or stale one.
   * Only hashes are stored, so each live secret (at most a handful) is checked with argon2id.
   */
  private async matchLiveSecret(actor: Actor, user: UserRecord, secret: string, now: number): Promise<SecretRecord> {
    for (const candidate of await listLiveSecretsOfUser(this.deps.store, user.id, now)) {
      if (await this.deps.passwords.verify(candidate.secretHash, secret)) return candidate;
    }
    await recordEvent(this.deps.store, this.deps, actor, {
      type: 'credentials.exported',
      target: { id: user.id, name: user.name },
      outcome: 'failure',
      reason: 'secret_not_live',
    });
    throw new ValidationError({ secret: `This is not a live secret of ${user.name} (mistyped, revoked or expired)` });
  }

  private async recordExport(
    actor: Actor,
    user: UserRecord,
    file: RenderedCredentialFile,
    secret: SecretRecord | null,
    path: string | null,
    key: { kid: string; alg: ClientKeyAlg } | null = null,
  ): Promise<void> {
    await recordEvent(this.deps.store, this.deps, actor, {
      type: 'credentials.exported',
      target: { id: user.id, name: user.name },
      details: {
        format: file.format,
        encrypted: file.encrypted,
        containsSecret: file.containsSecret,
        // Which secret (its id), never its value.
        secretId: secret?.id ?? null,
        // A key file: which registered key its private half belongs to, never the key.
        ...(key ? { containsPrivateKey: true, kid: key.kid, alg: key.alg } : {}),
        fileName: file.fileName,
        ...(path !== null ? { path } : {}),
      },
    });
  }
}

/** A fresh key pair for `alg` (RSA: 3072 bits, beyond the 2048 the server requires at least). */
function generateKeyPair(alg: ClientKeyAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: 3072 });
  }
}

function render(document: Parameters<typeof renderCredentialFile>[0], format: CredentialFileFormat): string {
  try {
    return renderCredentialFile(document, format);
  } catch (error) {
    if (error instanceof EnvValueError) throw new ValidationError({ format: error.message });
    throw error;
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
