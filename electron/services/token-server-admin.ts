import type { ParsedInputOf } from '../../shared/contract.js';
import type { CaCertificateInfo, CaCertificateSaved, ServerPageStatus } from '../../shared/server.dto.js';
import { AppError, ConflictError } from '../../shared/errors.js';
import type { SigningKeyInfo } from '../../shared/token-server.dto.js';
import type { Core } from '../core.js';
import { describeTls, loadOrCreateTlsMaterial, readTlsCertificates } from '../crypto/tls.js';
import type { TokenServerHost } from '../token-server/host.js';
import { PlainHttpRefusedError, PortInUseError } from '../token-server/server.js';
import { recordEvent, type EventSpec } from './audit.js';
import { tlsHome } from './tls-certificates.js';
import { authorize } from './authorize.js';
import type { Actor } from './context.js';
import type { HandlerRuntime } from './runtime.js';
import { readTokenServerSettings, updateTokenServerSettings } from './token-server-settings.js';

/** Public material: anyone may have the CA certificate (integrators install it to trust the server). */
const PUBLIC_FILE_MODE = 0o644;

/**
 * The Token server page's operations on the host this process runs: each checks the person's permission
 * (reading needs an active session, changing needs `server.manage`), acts, and leaves an audit event.
 */
export class TokenServerAdmin {
  constructor(
    private readonly core: Core,
    private readonly runtime: HandlerRuntime,
  ) {}

  async status(actor: Actor): Promise<ServerPageStatus> {
    await authorize(this.core.deps, actor, null, 'server.started');
    return this.pageStatus();
  }

  async start(actor: Actor): Promise<ServerPageStatus> {
    await authorize(this.core.deps, actor, 'server.manage', 'server.started');
    const host = this.host();
    if (host.running) return this.pageStatus();
    await this.startLogged(actor, () => host.start(), 'start');
    return this.pageStatus();
  }

  async stop(actor: Actor): Promise<ServerPageStatus> {
    await authorize(this.core.deps, actor, 'server.manage', 'server.stopped');
    const host = this.host();
    const before = await host.status();
    await host.stop();
    if (before.running) {
      await this.record(actor, { type: 'server.stopped', details: { urls: before.urls } });
    }
    return this.pageStatus();
  }

  /**
   * Saves the settings (the settings service checks `server.manage` and logs what changed), then restarts a
   * running server so they take effect. A restart that fails (the new port is taken) is logged and shows in
   * the returned status's `lastError` with the server stopped; the settings stay saved so the admin can fix them.
   */
  async updateSettings(actor: Actor, patch: ParsedInputOf<'server.updateSettings'>): Promise<ServerPageStatus> {
    const host = this.host();
    const before = await readTokenServerSettings(this.core.deps);
    const after = await updateTokenServerSettings(this.core.deps, actor, patch);
    // The algorithm applies to the next signing key, not to the listener: changing only it needs no restart.
    const restartNeeded = (Object.keys(after) as (keyof typeof after)[]).some(
      (k) => k !== 'signingAlg' && JSON.stringify(after[k]) !== JSON.stringify(before[k]),
    );
    if (restartNeeded && host.running) {
      try {
        await this.startLogged(actor, () => host.restart(), 'restart');
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
    return this.pageStatus();
  }

  rotateKey(actor: Actor, input: ParsedInputOf<'server.rotateKey'>): Promise<SigningKeyInfo> {
    // The signing keys service checks `server.manage` and logs the rotation (keys.rotated).
    return this.host().rotateKey(actor, input);
  }

  /**
   * Saves the CA certificate where the admin chooses. The CA is created first if the server never ran with
   * TLS yet (as `keyrack credentials export` does), so integrators can be given it before LAN access is on.
   */
  async saveCaCertificate(actor: Actor): Promise<CaCertificateSaved> {
    await authorize(this.core.deps, actor, 'server.manage', 'credentials.exported');
    const { keyWrapper } = this.tokenServer();
    const saveFile = this.runtime.saveFile;
    if (!saveFile) throw new AppError('not_found', 'Saving files is not available here');
    const certificates =
      (await readTlsCertificates(tlsHome(this.core))) ?? (await loadOrCreateTlsMaterial(tlsHome(this.core), keyWrapper));
    const outcome = await saveFile({
      defaultName: 'keyrack-ca.crt',
      content: certificates.caCert,
      mode: PUBLIC_FILE_MODE,
      filters: [{ name: 'Certificate', extensions: ['crt', 'pem'] }],
    });
    if (outcome.saved) {
      await this.record(actor, {
        type: 'credentials.exported',
        details: { what: 'ca_certificate', fingerprint: certificates.caFingerprint, path: outcome.path },
      });
    }
    return { ...outcome, fingerprint: certificates.caFingerprint };
  }

  private async pageStatus(): Promise<ServerPageStatus> {
    const { host, keyWrapper } = this.tokenServer();
    return { ...(await host.status()), ca: await this.caInfo(), keyProtection: keyWrapper.description };
  }

  private async caInfo(): Promise<CaCertificateInfo | null> {
    const certificates = await readTlsCertificates(tlsHome(this.core));
    if (!certificates) return null;
    const described = describeTls(certificates, { now: () => this.core.deps.clock.now() });
    return {
      fingerprint: described.caFingerprint,
      source: described.source,
      subject: described.caSubject,
      notAfter: described.caNotAfter,
    };
  }

  /** Runs a start or restart; a refusal the admin can fix becomes a ConflictError with the host's message. */
  private async startLogged(actor: Actor, run: () => Promise<unknown>, how: 'start' | 'restart'): Promise<void> {
    try {
      await run();
    } catch (error) {
      const reason = startFailureReason(error);
      if (reason === null) throw error;
      const message = (error as Error).message;
      await this.record(actor, { type: 'server.started', outcome: 'failure', reason, details: { how, error: message } });
      throw new ConflictError(message);
    }
    const status = await this.host().status();
    await this.record(actor, { type: 'server.started', details: { how, urls: status.urls, tls: status.tls } });
  }

  private async record(actor: Actor, spec: EventSpec): Promise<void> {
    await this.core.deps.store.transaction((tx) => recordEvent(tx, this.core.deps, actor, spec));
  }

  private host(): TokenServerHost {
    return this.tokenServer().host;
  }

  private tokenServer(): NonNullable<HandlerRuntime['tokenServer']> {
    const tokenServer = this.runtime.tokenServer;
    if (!tokenServer) {
      throw new AppError('not_found', 'The token server does not run in this process (it runs in the desktop app and in keyrack serve)');
    }
    return tokenServer;
  }
}

/** Why a start failed, for the log, when the admin can fix it from the page; null for anything unexpected. */
function startFailureReason(error: unknown): string | null {
  if (error instanceof PortInUseError) return 'port_in_use';
  if (error instanceof PlainHttpRefusedError) return 'plain_http_refused';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // Binding an address this machine does not have, or a privileged port.
  if (code === 'EADDRNOTAVAIL' || code === 'EACCES') return code === 'EACCES' ? 'port_not_permitted' : 'address_not_available';
  return null;
}
