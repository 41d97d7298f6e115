import { hostname } from 'node:os';
import type { Db } from '../db/open.js';
import { readTlsCertificates } from '../crypto/tls.js';
import { isDnsName } from '../crypto/x509-issue.js';
import { readTokenServerSettings } from '../services/token-server-settings.js';
import type { TokenServerEndpoints } from '../services/credential-files.js';
import { chooseTransport, listenHostFor } from '../token-server/host.js';

/**
 * Where an integrator reaches the token server, worked out from the stored settings when the server is not
 * running in this process (the CLI). The running server knows better (its `issuer` and URL): the app passes
 * that to CredentialFilesService instead. Uses the host's own rules (token-server/host.ts) for the address
 * and the transport, so the file names the URL the server will actually answer on: plain HTTP on loopback
 * when LAN access is off, HTTPS with Keyrack's CA on the LAN unless plain HTTP was opted in.
 */
export function endpointsFromStoredSettings(dataDir: string, db: Db): TokenServerEndpoints {
  const settings = readTokenServerSettings({ db });
  const transport = chooseTransport(listenHostFor(settings), settings);
  const host = transport === 'plain-loopback' ? '127.0.0.1' : lanHostName();
  const baseUrl = `${transport === 'tls' ? 'https' : 'http'}://${host}:${settings.port}`;
  const issuer = settings.issuer ?? baseUrl;
  const tls = transport === 'tls' ? readTlsCertificates(dataDir) : null;
  return {
    issuer,
    tokenEndpoint: new URL('/oauth2/token', issuer).href,
    caCertificate: tls?.source === 'generated' ? tls.caCert : null,
  };
}

/** On the LAN integrators use the machine's name (it is in the server certificate). */
function lanHostName(): string {
  const name = hostname().toLowerCase();
  return isDnsName(name) ? name : 'localhost';
}
