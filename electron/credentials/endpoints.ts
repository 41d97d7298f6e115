import { hostname } from 'node:os';
import type { Db } from '../db/open.js';
import { readTlsCertificates } from '../crypto/tls.js';
import { isDnsName } from '../crypto/x509-issue.js';
import { readSetting } from '../repos/settings.repo.js';
import type { TokenServerEndpoints } from '../services/credential-files.js';

/**
 * Where an integrator reaches the token server, worked out from the stored settings when the server is not
 * running in this process (the CLI). The running server knows better (its `issuer` and URL): the app passes
 * that to CredentialFilesService instead. Mirrors electron/token-server/server.ts: issuer = the configured
 * issuer, else the server's base URL; token endpoint = `/oauth2/token` resolved against the issuer, as the
 * RFC 8414 metadata (endpoints/discovery.ts) states it.
 */
export function endpointsFromStoredSettings(dataDir: string, db: Db): TokenServerEndpoints {
  const settings = readSetting<Partial<StoredServerSettings>>(db, 'tokenServer') ?? {};
  const port = typeof settings.port === 'number' ? settings.port : DEFAULT_PORT;
  const plain = settings.lanAccess === true && settings.plainHttpOnLan === true;
  // On the LAN, integrators use the machine's name (it is in the server certificate); otherwise loopback.
  const host = settings.lanAccess === true ? lanHostName() : 'localhost';
  const baseUrl = `${plain ? 'http' : 'https'}://${host}:${port}`;
  const issuer = typeof settings.issuer === 'string' && settings.issuer !== '' ? settings.issuer : baseUrl;
  const tls = readTlsCertificates(dataDir);
  return {
    issuer,
    tokenEndpoint: new URL('/oauth2/token', issuer).href,
    caCertificate: tls?.source === 'generated' && !plain ? tls.caCert : null,
  };
}

interface StoredServerSettings {
  issuer: string | null;
  port: number;
  lanAccess: boolean;
  plainHttpOnLan: boolean;
}

/** The token server's default port (DEFAULT_TOKEN_SERVER_SETTINGS in services/token-server-settings.ts). */
const DEFAULT_PORT = 8443;

function lanHostName(): string {
  const name = hostname().toLowerCase();
  return isDnsName(name) ? name : 'localhost';
}
