import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../../electron/crypto/tls.js';
import { resources } from '../../renderer/i18n/resources.js';
import { ADMIN, BridgeClient, startKeyrack, type Keyrack } from './support/keyrack.js';
import { choose, combobox, navTo, tableRows, textbox } from './support/mantine.js';
import { requestToken } from './support/oauth.js';
import { guardPage, screenshot, type PageGuards } from './support/page-guards.js';

/**
 * Issue 12's journey: the office's outgoing server set for a mailbox on the Mailboxes page (a real
 * smtp-server on loopback with STARTTLS and a password, standing in for it), tested, the mailbox given to an
 * API user, the relay switched on on the Token server page, a message sent as that API user over SMTP with
 * XOAUTH2 (nodemailer, as an integration would), and then: the upstream got it with the mailbox's footer,
 * the Mailboxes page counts it, the Log shows its events. A refused message then lists the mailbox as
 * failing on the Overview, and Retry from the queue view delivers it once the upstream takes it again.
 * Screenshots in English and German at 1280×800 and one at 1024×768 (test-results/screenshots/mail-*.png).
 */
test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 800 } });

const MAILBOX = 'info@office.example';
const UPSTREAM_USER = 'relay-user';
const UPSTREAM_PASSWORD = 'upstream-password';
const FOOTER = 'Example Office, 1 Harbour Street';

/** What the test upstream received: the envelope and the raw message. */
interface Received {
  from: string;
  to: string[];
  raw: string;
}

/**
 * The office's outgoing server: STARTTLS with a certificate from a CA of its own (the bridge trusts it
 * through NODE_EXTRA_CA_CERTS, as an office CA would be trusted), a password login, every message recorded.
 * `refuse` answers DATA with a permanent 554.
 */
class Upstream {
  readonly received: Received[] = [];
  refuse: string | null = null;
  port = 0;
  private server: SMTPServer | undefined;

  constructor(private readonly tls: TlsMaterial) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      key: this.tls.key,
      cert: this.tls.cert,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      disableReverseLookup: true,
      onAuth: (auth, _session, cb) =>
        auth.username === UPSTREAM_USER && auth.password === UPSTREAM_PASSWORD ? cb(null, { user: auth.username }) : cb(new Error('Invalid login')),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.refuse) return cb(Object.assign(new Error(this.refuse), { responseCode: 554 }));
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          cb(null);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A port free on 127.0.0.1 now, for the relay's submission listener (its setting takes no 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let upstreamDir: string;
let upstream: Upstream;
let keyrack: Keyrack;
let page: Page;
let guards: PageGuards;
let seed: BridgeClient;
let relayPort = 0;
const apiUser = { id: 0, clientId: '', secret: '' };

test.beforeAll(async ({ browser }) => {
  upstreamDir = mkdtempSync(join(tmpdir(), 'keyrack-e2e-upstream-'));
  const tls = await loadOrCreateTlsMaterial(upstreamDir, aesGcmKeyWrapper(randomBytes(32), 'journey upstream'), { hostnames: ['localhost'], addresses: ['127.0.0.1'] });
  const caFile = join(upstreamDir, 'upstream-ca.pem');
  writeFileSync(caFile, tls.caCert);
  upstream = new Upstream(tls);
  await upstream.start();
  keyrack = await startKeyrack({ env: { NODE_EXTRA_CA_CERTS: caFile } });
  seed = new BridgeClient(keyrack.url);
  await seed.call('auth.setup', ADMIN);
  // The mail:send right, a group holding it, the mailbox, and an API user in the group without the mailbox
  // yet (the journey gives it on the Mailboxes page).
  await seed.call('rights.addResource', { name: 'mail', description: 'Sending mail through Keyrack', actions: ['send'], filters: [] });
  const group = await seed.call<{ id: number }>('groups.create', { name: 'Mail senders', rights: [{ resource: 'mail', action: 'send' }] });
  await seed.call('mailboxes.create', { address: MAILBOX, displayName: 'Harbour Office' });
  const created = await seed.call<{ user: { id: number }; clientId: string; secret: string }>('users.createApiUser', { name: 'crm-mailer', groupIds: [group.id] });
  Object.assign(apiUser, { id: created.user.id, clientId: created.clientId, secret: created.secret });
  page = await browser.newPage();
  guards = guardPage(page);
  await logIn(page, 'Name', 'Password', 'Log in', 'Overview');
});

