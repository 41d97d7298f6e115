import type { RenderedCredentialFile } from '../../shared/credential-files.dto.js';
import { AppError, ValidationError } from '../../shared/errors.js';
import type { CredentialFileSaved } from '../../shared/server.dto.js';
import { credentialExportInput } from '../../shared/server.schemas.js';
import { parseInput } from '../../shared/validate.js';
import type { Core } from '../core.js';
import { knownEndpoints, recordOfStatus } from '../credentials/endpoints.js';
import { authorize } from '../services/authorize.js';
import type { Actor } from '../services/context.js';
import { CredentialFilesService, type TokenServerEndpoints } from '../services/credential-files.js';
import { loadOrCreateTlsMaterial, readTlsCertificates } from '../crypto/tls.js';
import { readTokenServerSettings } from '../services/token-server-settings.js';
import { readRunningRecord } from '../token-server/running-record.js';
import { EXPORT_FILE_MODE } from '../shell/save-file.js';
import type { HandlerRuntime } from './runtime.js';

/**
 * An API user's credential file, saved through main's save dialog. The file is rendered (and the export
 * logged by CredentialFilesService) only after the admin has chosen where, so a cancelled dialog leaves
 * no "exported" event behind; it is written owner-only, since it may hold the secret.
 */
export async function exportCredentialFile(core: Core, runtime: HandlerRuntime, actor: Actor, input: unknown): Promise<CredentialFileSaved> {
  const data = parseInput(credentialExportInput, input);
  authorize(core.deps, actor, 'users.manage', 'credentials.exported');
  const saveFile = runtime.saveFile;
  if (!saveFile) throw new AppError('not_found', 'Saving files is not available here');
  const user = core.users.show(actor, { id: data.userId });
  if (user.kind !== 'api' || user.clientId === null) {
    throw new ValidationError({ userId: `${user.name} is a person; only API users have credential files` });
  }
  // Before the save dialog: an export that cannot name the server is refused before the admin picks a file.
  const endpoints = await endpointsFor(core, runtime);
  const service = new CredentialFilesService(core.deps, () => endpoints);
  const encrypted = data.passphrase !== undefined;
  let rendered: RenderedCredentialFile | undefined;
  const outcome = await saveFile({
    // The same name CredentialFilesService gives the file (`<client id>.<format>[.encrypted]`).
    defaultName: `${user.clientId}.${data.format}${encrypted ? '.encrypted' : ''}`,
    content: async () => {
      rendered = await service.render(actor, data);
      return rendered.content;
    },
    mode: EXPORT_FILE_MODE,
    filters: [
      data.format === 'json' || encrypted
        ? { name: 'Keyrack credential file', extensions: encrypted ? ['encrypted', 'json'] : ['json'] }
        : { name: 'Environment file', extensions: ['env'] },
    ],
  });
  if (!outcome.saved || !rendered) return { saved: false };
  const { fileName, format, containsSecret } = rendered;
  return { saved: true, path: outcome.path, fileName, format, encrypted: rendered.encrypted, containsSecret };
}

/**
 * Where integrators get tokens (credentials/endpoints.ts): the issuer setting, else the running server's
 * issuer (this process's, else another process's on the same data folder), else the export is refused.
 */
async function endpointsFor(core: Core, runtime: HandlerRuntime): Promise<TokenServerEndpoints> {
  const settings = readTokenServerSettings(core.deps);
  // An https issuer gets Keyrack's CA, created here if the server never ran with TLS yet (as the CLI does).
  if (settings.issuer?.startsWith('https:') && runtime.tokenServer && !readTlsCertificates(core.dataDir)) {
    await loadOrCreateTlsMaterial(core.dataDir, runtime.tokenServer.keyWrapper);
  }
  const own = recordOfStatus(runtime.tokenServer?.host.status());
  return knownEndpoints(core.dataDir, settings, own ?? readRunningRecord(core.dataDir));
}
