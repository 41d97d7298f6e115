/**
 * The messages the shared schemas and parsers give about a value (shared/schemas.ts, time.ts, text.ts,
 * allowlist.ts and the feature schemas), each under a stable key with its English text. The core and the CLI
 * show the English, exactly as before; the renderer reads the key and its values back from that text
 * (readMessage) and shows the words of the person's language (renderer/i18n/<language>/messages.ts).
 *
 * Adding a message: a key here, used through `message()`; the German catalogue then fails to compile until it
 * has the key too. A label a message names goes into FIELD_LABELS (a label not there fails to compile).
 */

/** The field names messages start with, by a key the renderer translates them under. */
export const FIELD_LABELS = {
  name: 'Name',
  description: 'Description',
  label: 'Label',
  groupName: 'Group name',
  displayName: 'Display name',
  search: 'Search',
  actor: 'Actor',
  resource: 'Resource',
  action: 'Action',
  filter: 'Filter',
  users: 'Users',
  groups: 'Groups',
  mailboxes: 'Mailboxes',
  filters: 'Filters',
  actions: 'Actions',
  password: 'Password',
  currentPassword: 'Current password',
  allowlistEntry: 'Allowlist entry',
  secret: 'Secret',
  passphrase: 'Passphrase',
  path: 'Path',
  filePath: 'File path',
  defaultAudience: 'The default audience',
  audience: 'An audience',
  publicKey: 'Public key',
  storeUrl: 'Store URL',
} as const;
export type FieldLabelKey = keyof typeof FIELD_LABELS;
export type FieldLabel = (typeof FIELD_LABELS)[FieldLabelKey];

/** English month names, as parseDateText writes them ("February 2027 has 28 days"). */
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

export const MESSAGES = {
  // Any text field.
  mustBeText: '{{label}} must be text',
  tooLong: '{{label}} can be at most {{max}} characters',
  tooShort: '{{label}} must be at least {{min}} characters',
  required: '{{label}} is required',
  controlCharacters: '{{label}} cannot contain control characters',
  invisibleCharacters: '{{label}} cannot contain invisible or text-direction characters (it has {{codePoint}})',
  replacementCharacter: '{{label}} contains U+FFFD, which stands for bytes that were not valid UTF-8; type it again',
  listedTwice: '{{label}} are listed twice',
  pathTooLong: '{{label}} is too long',
  pathNul: '{{label}} cannot contain NUL',
  // Numbers, ids, times.
  wholeNumber: 'Must be a whole number',
  positiveId: 'Must be a positive id',
  epochMs: 'Must be a time in epoch milliseconds',
  horizon: 'Must be at most {{years}} years from now',
  noSuchMonth: '{{date}} is not a date: there is no month {{month}}',
  noSuchDay: '{{date}} is not a date: {{monthName}} {{year}} has {{days}} days',
  notTimeOfDay: '{{text}} is not a time of day',
  notZoneOffset: '{{zone}} is not a time zone offset',
  rangeOrder: 'The start of the range must not be after its end',
  // Users and sign-in.
  nameLetterOrDigit: 'Name must contain at least one letter or digit',
  email: 'Enter a valid email address, like name@example.com',
  idleChoices: 'Choose one of {{choices}} minutes',
  pageStart: 'Page starts at 1',
  rowsPerPage: 'At most {{max}} rows a page',
  atLeastSeconds: 'At least {{min}} seconds',
  atMostOneDay: 'At most one day',
  chooseUsers: 'Choose at least one user',
  // Allowlists.
  allowlistTooLong: 'At most {{max}} allowlist entries',
  allowlistEmpty: 'Enter an address, a CIDR range or a provider word',
  zoneId: '{{text}}: zone ids (%…) are not allowed',
  badIpv4: '{{text}} is not an IPv4 address: use four numbers 0-255 without leading zeros, like 192.168.1.10',
  notAnEntry: '{{text}} is not an IP address, a CIDR range or one of {{providers}}',
  prefixLength: '{{text}}: the part after / must be a prefix length, like /24',
  mappedPrefix: '{{text}}: an IPv4-mapped range needs a prefix of 96 to 128',
  prefixRange: '{{text}}: an {{family}} prefix is 0 to {{max}}',
  hostBits: '{{text}} has host bits set: did you mean {{network}}/{{prefix}}?',
  // Groups and the rights catalogue.
  rightName: '{{label}} must be lowercase letters, digits, _ or -, starting with a letter',
  resourceName:
    'Resource must be lowercase letters, digits, _ or -, starting with a letter; endpoint-style segments are joined by /, like orders/import',
  oneAction: 'Give the resource at least one action',
  // The log.
  oneIp: 'Enter one IP address, like 203.0.113.7 or 2001:db8::7',
  eventsPerPage: 'At most {{max}} events a page',
  logFormat: 'Format must be csv or jsonl',
  unknownExport: 'Unknown export',
  daysWhole: 'Days must be a whole number',
  keepOneDay: 'Keep at least one day',
  atLeastOneDay: 'At least one day',
  atMostDays: 'At most {{max}} days',
  // Settings.
  onOff: 'Must be on or off',
  changeOne: 'Change at least one setting',
  notUri: '{{label}} must be a URI, like https://api.example.lan or urn:office:crm',
  proxyText: 'A proxy must be an address or CIDR range',
  proxyFormat: 'A proxy must be an IP address or a CIDR range, like 10.0.0.5 or 10.0.0.0/24',
  issuerFormat: 'The issuer must be an http(s) origin, like https://keyrack.office.lan:8443, with no path',
  atMostAudiences: 'At most {{max}} audiences',
  wholeSeconds: 'Must be a whole number of seconds',
  portNumber: 'Must be a port number',
  portRange: 'A port is 1 to 65535',
  hostFormat: 'A host is an address or a name',
  atMostProxies: 'At most {{max}} proxies',
  metricsReaderFormat: 'Who may read the metrics must be an IP address or a CIDR range, like 10.0.0.5 or 10.0.0.0/24',
  atMostMetricsReaders: 'At most {{max}} addresses may read the metrics',
  // Provider ranges and credential files.
  providerChoice: 'Provider must be one of {{providers}}',
  oneProvider: 'Choose at least one provider',
  chooseFile: 'Choose a file',
  importFiles: "Import one file, or Cloudflare's two",
  fileFormat: 'Format is json or env',
  notASecret: 'This is not a Keyrack client secret (43 characters, letters, digits, - and _)',
} as const;
export type MessageKey = keyof typeof MESSAGES;