test.afterAll(async () => {
  await page?.context().close();
  await keyrack?.stop();
  await upstream?.stop();
  if (upstreamDir) rmSync(upstreamDir, { recursive: true, force: true });
});

test.afterEach(() => guards.assertClean());

async function logIn(p: Page, name: string, password: string, button: string, home: string): Promise<void> {
  await p.goto(keyrack.url);
  await textbox(p, name).fill(ADMIN.name);
  await textbox(p, password).fill(ADMIN.password);
  await p.getByRole('button', { name: button }).click();
  await expect(p.getByRole('heading', { name: home, exact: true })).toBeVisible();
}

const drawer = () => page.getByRole('dialog', { name: MAILBOX });

async function openMailbox(tab: string): Promise<void> {
  await navTo(page, 'Mailboxes');
  await page.getByRole('button', { name: `Open ${MAILBOX}` }).click();
  // A failing mailbox's Queue tab says so in its name too ("Queue Mail from this mailbox is failing").
  await drawer().getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
}

/** Waits for a condition outside the browser (the upstream's inbox). */
async function eventually<T>(read: () => T | undefined, what: string): Promise<T> {
  await expect.poll(() => read() !== undefined, { message: what, timeout: 20_000 }).toBe(true);
  return read()!;
}

test('set the outgoing server for the mailbox: the password is write-only, the test connects and logs in', async () => {
  await openMailbox('Outgoing server');
  const d = drawer();
  await expect(d.getByTestId('upstream-missing')).toContainText('No outgoing server is set for this mailbox');
  await expect(d.getByRole('button', { name: 'Test connection' })).toBeDisabled();
  // The form checks what main checks (a host name's characters), and asks for the password it needs.
  await textbox(d, 'Server').fill('smtp server.example');
  await d.getByRole('button', { name: 'Save outgoing server' }).click();
  await expect(d.getByText('A host is an address or a name')).toBeVisible();
  await textbox(d, 'Server').fill('127.0.0.1');
  await d.getByRole('textbox', { name: 'Port' }).fill(String(upstream.port));
  await expect(d.getByRole('radio', { name: 'STARTTLS (587)' })).toBeChecked();
  await textbox(d, 'User name').fill(UPSTREAM_USER);
  await d.getByRole('button', { name: 'Save outgoing server' }).click();
  await expect(d.getByText('Enter the password for the outgoing server')).toBeVisible();
  await textbox(d, 'Password').fill(UPSTREAM_PASSWORD);
  await d.getByRole('button', { name: 'Save outgoing server' }).click();
  await expect(page.getByText('Outgoing server 127.0.0.1 saved')).toBeVisible();
  // Saved: the secret is never sent back; the field says it is set and stays empty.
  await expect(d.getByText('Set. Leave blank to keep it; it is never shown again.')).toBeVisible();
  await expect(textbox(d, 'Password')).toHaveValue('');
  const settings = await seed.call<{ upstream: Record<string, unknown> }>('mail.settings', { mailboxId: 1 });
  expect(settings.upstream).toEqual({ host: '127.0.0.1', port: upstream.port, tls: 'starttls', auth: 'password', user: UPSTREAM_USER, secretSet: true });
  expect(JSON.stringify(settings)).not.toContain(UPSTREAM_PASSWORD);

  await d.getByRole('button', { name: 'Test connection' }).click();
  const result = d.getByTestId('upstream-test-result');
  await expect(result).toContainText(`Connected and logged in to 127.0.0.1:${upstream.port}`);
  await expect(result).toContainText('Nothing was sent.');
  expect(upstream.received).toHaveLength(0);
  await screenshot(page, 'mail-01-upstream-tested');
});

test('e-mail settings: a footer and a daily limit, refused values shown at their fields', async () => {
  const d = drawer();
  await d.getByRole('tab', { name: 'E-mail settings', exact: true }).click();
  await textbox(d, 'Reply-to address').fill('not an address');
  await d.getByRole('button', { name: 'Save e-mail settings' }).click();
  await expect(d.getByText('Enter an address like name@example.com')).toBeVisible();
  await textbox(d, 'Reply-to address').fill('team@example.com');
  await textbox(d, 'Footer (plain text)').fill(FOOTER);
  await d.getByRole('textbox', { name: 'Daily limit per API user' }).fill('100');
  await d.getByRole('button', { name: 'Save e-mail settings' }).click();
  await expect(page.getByText(`E-mail settings of ${MAILBOX} saved`)).toBeVisible();
  await screenshot(page, 'mail-02-settings');
});

