import { hostname } from 'node:os';
import type { ParsedInputOf } from '../../shared/contract.js';
import type { SigningKeyInfo, TokenServerSettings, TokenServerStatus } from '../../shared/token-server.dto.js';
import type { Core } from '../core.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, machineNames, serverNamesFor, type TlsMaterial } from '../crypto/tls.js';
import type { MachineNames } from '../crypto/x509-issue.js';
import { startHeartbeat, type Heartbeat } from '../db/node-heartbeat.js';
import { createAllowlistChecker } from '../net/allowlist-checker.js';
import { KEYRACK_VERSION } from '../version.js';
import type { Actor } from '../services/context.js';
import { SigningKeysService } from '../services/signing-keys.service.js';
import { readTokenServerSettings } from '../services/token-server-settings.js';
import type { MailRelayStatus } from '../../shared/mail.dto.js';
import { readMailRelaySettings } from '../mail/mail-settings.js';
import { startMailRelay, type MailRelayOptions, type RunningMailRelay } from '../mail/relay.js';
import { removeRunningRecord, RUNNING_RECORD_FILE, writeRunningRecord } from './running-record.js';
import { PATHS } from './endpoints/discovery.js';
import { chooseTransport, isLoopback, listenHostFor, reachableUrls } from './listen-address.js';
import { startTokenServer, type RunningTokenServer, type TokenServerTuning } from './server.js';

/**
 * The one composition of the token server that both `keyrack serve` and the desktop app use: settings,
 * TLS material, provider ranges, signing keys, the server itself and the wiring that makes an admin's
 * change reach it. Plain Node; the desktop app hands in its safeStorage key wrapper, the CLI the
 * headless one.
 */
export interface TokenServerHostOptions {
  core: Core;
  /** Where tls/ and the running record live (normally core.dataDir; the ranges are core.ranges()). */
  dataDir: string;
  /** Wraps the signing keys' and the TLS keys' private halves at rest. */
  keyWrapper: KeyWrapper;
  /** Overrides of the settings' address and port (`keyrack serve --host --port`, tests' port 0). */
  host?: string | undefined;
  port?: number | undefined;
  /**
   * The machine's names for the generated server certificate; default: tls.ts machineNames. The listen
   * address and the issuer's host are always added (serverNamesFor).
   */
  tlsNames?: MachineNames | undefined;
  tuning?: Partial<TokenServerTuning> | undefined;
  /** The better-sqlite3 binary the store was opened with, when not this Node's (the Electron app passes its own). */
  nativeBinding?: string | undefined;
  /** Default: a worker thread (context.ts); tests write inline. */
  auditWriter?: 'worker' | 'inline' | undefined;
  /** Operational messages (plain HTTP on the LAN, start failures); never secrets. */
  log?: ((message: string) => void) | undefined;
  /** This node's name on a shared store (`keyrack serve --node`); default: the host name. */
  nodeName?: string | undefined;
  /** The mail relay's port overrides (tests' 0) and tuning; whether it runs is its stored setting. */
  mail?: Pick<MailRelayOptions, 'submissionPort' | 'implicitTlsPort' | 'delivery' | 'upstream'> | undefined;
}

export interface TokenServerHost {
  /** The settings and signing keys as stored now (read from the store), and how the running server answers. */
  status(): Promise<TokenServerStatus>;
  /** Starts with the stored settings; a no-op while running. Rejects (and records lastError) on failure. */
  start(): Promise<TokenServerStatus>;
  /** Stops accepting, finishes requests in flight, flushes the audit writer. A no-op while stopped. */
  stop(): Promise<void>;
  /** Stop, then start with the settings as stored now (after a settings change). */
  restart(): Promise<TokenServerStatus>;
  /** A new signing key (permission server.manage); a running server signs with it from the next token. */
  rotateKey(actor: Actor, input?: ParsedInputOf<'server.rotateKey'>): Promise<SigningKeyInfo>;
  /** The running server, for tests and the benchmark; undefined while stopped. */
  readonly running: RunningTokenServer | undefined;
  /** The mail relay started with the server (when its setting enables it), for tests; undefined otherwise. */
  readonly mailRelay: RunningMailRelay | undefined;
  mailRelayStatus(): Promise<MailRelayStatus>;
}

interface Started {
  server: RunningTokenServer;
  /** On a shared store: this node's row in store_nodes, kept fresh while it serves (node-heartbeat.ts). */
  heartbeat: Heartbeat | undefined;
  mail: RunningMailRelay | undefined;
  tls: TlsMaterial | undefined;
  settings: TokenServerSettings;
  startedAt: number;
}

