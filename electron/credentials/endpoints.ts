import { ConflictError } from '../../shared/errors.js';
import type { CredentialFileDestination } from '../../shared/server.dto.js';
import type { TokenServerSettings } from '../../shared/token-server.dto.js';
import { readTlsCertificates, type TlsHome } from '../crypto/tls.js';
import type { TokenServerEndpoints } from '../services/credential-files.js';
import { PATHS } from '../token-server/endpoints/discovery.js';
import { isLoopback } from '../token-server/listen-address.js';
import type { RunningServerRecord } from '../token-server/running-record.js';

/** Why an export is refused when nobody knows where integrators reach the server. */
export const UNKNOWN_SERVER_ADDRESS =
  'Keyrack does not know the address integrators reach the token server at: no issuer is set and the server is not running. ' +
  'Set the issuer to that address (Token server page, or keyrack server settings set --issuer https://keyrack.office.lan:8443), ' +
  'or start the server, then export again.';

/**
 * Where an integrator reaches the token server, for a credential file. Only what is known, never a guess
 * from the settings (a `keyrack serve --port` or `--host` override, a reverse proxy or a wildcard address
 * all make the stored port and host wrong):
 * 1. the issuer setting: the name the office gave the server, the one clients use (behind a proxy too);
 * 2. else the running server's own issuer, from the record the process running it (this one or another
 *    on the data folder) keeps in token-server/running-record.ts;
 * 3. else nothing is known and the export is refused (a wrong URL in a file is worse than no file).
 * The CA certificate travels with an https URL when the server speaks TLS with Keyrack's own CA (read from
 * `home`: the store's CA, the one every node's certificate chains to).
 */
export async function knownEndpoints(
  home: TlsHome,
  settings: Pick<TokenServerSettings, 'issuer'>,
  running: Pick<RunningServerRecord, 'issuer' | 'tls' | 'tlsSource'> | null,
): Promise<TokenServerEndpoints> {
  const issuer = knownIssuer(settings, running);
  if (issuer === null) throw new ConflictError(UNKNOWN_SERVER_ADDRESS);
  const https = new URL(issuer).protocol === 'https:';
  // With an issuer of its own the server may sit behind a proxy; Keyrack's CA is still offered for https,
  // since it is what a direct connection to Keyrack presents (a client that does not need it ignores it).
  const usesOwnCa = running && settings.issuer === null ? running.tls && running.tlsSource === 'generated' : https;
  const tls = https && usesOwnCa ? await readTlsCertificates(home) : null;
  return {
    issuer,
    tokenEndpoint: new URL(PATHS.token, issuer).href,
    caCertificate: tls?.source === 'generated' ? tls.caCert : null,
  };
}

/** The issuer a credential file would name (see knownEndpoints), or null when none is known. */
export function knownIssuer(
  settings: Pick<TokenServerSettings, 'issuer'>,
  running: Pick<RunningServerRecord, 'issuer'> | null,
): string | null {
  return settings.issuer ?? running?.issuer ?? null;
}

/**
 * Where a credential file exported now would send integrators, told to the admin before the file is saved
 * (issue 13: a file naming http://127.0.0.1:<port> reached no other machine, and nothing said so).
 */
export function credentialFileDestination(
  settings: Pick<TokenServerSettings, 'issuer' | 'lanAccess'>,
  running: Pick<RunningServerRecord, 'issuer'> | null,
): CredentialFileDestination {
  const issuer = knownIssuer(settings, running);
  if (issuer === null) return { known: false, lanAccess: settings.lanAccess };
  return {
    known: true,
    issuer,
    tokenEndpoint: new URL(PATHS.token, issuer).href,
    thisComputerOnly: isLoopbackHost(new URL(issuer).hostname),
    lanAccess: settings.lanAccess,
  };
}

/**
 * A URL host that only this computer reaches: a loopback address (127.0.0.0/8, ::1, an IPv4-mapped one) or
 * a `localhost` name, which RFC 6761 §6.3 reserves for loopback (`foo.localhost` included).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}
