import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type {
  CredentialFileFormat,
  RenderedCredentialFile,
  WrittenCredentialFile,
} from '../../shared/credential-files.dto.js';
import type { renderCredentialFileInput, writeCredentialFileInput } from '../../shared/credential-files.schemas.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { OWNER_ONLY, writeFileAtomic } from '../fs/atomic-write.js';
import { buildCredentialDocument, EnvValueError, renderCredentialFile } from '../credentials/credential-file-format.js';
import { encryptWithPassphrase } from '../credentials/passphrase-envelope.js';
import { findClientIdOfUser, listLiveSecretsOfUser, type SecretRecord } from '../repos/credentials.repo.js';
import { findUserById, type UserRecord } from '../repos/users.repo.js';
import { recordEventOnDb } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';
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
    authorize(this.deps, actor, 'users.manage', 'credentials.exported');
    const { file, user, secret } = await this.produce(actor, data);
    this.recordExport(actor, user, file, secret, null);
    return file;
  }

  /** Renders and writes the file atomically with mode 0600; refuses to replace a file unless `overwrite`. */
  async writeFile(actor: Actor, data: WriteInput): Promise<WrittenCredentialFile> {
    authorize(this.deps, actor, 'users.manage', 'credentials.exported');
    const path = resolve(data.path);
    if (!data.overwrite && existsSync(path)) {
      throw new ConflictError(`${path} already exists`, { path: 'A file with this name exists; choose another name or allow overwriting' });
    }
    const { file, user, secret } = await this.produce(actor, data);
    writeFileAtomic(path, file.content, OWNER_ONLY);
    this.recordExport(actor, user, file, secret, path);
    const { content: _content, ...meta } = file;
    return { ...meta, path };
  }

  private async produce(
    actor: Actor,
    data: RenderInput,
  ): Promise<{ file: RenderedCredentialFile; user: UserRecord; secret: SecretRecord | null }> {
    const user = this.requireApiUser(data.userId);
    const clientId = findClientIdOfUser(this.deps.db, user.id);
    if (!clientId) throw new NotFoundError(`The client id of ${user.name}`);
    const now = this.deps.clock.now();
    const secret = data.secret === undefined ? null : await this.matchLiveSecret(actor, user, data.secret, now);
    const rights = effectiveRightsFor(this.deps, user.id);
    const endpoints = this.endpoints();
    const document = buildCredentialDocument({
      name: user.name,
      clientId,
      secret: secret ? data.secret! : null,
      issuer: endpoints.issuer,
      tokenEndpoint: endpoints.tokenEndpoint,
      scopes: rights.scopes,
      mailboxes: rights.mailboxes,
      caCertificate: endpoints.caCertificate,
      createdAt: now,
      expiresAt: earliest(secret?.expiresAt ?? null, user.expiresAt),
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
        mediaType: encrypted || data.format === 'json' ? 'application/json' : 'text/plain',
      },
    };
  }

  /**
   * The secret must be one of the user's live secrets, so a file never carries a mistyped or stale one.
   * Only hashes are stored, so each live secret (at most a handful) is checked with argon2id.
   */
  private async matchLiveSecret(actor: Actor, user: UserRecord, secret: string, now: number): Promise<SecretRecord> {
    for (const candidate of listLiveSecretsOfUser(this.deps.db, user.id, now)) {
      if (await this.deps.passwords.verify(candidate.secretHash, secret)) return candidate;
    }
    recordEventOnDb(this.deps, actor, {
      type: 'credentials.exported',
      target: { id: user.id, name: user.name },
      outcome: 'failure',
      reason: 'secret_not_live',
    });
    throw new ValidationError({ secret: `This is not a live secret of ${user.name} (mistyped, revoked or expired)` });
  }

  private recordExport(
    actor: Actor,
    user: UserRecord,
    file: RenderedCredentialFile,
    secret: SecretRecord | null,
    path: string | null,
  ): void {
    recordEventOnDb(this.deps, actor, {
      type: 'credentials.exported',
      target: { id: user.id, name: user.name },
      details: {
        format: file.format,
        encrypted: file.encrypted,
        containsSecret: file.containsSecret,
        // Which secret (its id), never its value.
        secretId: secret?.id ?? null,
        fileName: file.fileName,
        ...(path !== null ? { path } : {}),
      },
    });
  }

  private requireApiUser(id: number): UserRecord {
    const user = findUserById(this.deps.db, id);
    if (!user) throw new NotFoundError(`User ${id}`);
    if (user.kind !== 'api') {
      throw new ValidationError({ userId: `${user.name} is a person; only API users have credential files` });
    }
    return user;
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