test('give the mailbox to the API user', async () => {
  const d = drawer();
  await d.getByRole('tab', { name: 'Mailbox', exact: true }).click();
  await combobox(d, 'Allow an API user').fill('crm');
  await page.getByRole('option', { name: 'crm-mailer' }).click();
  await d.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(page.getByText(`crm-mailer may now send from ${MAILBOX}`)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(tableRows(page).filter({ hasText: MAILBOX })).toContainText('crm-mailer');
  await expect(tableRows(page).filter({ hasText: MAILBOX })).toContainText('nothing sent yet');
});

test('switch the relay on beside the token server, with a submission port', async () => {
  relayPort = await freePort();
  await navTo(page, 'Token server');
  const card = page.getByTestId('mail-relay-card');
  await expect(card.getByText('Off', { exact: true })).toBeVisible();
  await card.getByRole('switch', { name: 'Relay mail for API users' }).check();
  await card.getByRole('textbox', { name: 'Submission port (STARTTLS)' }).fill('80000');
  await card.getByRole('button', { name: 'Save relay settings' }).click();
  await expect(card.getByText('A port is 1 to 65535')).toBeVisible();
  await card.getByRole('textbox', { name: 'Submission port (STARTTLS)' }).fill(String(relayPort));
  await card.getByRole('button', { name: 'Save relay settings' }).click();
  await expect(page.getByText('Mail relay settings saved')).toBeVisible();
  // The bridge's token server runs plain HTTP on loopback, so the relay listens plain on loopback only.
  await expect(card.getByTestId('mail-relay-listening')).toContainText(`SMTP submission on ${relayPort} (plain, this computer only)`);
  await expect(card.getByText('Running', { exact: true })).toBeVisible();
  await screenshot(page, 'mail-03-relay');
});

/** A token for the API user from the running token server (its port changes when the relay restarts it). */
async function mailToken(): Promise<string> {
  const status = await seed.call<{ urls: string[] }>('server.status');
  const token = await requestToken(new URL('oauth2/token', status.urls[0]).href, apiUser.clientId, apiUser.secret, 'mail:send');
  if (!token.ok) throw new Error(`no token: ${JSON.stringify(token)}`);
  return token.accessToken;
}

/** Sends as the API user over SMTP with XOAUTH2, as an integration with nodemailer does. */
async function sendAsApiUser(subject: string): Promise<string> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: relayPort,
    secure: false,
    ignoreTLS: true, // the loopback listener is plain (it offers no STARTTLS)
    auth: { type: 'OAuth2', user: MAILBOX, accessToken: await mailToken() },
  });
  try {
    const info = await transport.sendMail({ from: `Harbour Office <${MAILBOX}>`, to: 'customer@customer.example', subject, text: 'Your viewing is confirmed.' });
    return info.response;
  } finally {
    transport.close();
  }
}

test('an API user sends through the relay: the upstream gets it with the footer, the page counts it', async () => {
  const reply = await sendAsApiUser('Viewing on Friday');
  expect(reply).toMatch(/^250 /);
  const got = await eventually(() => upstream.received[0], 'the upstream receives the message');
  expect(got.from).toBe(MAILBOX);
  expect(got.to).toEqual(['customer@customer.example']);
  expect(got.raw).toContain(FOOTER);
  expect(got.raw).toMatch(/^Reply-To: team@example\.com\r?$/m);

  await navTo(page, 'Mailboxes');
  const row = tableRows(page).filter({ hasText: MAILBOX });
  await expect(row).toContainText('1 sent'); // polled every few seconds
  await page.getByRole('button', { name: `Open ${MAILBOX}` }).click();
  await drawer().getByRole('tab', { name: 'Queue', exact: true }).click();
  await expect(drawer().getByTestId('mail-counts')).toContainText('Sent1');
  await expect(tableRows(drawer()).filter({ hasText: 'crm-mailer' })).toContainText('Sent');
  await expect(tableRows(drawer()).filter({ hasText: 'crm-mailer' })).toContainText('1 recipient');
  await screenshot(page, 'mail-04-queue-sent');
  await page.keyboard.press('Escape');
});

