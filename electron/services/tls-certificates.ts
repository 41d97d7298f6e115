import type { Core } from '../core.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import {
  describeTls,
  discardCertificateAuthority,
  installCertificate,
  loadOrCreateTlsMaterial,
  removeInstalledCertificate,
  type TlsDescription,
  type TlsHome,
} from '../crypto/tls.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor } from './context.js';

/**
 * Changes to the token server's certificate (`keyrack tls install` and `tls reset`): each needs
 * `server.manage` and is a settings change in the log, with names and fingerprints, never key material.
 * `keyWrapper` wraps the private keys at rest; it is asked for only when a key is written.
 */

/**
 * Where a core's TLS material lives: the CA in its store (shared by every node over it, issue 10), this
 * node's server certificate in its data folder.
 */
export function tlsHome(core: Core): TlsHome {
  return { dataDir: core.dataDir, store: core.deps.store };
}

/** Serves with the administrator's own certificate (chain, leaf first) and its key instead of Keyrack's CA. */
export async function installTlsCertificate(
  core: Core,
  actor: Actor,
  keyWrapper: () => KeyWrapper,
  certificatePem: string,
  privateKeyPem: string,
): Promise<TlsDescription> {
  await authorize(core.deps, actor, 'server.manage', 'settings.changed');
  const described = describeTls(await installCertificate(tlsHome(core), keyWrapper(), certificatePem, privateKeyPem));
  await recordTlsChange(core, actor, 'installed', described);
  return described;
}

/** Back to Keyrack's CA: removes an installed certificate and, with `newCa`, replaces the CA itself. */
export async function resetTlsCertificate(
  core: Core,
  actor: Actor,
  keyWrapper: () => KeyWrapper,
  options: { newCa: boolean },
): Promise<{ removedInstalled: boolean; described: TlsDescription }> {
  await authorize(core.deps, actor, 'server.manage', 'settings.changed');
  const removedInstalled = await removeInstalledCertificate(tlsHome(core));
  if (options.newCa) await discardCertificateAuthority(tlsHome(core));
  const described = describeTls(await loadOrCreateTlsMaterial(tlsHome(core), keyWrapper()));
  await recordTlsChange(core, actor, options.newCa ? 'new_ca' : 'reset', described);
  return { removedInstalled, described };
}

/** The change is to files and the CA's row (tls.ts keeps them consistent): the event is written in a transaction of its own. */
async function recordTlsChange(core: Core, actor: Actor, action: 'installed' | 'reset' | 'new_ca', described: TlsDescription): Promise<void> {
  await recordEvent(core.deps.store, core.deps, actor, {
    type: 'settings.changed',
    details: {
      setting: 'tls',
      action,
      source: described.source,
      subject: described.subject,
      fingerprint: described.fingerprint,
      caFingerprint: described.caFingerprint,
    },
  });
}