/** The names between `{{` and `}}` in a template. */
type VariablesOf<T extends string> = T extends `${string}{{${infer V}}}${infer Rest}` ? V | VariablesOf<Rest> : never;
/** What a message needs: each of its variables, `label` one of FIELD_LABELS, `monthName` an English month. */
export type MessageValues<K extends MessageKey> = {
  [V in VariablesOf<(typeof MESSAGES)[K]>]: V extends 'label' ? FieldLabel : V extends 'monthName' ? (typeof MONTH_NAMES)[number] : string | number;
};

/** The English text of a message, as the core and the CLI show it. */
export function message<K extends MessageKey>(key: K, ...[values]: VariablesOf<(typeof MESSAGES)[K]> extends never ? [] : [MessageValues<K>]): string {
  const vars = (values ?? {}) as Record<string, string | number>;
  return MESSAGES[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name]));
}

export interface ReadMessage {
  key: MessageKey;
  /** The message's values as its text has them; `label` as its FIELD_LABELS key. */
  values: Record<string, string>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternatives = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length).map(escape).join('|');

/**
 * Reads texts written from `{{name}}` templates back to the template's key and the values: each template as
 * an anchored pattern, the most specific (most fixed text) first. `patterns` says what a variable may look
 * like (a regular expression source); any other variable is free text.
 */
export function templateReader<K extends string>(
  templates: Readonly<Record<K, string>>,
  patterns: Readonly<Record<string, string>> = {},
): (text: string) => { key: K; values: Record<string, string> } | null {
  const readers = (Object.entries(templates) as [K, string][])
    .map(([key, template]) => {
      const names: string[] = [];
      const source = template
        .split(/(\{\{\w+\}\})/)
        .map((part) => {
          const name = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
          if (!name) return escape(part);
          names.push(name);
          return `(${patterns[name] ?? '.+?'})`;
        })
        .join('');
      return { key, names, pattern: new RegExp(`^${source}$`, 's'), fixed: template.replace(/\{\{\w+\}\}/g, '').length };
    })
    .sort((a, b) => b.fixed - a.fixed);
  return (text) => {
    for (const { key, names, pattern } of readers) {
      const match = pattern.exec(text);
      if (match) return { key, values: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) };
    }
    return null;
  };
}

const LABEL_KEYS = new Map(Object.entries(FIELD_LABELS).map(([label, text]) => [text as string, label as FieldLabelKey]));
const readTemplate = templateReader(MESSAGES, {
  label: alternatives(Object.values(FIELD_LABELS)),
  monthName: alternatives(MONTH_NAMES),
  max: '\\d[\\d ]*',
  min: '\\d+',
  years: '\\d+',
  month: '\\d+',
  year: '\\d+',
  days: '\\d+',
  prefix: '\\d+',
});

/** The key and values of a text `message()` wrote (`label` as its FIELD_LABELS key), or null for any other text. */
export function readMessage(text: string): ReadMessage | null {
  const read = readTemplate(text);
  if (!read) return null;
  if (read.values.label !== undefined) read.values.label = LABEL_KEYS.get(read.values.label)!;
  return read;
}