export function createTokenServerHost(options: TokenServerHostOptions): TokenServerHost {
  const { core, dataDir, keyWrapper } = options;
  const log = options.log ?? (() => {});
  const keys = new SigningKeysService(core.deps, () => keyWrapper);
  // The process's one ranges store (core.ranges): it notices snapshots written by `keyrack ranges` on its own.
  const ranges = core.ranges();
  const allowlist = createAllowlistChecker(() => ranges.current());
  let started: Started | undefined;
  let lastError: string | null = null;
  let mailLastError: string | null = null;
  /** start/stop/restart run one at a time, in call order. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  // Secrets revoked or cut short drop the server's verified digests and cached grant facts at once. A
  // disabled, expired or deleted user needs no hook: the token endpoint re-reads the user's status and
  // the secret's state on every request (steps/authenticate-client.ts).
  core.secrets.onSecretInvalidated((userId) => started?.server.forgetUser(userId));

  const doStart = async (): Promise<TokenServerStatus> => {
    if (started) return status();
    const settings = await readTokenServerSettings(core.deps);
    const listenHost = listenHostFor(settings, options.host);
    const transport = chooseTransport(listenHost, settings);
    try {
      const tls = transport === 'tls' ? await loadTls(listenHost, settings) : undefined;
      const server = await startTokenServer({
        deps: core.deps,
        keys,
        settings,
        allowlist,
        tls: tls ? { key: tls.key, cert: tls.cert } : undefined,
        host: listenHost,
        port: options.port ?? settings.port,
        tuning: options.tuning,
        auditWriter: options.auditWriter,
        // The server opens its own connection (context.ts): in the desktop app it must load the Electron build.
        nativeBinding: options.nativeBinding ?? core.nativeBinding,
        log,
        nodeName: options.nodeName,
      });
      const mail = await startMail(server, tls, listenHost);
      const heartbeat = core.deps.store.dialect === 'postgres' ? await beat(server) : undefined;
      started = { server, heartbeat, mail, tls, settings, startedAt: core.deps.clock.now() };
      lastError = null;
      recordRunning(server, tls, started.startedAt);
      if (transport === 'plain-lan-opted-in') {
        log(`token server: plain HTTP on ${listenHost} (the admin's opt-in): client secrets cross the LAN unencrypted`);
      }
      return status();
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      throw error;
    }
  };

  /**
   * The mail relay beside the server, when its setting enables it. Its failure to start (a port taken) does
   * not stop the token server: it is reported in the relay's status and the log.
   */
  const startMail = async (server: RunningTokenServer, tls: TlsMaterial | undefined, listenHost: string): Promise<RunningMailRelay | undefined> => {
    const settings = await readMailRelaySettings(core.deps.store);
    if (!settings.enabled) return undefined;
    try {
      const relay = await startMailRelay({
        server: server.context,
        deps: core.deps,
        settings,
        host: listenHost,
        tls: tls ? { key: tls.key, cert: tls.cert } : undefined,
        keyWrapper,
        ...options.mail,
        log,
      });
      mailLastError = null;
      log(`mail relay: listening on ${relay.listeners.map((l) => `${l.port} (${l.mode})`).join(', ') || 'no SMTP port'}; POST /v1/mail on the token server`);
      return relay;
    } catch (error) {
      mailLastError = error instanceof Error ? error.message : String(error);
      log(`mail relay: not started: ${mailLastError}`);
      return undefined;
    }
  };

  /** Every node on a shared store says it is alive (keyrack store status lists the nodes seen lately). */
  const beat = async (server: RunningTokenServer): Promise<Heartbeat> => {
    const node = options.nodeName ?? hostname();
    const heartbeat = startHeartbeat(core.deps.store, { node, version: KEYRACK_VERSION, url: server.url, clock: core.deps.clock });
    await heartbeat.first;
    if (heartbeat.failures > 0) log(`token server: could not record node ${node} in the store (${(heartbeat.lastError as Error).message}); retrying`);
    return heartbeat;
  };

  /** Tells other processes on the data folder where this server answers (running-record.ts). */
  const recordRunning = (server: RunningTokenServer, tls: TlsMaterial | undefined, startedAt: number): void => {
    try {
      writeRunningRecord(dataDir, {
        pid: process.pid,
        issuer: server.issuer,
        urls: urlsOf(server),
        tls: server.tls,
        tlsSource: tls?.source ?? null,
        host: server.host,
        port: server.port,
        startedAt,
      });
    } catch (error) {
      // The server runs either way; only other processes' guesses get worse.
      log(`token server: could not write ${RUNNING_RECORD_FILE}: ${(error as Error).message}`);
    }
  };

  /** The certificate names every way clients reach this server, and the log says what changed. */
  const loadTls = async (listenHost: string, settings: TokenServerSettings): Promise<TlsMaterial> => {
    const names = serverNamesFor(options.tlsNames ?? machineNames(), listenHost, settings.issuer);
    // The CA is the store's, shared by every node over it; this node's certificate stays in its data folder.
    const tls = await loadOrCreateTlsMaterial({ dataDir, store: core.deps.store }, keyWrapper, names);
    const report = tls.report;
    if (report?.folderCa) {
      log(
        report.folderCa.outcome === 'moved'
          ? `token server: moved Keyrack's CA (${report.folderCa.fingerprint}) from ${dataDir}/tls into the store; its fingerprint is unchanged`
          : `token server: the store already has Keyrack's CA (${tls.caFingerprint}); the CA in ${dataDir}/tls (${report.folderCa.fingerprint}) ` +
            'is set aside (*.before-store): integrators who trusted it must trust the store\'s CA (keyrack tls export-ca)',
      );
    }
    if (report?.issued) {
      const all = [...report.issued.names.hostnames, ...report.issued.names.addresses].join(', ');
      log(`token server: issued a new server certificate (${ISSUE_REASON[report.issued.reason]}) for ${all}`);
    }
    if (report && report.notCovered.length > 0) {
      log(
        `token server: the server certificate leaves out ${report.notCovered.join(', ')}: Keyrack's CA was created ` +
          'for other names and may not vouch for them (RFC 5280 name constraints). Clients reaching the server by ' +
          'them fail verification; to cover them, create a new CA (keyrack tls reset --new-ca) and give integrators ' +
          'its certificate (keyrack tls export-ca).',
      );
    }
    if (report && !report.caConstrained) {
      log(
        "token server: Keyrack's CA has no name constraints (created before they were added): it keeps working, " +
          'but its key could vouch for any name; keyrack tls reset --new-ca replaces it with a constrained one ' +
          '(integrators must then trust the new CA certificate).',
      );
    }
    return tls;
  };

  const doStop = async (): Promise<void> => {
    const current = started;
    if (!current) return;
    started = undefined;
    current.heartbeat?.stop();
    removeRunningRecord(dataDir);
    await current.mail?.close();
    await current.server.close();
  };

  async function status(): Promise<TokenServerStatus> {
    // The settings as stored (what the page edits and the next start uses); urls and issuer say how the
    // running server answers now. They differ only between a save and the restart that follows it.
    const settings = await readTokenServerSettings(core.deps);
    const server = started?.server;
    return {
      running: server !== undefined,
      urls: server ? urlsOf(server) : [],
      issuer: server?.issuer ?? null,
      tls: server?.tls ?? false,
      caFingerprint: started?.tls?.caFingerprint ?? null,
      caCertPem: started?.tls?.caCert ?? null,
      tlsSource: started?.tls?.source ?? null,
      startedAt: started?.startedAt ?? null,
      settings,
      listening: server ? { host: server.host, port: server.port } : null,
      tokenEndpoint: server ? new URL(PATHS.token, server.issuer).href : null,
      reach: server ? (isLoopback(server.host) ? 'this-computer' : 'network') : null,
      overrides: { host: options.host ?? null, port: options.port ?? null },
      lastError,
      signingKeys: await keys.describe(),
      ranges: ranges.info().map((r) => ({
        provider: r.provider,
        status: r.status,
        publishedAt: r.publishedAt,
        fetchedAt: r.fetchedAt,
        count: r.count,
      })),
    };
  }

  return {
    status,
    start: () => serial(doStart),
    stop: () => serial(doStop),
    restart: () =>
      serial(async () => {
        await doStop();
        return doStart();
      }),
    async rotateKey(actor, input = {}) {
      // The algorithm setting is for the next key: the stored one, even if saved after this server started.
      const settings = await readTokenServerSettings(core.deps);
      const info = await keys.rotate(actor, input, settings.signingAlg);
      await started?.server.context.keys.reload();
      return info;
    },
    get running() {
      return started?.server;
    },
    get mailRelay() {
      return started?.mail;
    },
    async mailRelayStatus() {
      const mail = started?.mail;
      return {
        settings: await readMailRelaySettings(core.deps.store),
        running: mail !== undefined,
        listening: mail ? mail.listeners.map((l) => ({ port: l.port, tls: l.mode === 'plain-loopback' ? ('plain' as const) : l.mode })) : [],
        lastError: mailLastError,
      };
    },
  };
}

const ISSUE_REASON = {
  first: 'none yet',
  names: 'the names the server is reached by changed',
  renewal: 'the old one expires within 30 days',
  ca: 'the old one is not from the current CA',
} as const;

/** Where clients reach the server (listen-address.ts). */
function urlsOf(server: RunningTokenServer): string[] {
  return reachableUrls(server.tls ? 'https' : 'http', server.host, server.port);
}
