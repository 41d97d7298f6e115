import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { TokenServerStatus } from '../../../shared/token-server.dto.js';
import { ConflictError } from '../../../shared/errors.js';
import { headlessKeyWrapper } from '../../crypto/key-wrap.js';
import { startDailyPrune } from '../../shell/daily-prune.js';
import { createTokenServerHost } from '../../token-server/host.js';
import { PlainHttpRefusedError, PortInUseError } from '../../token-server/server.js';
import { UsageError, type CliContext } from '../context.js';

/** The signals that stop `keyrack serve` cleanly (Ctrl-C, and what service managers send). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the token server in the foreground, without the desktop app (stops on Ctrl-C / SIGTERM)')
    .option('--host <address>', 'address to listen on (default: from the settings; loopback unless LAN access is on)')
    .option('--port <port>', 'port to listen on (default: from the settings; 0 picks a free one)')
    .option('--node <name>', "this node's name on a shared PostgreSQL store: in store status, /metrics and every token event (default: the host name)")
    .option(
      '--prune-log',
      "on a shared PostgreSQL store: this node runs the log's daily retention prune and keeps the archives in its data folder (give it to one node)",
    )
    .action(async (opts: { host?: string; port?: string; node?: string; pruneLog?: boolean }) => {
      const port = opts.port === undefined ? undefined : parsePort(opts.port);
      const nodeName = opts.node === undefined ? hostname() : parseNodeName(opts.node);
      // The store first: a damaged or too-new database is refused here with its one-line message.
      const core = ctx.core();
      const log = (message: string) => ctx.io.stderr.write(`${message}\n`);
      const host = createTokenServerHost({
        core,
        dataDir: ctx.dataDir,
        keyWrapper: headlessKeyWrapper(ctx.dataDir, ctx.io.env),
        host: opts.host,
        port,
        log,
        nodeName,
      });
      const stopped = nextStopSignal();
      let status: TokenServerStatus;
      try {
        status = await host.start();
      } catch (error) {
        stopped.cancel();
        // One clear line and exit 1 (an AppError), not a stack.
        if (error instanceof PortInUseError || error instanceof PlainHttpRefusedError) throw new ConflictError(error.message);
        throw error;
      }
      const shared = core.deps.store.dialect === 'postgres';
      ctx.print(describeStart(status, shared ? nodeName : undefined));
      if (shared && status.settings.issuer === null) {
        // Each node would name its own URL as the issuer: tokens from one would not pass a check of another's.
        log(
          'token server: no issuer is set, so this node names its own URL; nodes of a shared store need one issuer: ' +
            'keyrack server settings set --issuer https://<the address integrators use>',
        );
      }
      // A server box runs for months without the desktop app: the log's retention period applies here too.
      // On a shared store one node prunes (--prune-log): a prune writes its archive into the pruning node's
      // data folder, and one that is cut short is finished from that archive by the same node.
      const prune = !shared || opts.pruneLog ? startDailyPrune(core, log) : undefined;
      if (shared && !opts.pruneLog) log('log retention: not pruned by this node (one node of a shared store prunes: keyrack serve --prune-log)');
      const signal = await stopped.promise;
      ctx.print(`${signal}: stopping (finishing requests in flight, flushing the log)\n`);
      await prune?.stop(); // a prune in progress finishes first: the store must not close under it
      // Closes the listener, waits for requests in flight, flushes the audit writer; runCli then closes the store.
      await host.stop();
      ctx.print('Stopped.\n');
    });
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new UsageError(`--port: "${text}" is not a port (0 to 65535)`);
  return Number(text);
}

/** A node's name: what store status and the log show, so printable and short. */
function parseNodeName(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(text)) {
    throw new UsageError(`--node: "${text}" is not a node name (letters, digits, ".", "_" and "-", at most 63, starting with a letter or digit)`);
  }
  return text;
}

export function describeStart(status: TokenServerStatus, node?: string): string {
  const lines = ['Keyrack token server running.'];
  if (node !== undefined) lines.push(`  Node:            ${node} (on a shared PostgreSQL store)`);
  for (const url of status.urls) lines.push(`  URL:             ${url}`);
  lines.push(`  Issuer:          ${status.issuer}`);
  lines.push(`  Discovery:       ${status.issuer}/.well-known/oauth-authorization-server`);
  if (status.tls) {
    lines.push(`  TLS:             ${status.tlsSource === 'installed' ? 'installed certificate' : "Keyrack's own CA"}`);
    lines.push(`  CA fingerprint:  SHA-256 ${status.caFingerprint}`);
    lines.push('                   (integrators trust the CA from `keyrack tls export-ca` after comparing this)');
  } else {
    lines.push('  TLS:             off (loopback only: credentials never leave this machine)');
  }
  const active = status.signingKeys.find((k) => k.active);
  if (active) lines.push(`  Signing key:     ${active.kid} (${active.alg})`);
  lines.push('Stop with Ctrl-C (SIGINT) or SIGTERM.');
  return `${lines.join('\n')}\n`;
}

/** Resolves with the first stop signal's name; the listeners are removed once it came (or on cancel). */
function nextStopSignal(): { promise: Promise<string>; cancel(): void } {
  const handlers = new Map<string, () => void>();
  const cancel = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
  const promise = new Promise<string>((resolve) => {
    for (const signal of STOP_SIGNALS) {
      const handler = () => {
        cancel();
        resolve(signal);
      };
      handlers.set(signal, handler);
      process.on(signal, handler);
    }
  });
  return { promise, cancel };
}
