import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { TokenServerSettings } from '../../../shared/token-server.dto.js';
import type { TokenServerSettingsPatch } from '../../../shared/token-server.schemas.js';
import { readTokenServerSettings, updateTokenServerSettings } from '../../services/token-server-settings.js';
import { readRunningRecord } from '../../token-server/running-record.js';
import { collect, parsePositiveInt, UsageError, type CliContext } from '../context.js';
import { fields, when } from '../format.js';

interface SetOptions {
  issuer?: string;
  defaultAudience?: string;
  audience?: string[];
  clearAudiences?: boolean;
  signingAlg?: string;
  port?: string;
  lanAccess?: string;
  host?: string;
  plainHttpOnLan?: string;
  trustedProxy?: string[];
  clearTrustedProxies?: boolean;
  tokenLifetime?: string;
  metrics?: string;
  metricsReader?: string[];
  clearMetricsReaders?: boolean;
  json?: boolean;
}

/** `keyrack server settings show|set`: the settings docs/token-server.md lists, as the Token server page changes them. */
export function registerServer(program: Command, ctx: CliContext): void {
  const settings = program
    .command('server')
    .description('the token server (run it with keyrack serve)')
    .command('settings')
    .description('the token server\'s settings: issuer, audiences, signing algorithm, address, port, proxies');

  settings
    .command('show')
    .description('print the settings, and whether a server runs on this data folder')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const current = await readTokenServerSettings(ctx.core().deps);
      const running = readRunningRecord(ctx.dataDir);
      ctx.emit(opts.json, { settings: current, running }, () =>
        settingsText(current) +
        (running ? `\nRunning (process ${running.pid}, since ${when(running.startedAt)}) at ${running.issuer}\n` : '\nNot running on this data folder.\n'));
    });

  settings
    .command('set')
    .description('change settings (validated and logged with the values before and after)')
    .option('--issuer <url>', 'the address integrators use, e.g. https://keyrack.office.lan:8443 (none: the server\'s own URL)')
    .option('--default-audience <uri>', 'the aud of a token when the client asks for none')
    .option('--audience <uri>', 'a further audience clients may ask for (RFC 8707; repeatable, replaces the list)', collect)
    .option('--clear-audiences', 'no further audiences')
    .option('--signing-alg <alg>', 'ES256 or RS256: the algorithm of the next signing key (keyrack keys rotate)')
    .option('--port <port>', 'the port to listen on')
    .option('--lan-access <on|off>', 'on: listen on --host; off: loopback only')
    .option('--host <address>', 'the address to listen on with LAN access (0.0.0.0 or :: for every interface)')
    .option('--plain-http-on-lan <on|off>', 'serve plain HTTP on the LAN (credentials then cross it unencrypted)')
    .option('--trusted-proxy <address>', 'a reverse proxy (address or CIDR) whose X-Forwarded-For is believed (repeatable, replaces the list)', collect)
    .option('--clear-trusted-proxies', 'believe no proxy')
    .option('--token-lifetime <seconds>', 'access token lifetime unless an API user has its own')
    .option('--metrics <on|off>', 'serve GET /metrics (Prometheus) to this computer and the --metrics-reader addresses')
    .option('--metrics-reader <address>', 'a monitoring server (address or CIDR) that may read /metrics (repeatable, replaces the list)', collect)
    .option('--clear-metrics-readers', 'only this computer may read /metrics')
    .option('--json', 'print JSON')
    .action(async (opts: SetOptions) => {
      const patch = patchOf(opts);
      if (Object.keys(patch).length === 0) throw new UsageError('give at least one setting to change (see --help)');
      const core = ctx.core();
      const before = await readTokenServerSettings(core.deps);
      const after = await updateTokenServerSettings(core.deps, ctx.actor, parseInputOf('server.updateSettings', patch));
      const changed = (Object.keys(after) as (keyof TokenServerSettings)[]).filter(
        (k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]),
      );
      // This process runs no server: a running one (keyrack serve, the app) read its settings when it started.
      const running = readRunningRecord(ctx.dataDir);
      const restartNeeded = running !== null && changed.some((k) => k !== 'signingAlg');
      ctx.emit(opts.json, { settings: after, changed, running: running !== null, restartNeeded }, () => {
        if (changed.length === 0) return 'Nothing changed.\n';
        const lines = [`Changed: ${changed.join(', ')}.`];
        if (restartNeeded) {
          lines.push(`The token server running on this data folder (process ${running.pid}) still uses the old settings: restart it to apply them.`);
        } else if (running === null && changed.some((k) => k !== 'signingAlg')) {
          lines.push('The token server is not running here; they apply when it starts.');
        }
        if (changed.includes('signingAlg')) lines.push(`New signing keys use ${after.signingAlg} (keyrack keys rotate makes one now).`);
        return `${lines.join('\n')}\n`;
      });
    });
}