test('the Log shows the message accepted and delivered, never its subject', async () => {
  await navTo(page, 'Log');
  await expect(tableRows(page).filter({ hasText: 'Mail accepted for delivery' }).first()).toBeVisible();
  await expect(tableRows(page).filter({ hasText: 'Mail delivered to the upstream' }).first()).toBeVisible();
  await expect(page.getByText('Viewing on Friday')).toHaveCount(0);
  await screenshot(page, 'mail-05-log');
  // Its details: the mailbox and the recipients' domain, never the full address.
  const accepted = tableRows(page).filter({ hasText: 'Mail accepted for delivery' }).first();
  const details = page.getByRole('dialog', { name: /Event #/ });
  await expect(async () => {
    await accepted.getByRole('button', { name: /^Details of event/ }).click();
    await expect(details).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(details).toContainText(MAILBOX);
  await expect(details).toContainText('customer.example');
  await expect(details).not.toContainText('customer@customer.example');
  await expect(details.getByText('Recipients’ domains', { exact: true })).toBeVisible();
  await screenshot(page, 'mail-05-log-event');
  await page.keyboard.press('Escape');
});

test('a refused message: the Overview lists the mailbox as failing; Retry delivers it once the upstream takes it', async () => {
  upstream.refuse = '5.7.1 Relaying denied for this sender';
  await sendAsApiUser('Second viewing');
  await navTo(page, 'Overview');
  const card = page.getByTestId('attention-mail');
  await expect(card).toContainText(MAILBOX, { timeout: 20_000 });
  await expect(card).toContainText('Relaying denied');
  await screenshot(page, 'mail-06-overview-failing');

  upstream.refuse = null;
  await openMailbox('Queue');
  const failed = tableRows(drawer()).filter({ hasText: 'Failed' });
  await expect(failed).toHaveCount(1);
  await failed.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByText('The message is queued for delivery now')).toBeVisible();
  await eventually(() => upstream.received[1], 'the retried message reaches the upstream');
  await expect(tableRows(drawer()).filter({ hasText: 'Sent' })).toHaveCount(2, { timeout: 15_000 });
  // The 1024×768 window: the drawer's queue with both messages, nothing cut.
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, 'mail-07-queue-1024');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.keyboard.press('Escape');
});

// ─── German ──────────────────────────────────────────────────────────────────────────────────────────────

type Tree = { readonly [key: string]: string | Tree };
const leaves = (tree: Tree): string[] => Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : leaves(v)));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English texts German does not share, as patterns (the check of german.spec.ts, on the mail screens). */
const ENGLISH_ONLY: RegExp[] = (() => {
  const german = new Set(leaves(resources.de as unknown as Tree));
  return leaves(resources.en as unknown as Tree)
    .filter((text) => !german.has(text))
    .map((text) => text.trim())
    .filter((text) => !/<\w+>/.test(text) && /[A-Za-z]{2}/.test(text.replace(/\{\{[^}]*\}\}/g, '')))
    .map((text) => new RegExp(`^${text.split(/\{\{[^}]*\}\}/).map(escape).join('.+?')}$`, 's'));
})();

const SHOWN_TEXTS = `(() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent?.trim();
    if (text && node.parentElement?.checkVisibility()) texts.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const value = element.getAttribute(name)?.trim();
      if (value) texts.push(value);
    }
  }
  return texts;
})()`;

/** Visible badges and buttons drawn narrower than their words. */
const CUT_SHORT = `[...document.querySelectorAll('.mantine-Badge-label, .mantine-Button-label, .mantine-Tabs-tabLabel, .mantine-SegmentedControl-label')]
  .filter((el) => el.checkVisibility() && el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent)`;

async function germanShot(p: Page, name: string): Promise<void> {
  await screenshot(p, name);
  const english = ((await p.evaluate(SHOWN_TEXTS)) as string[]).filter((text) => ENGLISH_ONLY.some((pattern) => pattern.test(text)));
  expect(english, `English on the German screen ${name}`).toEqual([]);
  expect(await p.evaluate(CUT_SHORT), `cut words on ${name}`).toEqual([]);
}

async function germanPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

