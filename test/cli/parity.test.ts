import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../electron/cli/program.js';
import { CliContext } from '../../electron/cli/context.js';
import { CHANNELS, type Channel } from '../../shared/contract.js';
import { PassThrough, Readable } from 'node:stream';

/**
 * Scripting administrators expect the CLI to do what the app does. Each contract channel names the
 * command (and the flags) that does the same; a new channel fails this test until it has one here, or a
 * reason in EXEMPT.
 */
const COMMANDS: Partial<Record<Channel, string[]>> = {
  'users.list': ['api-users list', 'people list'],
  'users.show': ['api-users show'],
  'users.createApiUser': ['api-users create --name --email --description --group --mailbox --allow --expires'],
  'users.createPerson': ['people create --name --email --group --password-stdin'],
  'users.update': ['api-users update --name --email --description --expires --token-lifetime', 'people update --name --email --expires'],
  'users.setGroups': ['api-users set-groups --group --clear'],
  'users.setMailboxes': ['api-users set-mailboxes --mailbox --clear'],
  'users.setAllowlist': ['api-users set-allowlist --allow --clear'],
  'users.disable': ['api-users disable', 'people disable'],
  'users.enable': ['api-users enable', 'people enable'],
  'users.resetPassword': ['people passwd --password-stdin'],
  'users.export': ['api-users export --out --force', 'people export --out --force'],
  'users.delete': ['api-users delete --yes', 'people delete --yes'],
  'users.effectiveRights': ['api-users show'],
  'users.expiring': ['api-users expiring --days'],

  'secrets.list': ['secrets list'],
  'secrets.add': ['secrets add --label --expires'],
  'secrets.rotate': ['secrets rotate --secret --grace --label --expires'],
  'secrets.revoke': ['secrets revoke --secret'],
  'clientKeys.list': ['keys list-client'],
  'clientKeys.add': ['keys add-client --file --label --expires'],
  'clientKeys.revoke': ['keys revoke-client --kid'],

  'groups.list': ['groups list'],
  'groups.show': ['groups show'],
  'groups.create': ['groups create --description --permission --right --filter'],
  'groups.update': ['groups update --name --description --permission --right --filter --clear-permissions --clear-rights --clear-filters'],
  'groups.delete': ['groups delete --yes'],
  'groups.addMember': ['groups add-member'],
  'groups.removeMember': ['groups remove-member'],
  'groups.grant': ['groups grant'],
  'groups.revoke': ['groups revoke'],

  'rights.list': ['rights list'],
  'rights.addResource': ['rights add-resource --action --filter --description'],
  'rights.updateResource': ['rights update-resource --description --action --filter --clear-filters'],
  'rights.removeResource': ['rights remove-resource --yes'],

  'mailboxes.list': ['mailboxes list'],
  'mailboxes.create': ['mailboxes create --display-name'],
  'mailboxes.update': ['mailboxes update --address --display-name'],
  'mailboxes.delete': ['mailboxes delete --yes'],
  'mailboxes.assign': ['mailboxes assign'],
  'mailboxes.unassign': ['mailboxes unassign'],
  'mail.settings': ['mailboxes upstream show'],
  'mail.setSettings': ['mailboxes settings --reply-to --footer-text --footer-html --daily-limit --max-size'],
  'mail.setUpstream': ['mailboxes upstream set --host --port --tls --auth --user --secret-stdin'],
  'mail.clearUpstream': ['mailboxes upstream clear'],
  'mail.testUpstream': ['mailboxes test'],
  'mail.queue': ['mail queue --mailbox --state --limit'],
  'mail.retry': ['mail retry'],
  'mail.drop': ['mail drop'],
  'mail.relayStatus': ['mail relay'],
  'mail.updateRelaySettings': ['mail relay --enable --disable --submission-port --implicit-port --rate --max-recipients --max-size --give-up-minutes'],

  'activations.list': ['activations list'],
  'activations.create': ['activations create --group --mailbox --allow --user-expires --token-lifetime --max --expires --approval'],
  'activations.revoke': ['activations revoke'],
  'registrations.list': ['activations registrations --activation --state'],
  'registrations.pending': ['activations pending'],
  'registrations.approve': ['activations approve'],
  'registrations.refuse': ['activations refuse'],

  'log.search': ['log --user --actor --since --until --type --outcome --ip --text --order --limit'],
  'log.verify': ['log verify'],
  'log.export': ['log export --format --out'],
  'log.retention': ['log retention'],
  'log.setRetention': ['log retention --keep-days --keep-all'],
  'log.prune': ['log prune'],

  'policy.get': ['policy show'],
  'policy.set': ['policy set --require-allowlist'],

  'server.status': ['server settings show'],
  'server.start': ['serve --host --port'],
  'server.updateSettings': [
    'server settings set --issuer --default-audience --audience --clear-audiences --signing-alg --port --lan-access --host ' +
      '--plain-http-on-lan --trusted-proxy --clear-trusted-proxies --token-lifetime --metrics --metrics-reader --clear-metrics-readers',
  ],
  'server.rotateKey': ['keys rotate --alg'],
  'server.saveCaCertificate': ['tls export-ca'],
  'ranges.status': ['ranges show'],
  'ranges.update': ['ranges update'],
  'ranges.import': ['ranges import'],
  'credentials.export': ['credentials export --out --format --passphrase-stdin'],
  'credentials.exportKey': ['credentials export --key --alg --out --format --passphrase-stdin'],
  // The CLI says it where the app's dialog asks: credentials export warns of an address only this computer reaches.
  'credentials.destination': ['credentials export'],
  // The Server page's Store card; the CLI reads and writes the same store.json (db/store-choice.ts useStore).
  'store.status': ['store status'],
  'store.choose': ['store use'],
};