function patchOf(opts: SetOptions): TokenServerSettingsPatch {
  const patch: TokenServerSettingsPatch = {};
  if (opts.issuer !== undefined) patch.issuer = opts.issuer.trim().toLowerCase() === 'none' ? null : opts.issuer;
  if (opts.defaultAudience !== undefined) patch.defaultAudience = opts.defaultAudience;
  if (opts.audience && opts.clearAudiences) throw new UsageError('give --audience or --clear-audiences, not both');
  if (opts.audience) patch.audiences = opts.audience;
  if (opts.clearAudiences) patch.audiences = [];
  if (opts.signingAlg !== undefined) {
    if (opts.signingAlg !== 'ES256' && opts.signingAlg !== 'RS256') throw new UsageError(`--signing-alg: "${opts.signingAlg}" is not ES256 or RS256`);
    patch.signingAlg = opts.signingAlg;
  }
  if (opts.port !== undefined) patch.port = parsePositiveInt(opts.port, '--port');
  if (opts.lanAccess !== undefined) patch.lanAccess = onOff(opts.lanAccess, '--lan-access');
  if (opts.host !== undefined) patch.host = opts.host;
  if (opts.plainHttpOnLan !== undefined) patch.plainHttpOnLan = onOff(opts.plainHttpOnLan, '--plain-http-on-lan');
  if (opts.trustedProxy && opts.clearTrustedProxies) throw new UsageError('give --trusted-proxy or --clear-trusted-proxies, not both');
  if (opts.trustedProxy) patch.trustedProxies = opts.trustedProxy;
  if (opts.clearTrustedProxies) patch.trustedProxies = [];
  if (opts.tokenLifetime !== undefined) patch.tokenLifetimeSeconds = parsePositiveInt(opts.tokenLifetime, '--token-lifetime');
  if (opts.metrics !== undefined) patch.metrics = onOff(opts.metrics, '--metrics');
  if (opts.metricsReader && opts.clearMetricsReaders) throw new UsageError('give --metrics-reader or --clear-metrics-readers, not both');
  if (opts.metricsReader) patch.metricsReaders = opts.metricsReader;
  if (opts.clearMetricsReaders) patch.metricsReaders = [];
  return patch;
}

export function onOff(text: string, flag: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'on' || value === 'true' || value === 'yes') return true;
  if (value === 'off' || value === 'false' || value === 'no') return false;
  throw new UsageError(`${flag}: "${text}" is not on or off`);
}

function settingsText(s: TokenServerSettings): string {
  return fields([
    ['Issuer', s.issuer ?? "(none: the server's own URL)"],
    ['Default audience', s.defaultAudience],
    ['Audiences', s.audiences.join(' ')],
    ['Signing algorithm', s.signingAlg],
    ['Port', s.port],
    ['LAN access', s.lanAccess ? `on (listens on ${s.host})` : 'off (loopback only)'],
    ['Host', s.host],
    ['Plain HTTP on LAN', s.plainHttpOnLan ? 'on (credentials cross the LAN unencrypted)' : 'off'],
    ['Trusted proxies', s.trustedProxies.join(' ')],
    ['Token lifetime', `${s.tokenLifetimeSeconds} s`],
    ['Metrics', s.metrics ? `on: GET /metrics for this computer${s.metricsReaders.length ? ` and ${s.metricsReaders.join(' ')}` : ''}` : 'off'],
  ]);
}
