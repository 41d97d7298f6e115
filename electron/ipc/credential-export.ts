import type { RenderedCredentialFile } from '../../shared/credential-files.dto.js';
import { AppError, ValidationError } from '../../shared/errors.js';
import type { CredentialFileSaved } from '../../shared/server.dto.js';
import { credentialExportInput } from '../../shared/server.schemas.js';
import { parseInput } from '../../shared/validate.js';
import type { Core } from '../core.js';
import { endpointsFromStoredSettings } from '../credentials/endpoints.js';
import { authorize } from '../services/audit.js';
import type { Actor } from '../services/context.js';
import { CredentialFilesService, type TokenServerEndpoints } from '../services/credential-files.js';
import { chooseTransport, listenHostFor } from '../token-server/host.js';
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
  const service = new CredentialFilesService(core.deps, () => endpointsFor(core, runtime));
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
 * Where integrators get tokens: from the running server (its real issuer and port, its CA when it speaks
 * TLS with Keyrack's own certificate); while it is stopped, from the stored settings as the CLI does.
 */
function endpointsFor(core: Core, runtime: HandlerRuntime): TokenServerEndpoints {
  const status = runtime.tokenServer?.host.status();
  if (!status?.running || status.issuer === null) {
    const settings = status?.settings;
    // Loopback only, the host serves plain HTTP on 127.0.0.1 (host.ts chooseTransport); endpoints.ts
    // assumes TLS there, so the address the host will really answer on is given instead.
    if (settings && settings.issuer === null && chooseTransport(listenHostFor(settings), settings) === 'plain-loopback') {
      const issuer = `http://127.0.0.1:${settings.port}`;
      return { issuer, tokenEndpoint: `${issuer}/oauth2/token`, caCertificate: null };
    }
    return endpointsFromStoredSettings(core.dataDir, core.db);
  }
  return {
    issuer: status.issuer,
    tokenEndpoint: new URL('/oauth2/token', status.issuer).href,
    caCertificate: status.tls && status.tlsSource === 'generated' ? status.caCertPem : null,
  };
}