/** Channels with no command of their own, and why. */
const EXEMPT: Partial<Record<Channel, string>> = {
  // Sessions of a person in the app: the CLI has no login (whoever runs it can read the data folder anyway).
  'auth.status': 'session',
  'auth.setup': 'session (the CLI sets up a store with keyrack init)',
  'auth.login': 'session',
  'auth.logout': 'session',
  'auth.setIdleLock': "session: the page tells the server its idle lock, so the server ends the session too",
  'auth.changePassword': "the logged-in person's own password: a session action",
  // The UI's polling of work the CLI runs in the foreground (and Ctrl-C cancels).
  'log.exportStatus': 'UI polling of a background export; keyrack log export waits for its export',
  'log.exportCancel': 'UI cancel of a background export; Ctrl-C stops keyrack log export',
  'ranges.progress': 'UI polling of a download; keyrack ranges update prints its progress',
  // keyrack serve runs the server in the foreground: Ctrl-C or SIGTERM stops it.
  'server.stop': 'the foreground keyrack serve stops on Ctrl-C / SIGTERM',
  // Read-only dashboard of the app; its lists are in api-users expiring and log.
  'overview.get': 'read-only dashboard (api-users expiring and log answer its questions)',
  // The Mailboxes page's counts; keyrack mail queue --mailbox --state lists the same messages.
  'mail.stats': 'read-only counts for the Mailboxes page and the Overview (keyrack mail queue --mailbox --state lists them)',
};

function program(): Command {
  const io = { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, osUser: 'tester' };
  return buildProgram(new CliContext(io));
}

function find(root: Command, path: string[]): Command | undefined {
  let at: Command | undefined = root;
  for (const name of path) at = at?.commands.find((c) => c.name() === name);
  return at;
}

function optionsOf(command: Command): string[] {
  const own = command.options.map((o) => o.long ?? '');
  return command.parent ? [...own, ...optionsOf(command.parent)] : own;
}

describe('CLI parity with the app', () => {
  const root = program();

  test('every contract channel has a command, or a reason it needs none', () => {
    const missing = CHANNELS.filter((c) => !(c in COMMANDS) && !(c in EXEMPT));
    expect(missing).toEqual([]);
    // The lists name only real channels, and no channel is both mapped and exempt.
    expect(Object.keys(COMMANDS).filter((c) => !CHANNELS.includes(c as Channel))).toEqual([]);
    expect(Object.keys(EXEMPT).filter((c) => !CHANNELS.includes(c as Channel) || c in COMMANDS)).toEqual([]);
  });

  test.each(Object.entries(COMMANDS).flatMap(([channel, commands]) => commands!.map((c) => [channel, c] as const)))(
    '%s: keyrack %s exists with its flags and --json',
    (_channel, spec) => {
      const words = spec.split(' ');
      const path = words.filter((w) => !w.startsWith('--'));
      const flags = words.filter((w) => w.startsWith('--'));
      const command = find(root, path);
      expect(command, `keyrack ${path.join(' ')}`).toBeDefined();
      const options = optionsOf(command!);
      expect(flags.filter((f) => !options.includes(f))).toEqual([]);
      // Scripts read --json; only the foreground server has no result to print.
      if (path[0] !== 'serve') expect(options).toContain('--json');
    },
  );
});
