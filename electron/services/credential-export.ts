import type { ParsedInputOf } from '../../shared/contract.js';
import type { RenderedCredentialFile } from '../../shared/credential-files.dto.js';
import { AppError, ValidationError } from '../../shared/errors.js';
import type { CredentialFileDestination, CredentialFileSaved } from '../../shared/server.dto.js';
import type { Core } from '../core.js';
import { credentialFileDestination, knownEndpoints } from '../credentials/endpoints.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, readTlsCertificates } from '../crypto/tls.js';
import { tlsHome } from './tls-certificates.js';
import { EXPORT_FILE_MODE } from '../shell/save-file.js';
import { readRunningRecord } from '../token-server/running-record.js';
import { authorize } from './authorize.js';
import type { Actor } from './context.js';
import { CredentialFilesService, type TokenServerEndpoints } from './credential-files.js';
import type { HandlerRuntime } from './runtime.js';
import { readTokenServerSettings } from './token-server-settings.js';

/**
 * An API user's credential file, saved through main's save dialog. The file is rendered (and the export
 * logged by CredentialFilesService) only after the admin has chosen where, so a cancelled dialog leaves
 * no "exported" event behind; it is written owner-only, since it may hold the secret.
 */
export async function exportCredentialFile(
  core: Core,
  runtime: HandlerRuntime,
  actor: Actor,
  data: ParsedInputOf<'credentials.export'>,
): Promise<CredentialFileSaved> {
  const { saveFile, service, file } = await prepareExport(core, runtime, actor, data);
  let rendered: RenderedCredentialFile | undefined;
  const outcome = await saveFile({
    ...file,
    content: async () => {
      rendered = await service.render(actor, data);
      return rendered.content;
    },
  });
  if (!outcome.saved || !rendered) return { saved: false };
  const { fileName, format, containsSecret } = rendered;
  return { saved: true, path: outcome.path, fileName, format, encrypted: rendered.encrypted, containsSecret };
}

/**
 * Key mode of the export (`keyrack credentials export --key` in the app): the same CredentialFilesService
 * step the CLI takes (exportKeyFile), written through main's save dialog. The key pair is made and its public
 * key registered only once the admin has chosen where (a cancelled dialog registers nothing); if the save
 * then fails, the service revokes the key it registered.
 */
export async function exportKeyCredentialFile(
  core: Core,
  runtime: HandlerRuntime,
  actor: Actor,
  data: ParsedInputOf<'credentials.exportKey'>,
): Promise<CredentialFileSaved> {
  const { saveFile, service, file } = await prepareExport(core, runtime, actor, data);
  const written = await service.exportKeyFile(actor, data, async (content) => {
    const outcome = await saveFile({ ...file, content });
    return outcome.saved ? outcome.path : null;
  });
  if (!written) return { saved: false };
  const { fileName, format } = written.file;
  return { saved: true, path: written.path, fileName, format, encrypted: written.file.encrypted, containsSecret: false, kid: written.kid };
}

/**
 * What both exports settle before the save dialog: the permission, a place to save, an API user, and the
 * server the file names (an export that cannot name it is refused before the admin picks a file).
 */
async function prepareExport(
  core: Core,
  runtime: HandlerRuntime,
  actor: Actor,
  data: { userId: number; format: 'json' | 'env'; passphrase?: string | undefined },
) {
  await authorize(core.deps, actor, 'users.manage', 'credentials.exported');
  const saveFile = runtime.saveFile;
  if (!saveFile) throw new AppError('not_found', 'Saving files is not available here');
  const user = await core.users.show(actor, { id: data.userId });
  if (user.kind !== 'api' || user.clientId === null) {
    throw new ValidationError({ userId: `${user.name} is a person; only API users have credential files` });
  }
  const keyWrapper = runtime.tokenServer?.keyWrapper;
  const endpoints = await credentialFileEndpoints(core, keyWrapper && (() => keyWrapper));
  const encrypted = data.passphrase !== undefined;
  return {
    saveFile,
    service: new CredentialFilesService(core.deps, () => endpoints),
    file: {
      // The same name CredentialFilesService gives the file (`<client id>.<format>[.encrypted]`).
      defaultName: `${user.clientId}.${data.format}${encrypted ? '.encrypted' : ''}`,
      mode: EXPORT_FILE_MODE,
      filters: [fileFilter(data.format, encrypted)],
    },
  };
}

function fileFilter(format: 'json' | 'env', encrypted: boolean): { name: string; extensions: string[] } {
  return format === 'json' || encrypted
    ? { name: 'Keyrack credential file', extensions: encrypted ? ['encrypted', 'json'] : ['json'] }
    : { name: 'Environment file', extensions: ['env'] };
}

/**
 * Where integrators get tokens, for a credential file (credentials/endpoints.ts): the issuer setting, else
 * the issuer of the server running on this data folder (its running record, which this process's own server
 * writes too), else the export is refused. The app and `keyrack credentials export` both ask here.
 *
 * An https issuer gets Keyrack's CA in the file, so the CA is created now if the server never ran with TLS
 * yet, its key wrapped with `keyWrapper` (the hosted server's in the app, the master key in the CLI); with
 * no wrapper (no token server in this process) none is created here.
 */
export async function credentialFileEndpoints(core: Core, keyWrapper: (() => KeyWrapper) | undefined): Promise<TokenServerEndpoints> {
  const settings = await readTokenServerSettings(core.deps);
  if (settings.issuer?.startsWith('https:') && keyWrapper && !(await readTlsCertificates(tlsHome(core)))) {
    await loadOrCreateTlsMaterial(tlsHome(core), keyWrapper());
  }
  return knownEndpoints(tlsHome(core), settings, readRunningRecord(core.dataDir));
}

/**
 * What the export dialog says before the save: the address a file would name now, and whether only this
 * computer reaches it. Reads only (no CA is created here); the same permission as the export itself.
 */
export async function exportDestination(core: Core, actor: Actor): Promise<CredentialFileDestination> {
  await authorize(core.deps, actor, 'users.manage', 'credentials.exported');
  return credentialFileDestination(await readTokenServerSettings(core.deps), readRunningRecord(core.dataDir));
}
