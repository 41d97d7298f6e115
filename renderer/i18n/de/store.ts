import type { store as en } from '../en/store.js';
import type { Translation } from '../types.js';

export const store: Translation<typeof en> = {
  title: 'Datenspeicher',
  description:
    'Hier bewahrt Keyrack Benutzer, Gruppen, Schlüssel und Protokoll auf: in einer SQLite-Datei im Datenordner oder in einer PostgreSQL-Datenbank, die es mit Server-Knoten teilt.',
  loading: 'Status des Datenspeichers wird geladen',
  loadFailed: 'Der Status des Datenspeichers konnte nicht gelesen werden',
  engine: {
    sqlite: 'SQLite',
    postgres: 'PostgreSQL',
  },
  inUse: 'In Verwendung',
  chosenByLabel: 'Gewählt durch',
  chosenBy: {
    flag: 'die Option --store',
    env: 'die Umgebungsvariable KEYRACK_STORE',
    setting: 'store.json im Datenordner',
    default: 'die Voreinstellung (nichts gewählt)',
  },
  schema: 'Schemaversion',
  schemaCurrent: '{{version}} (aktuell)',
  schemaOlder: '{{version}} (dieses Programm hat {{program}})',
  schemaUnknown: 'unbekannt (dieses Programm hat {{program}})',
  unreadable: 'Der Datenspeicher kann gerade nicht gelesen werden',
  nodes: 'Knoten, in der letzten Minute gesehen',
  noNodes: 'Keine: kein keyrack-serve-Knoten hat sich in der letzten Minute bei diesem Datenspeicher gemeldet.',
  node: {
    name: 'Knoten',
    version: 'Version',
    address: 'Adresse',
    seen: 'Gesehen',
    seenAgo: 'vor {{seconds}} s',
  },
  envWins:
    'KEYRACK_STORE ist in der Umgebung gesetzt, mit der Keyrack gestartet wurde ({{store}}): Die Variable hat Vorrang vor der Wahl hier, bei diesem und beim nächsten Start.',
  nextDiffers: 'Ab dem nächsten Start verwendet Keyrack {{engine}} {{store}}. Starten Sie Keyrack neu, um ihn zu verwenden.',
  nextProblem: 'Der nächste Start kann keinen Datenspeicher wählen',
  choose: {
    title: 'Anderen Datenspeicher verwenden',
    kind: 'Datenspeicher',
    sqlite: 'SQLite-Datei',
    postgres: 'PostgreSQL-Datenbank',
    url: 'Store-URL',
    urlHint: 'postgres://benutzer@host:port/datenbank, ohne Passwort.',
    urlExample: 'postgres://keyrack@db.buero.lan:5432/keyrack',
    password: 'Kein Passwort hier: Keyrack nimmt es aus PGPASSWORD oder ~/.pgpass des Kontos, unter dem es läuft.',
    sqliteNote: 'Die SQLite-Datei im Datenordner: {{file}}',
    submit: 'Prüfen und verwenden',
    checking: 'Verbindung zum Datenspeicher wird aufgebaut …',
    done: 'Starten Sie Keyrack neu, um ihn zu verwenden.',
    chosenTitle: 'Datenspeicher gewählt: {{store}}',
    alreadyInUse: 'Keyrack verwendet ihn bereits.',
    failed: 'Der Datenspeicher wurde nicht gewählt',
    onlyAdmins: 'Um einen anderen Datenspeicher zu wählen, brauchen Sie die Berechtigung, den Token-Server zu betreiben.',
  },
};