test('the mail screens in German, at 1280×800', async ({ browser }) => {
  test.setTimeout(120_000);
  const de = await germanPage(browser);
  const deGuards = guardPage(de);
  try {
    await logIn(de, 'Name', 'Passwort', 'Anmelden', 'Übersicht');
    await expect(de.getByTestId('attention-mail')).toContainText('E-Mails aus allen Postfächern gehen hinaus.');
    await germanShot(de, 'mail-de-01-overview');

    await de.goto(`${keyrack.url}#/mailboxes`);
    await expect(tableRows(de).filter({ hasText: MAILBOX })).toContainText('2 gesendet');
    await germanShot(de, 'mail-de-02-mailboxes');
    await de.getByRole('button', { name: `${MAILBOX} öffnen` }).click();
    const d = de.getByRole('dialog', { name: MAILBOX });
    await d.getByRole('tab', { name: 'Postausgang', exact: true }).click();
    await expect(d.getByText('Gesetzt. Leer lassen, um es zu behalten; es wird nie wieder angezeigt.')).toBeVisible();
    await d.getByRole('button', { name: 'Verbindung testen' }).click();
    await expect(d.getByTestId('upstream-test-result')).toContainText(`Mit 127.0.0.1:${upstream.port} verbunden und angemeldet`);
    await germanShot(de, 'mail-de-03-upstream');
    await d.getByRole('tab', { name: 'E-Mail', exact: true }).click();
    await expect(textbox(d, 'Fußzeile (reiner Text)')).toHaveValue(FOOTER);
    await germanShot(de, 'mail-de-04-settings');
    await d.getByRole('tab', { name: 'Warteschlange', exact: true }).click();
    await expect(tableRows(d).filter({ hasText: 'Gesendet' })).toHaveCount(2);
    await germanShot(de, 'mail-de-05-queue');
    await de.keyboard.press('Escape');

    await de.goto(`${keyrack.url}#/server`);
    await expect(de.getByTestId('mail-relay-card')).toContainText('Läuft');
    await germanShot(de, 'mail-de-06-relay');
    deGuards.assertClean();
  } finally {
    await de.context().close();
  }
});

test('the default outgoing server: the mailbox without its own server falls back to it', async () => {
  await navTo(page, 'Mailboxes');
  await page.getByRole('button', { name: 'Default outgoing server' }).click();
  const d = page.getByRole('dialog', { name: 'Default outgoing server and e-mail settings' });
  await expect(d.getByTestId('upstream-missing')).toContainText('No default outgoing server yet.');
  await textbox(d, 'Server').fill('127.0.0.1');
  await d.getByRole('textbox', { name: 'Port' }).fill(String(upstream.port));
  await choose(d, 'Login', 'User name and password');
  await textbox(d, 'User name').fill(UPSTREAM_USER);
  // A wrong password first: the test says the server refused the login, in the server's words.
  await textbox(d, 'Password').fill('not-the-password');
  await d.getByRole('button', { name: 'Save outgoing server' }).click();
  await expect(page.getByText('Outgoing server 127.0.0.1 saved')).toBeVisible();
  await d.getByRole('button', { name: 'Test connection' }).click();
  await expect(d.getByTestId('upstream-test-result')).toContainText(`127.0.0.1:${upstream.port} did not accept the connection or the login`);
  await expect(d.getByTestId('upstream-test-result')).toContainText('Invalid login');
  await screenshot(page, 'mail-08-default-test-failed');
  await textbox(d, 'Password').fill(UPSTREAM_PASSWORD);
  await d.getByRole('button', { name: 'Save outgoing server' }).click();
  await expect(d.getByTestId('upstream-test-result')).toBeHidden(); // a new setting, a new test
  await d.getByRole('button', { name: 'Test connection' }).click();
  await expect(d.getByTestId('upstream-test-result')).toContainText(`Connected and logged in to 127.0.0.1:${upstream.port}`);
  await page.keyboard.press('Escape');
  await expect(d).toBeHidden();

  // The mailbox's own server removed: it now names the default it sends through.
  await openMailbox('Outgoing server');
  await drawer().getByRole('button', { name: 'Use the default server' }).click();
  await page.getByRole('dialog', { name: "Remove this mailbox's own outgoing server?" }).getByRole('button', { name: 'Use the default server' }).click();
  await expect(drawer().getByTestId('upstream-inherited')).toContainText(`default outgoing server 127.0.0.1:${upstream.port}`);
  await drawer().getByRole('button', { name: 'Test connection' }).click();
  await expect(drawer().getByTestId('upstream-test-result')).toContainText('Connected and logged in');
});
