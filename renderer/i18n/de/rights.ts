import type { rights as en } from '../en/rights.js';
import type { Translation } from '../types.js';

export const rights: Translation<typeof en> = {
  title: 'Rechtekatalog',
  description:
    'Die Ressourcen, die die APIs Ihres Büros anbieten, die Aktionen darauf und die Datensatzfilter, die sie verstehen. Gruppen vergeben Rechte aus dieser Liste.',
  add: 'Ressource hinzufügen',
  addTitle: 'Eine Ressource hinzufügen',
  added: 'Ressource {{name}} hinzugefügt',
  save: 'Ressource speichern',
  saved: 'Ressource {{name}} gespeichert',
  edit: 'Bearbeiten',
  editName: '{{name}} bearbeiten',
  remove: 'Entfernen',
  removeName: '{{name}} entfernen',
  removeTitle: 'Die Ressource {{name}} entfernen?',
  removeConfirm: 'Ressource entfernen',
  removed: 'Ressource {{name}} entfernt',
  removeFailed: '{{name}} wurde nicht entfernt',
  removeUnused:
    'Jedes Recht auf {{name}} ({{scopes}}) und ihre Datensatzfilter verlassen den Katalog. Keine Gruppe hat eines davon. Das lässt sich nicht rückgängig machen.',
  removeUsed:
    'Jedes Recht auf {{name}} ({{scopes}}) und ihre Datensatzfilter verlassen den Katalog. Diese Gruppen verlieren sie: {{groups}}. Das lässt sich nicht rückgängig machen.',
  empty: 'Noch keine Ressourcen',
  firstApi: {
    title: 'Beschreiben Sie Ihre erste API',
    hint: 'Legen Sie für jede Art von Datensatz, die Ihre Bürosoftware im LAN anbietet (zum Beispiel Adressen oder Objekte), eine Ressource an, mit den Aktionen, die eine Integration darauf ausführen darf. Gruppen vergeben diese Rechte dann an API-Benutzer.',
    action: 'Erste API beschreiben',
  },
  builtInHint: 'In Keyrack eingebaut: nur lesbar',
  notDone: 'Nicht erledigt',
  column: { resource: 'Ressource', actions: 'Aktionen', filters: 'Datensatzfilter' },
  impact: {
    title: 'Gruppen Rechte entziehen?',
    confirm: 'Speichern und entziehen',
    intro: 'Speichern entfernt aus {{resource}}:',
    action: 'die Aktion',
    actionUnused: 'keine Gruppe hat sie',
    filter: 'den Datensatzfilter',
    filterUnused: 'keine Gruppe verwendet ihn',
    takenFrom: 'wird {{groups}} entzogen',
    tokens: 'Danach ausgestellte Tokens enthalten sie nicht mehr.',
  },
  form: {
    name: 'Name der Ressource',
    nameFixed: 'Eine Ressource behält ihren Namen: Tokens und Ihre APIs kennen sie darunter.',
    nameHint: 'Wie Ihre API sie nennt: kleingeschrieben, etwa addresses oder properties; ein Endpunkt wird mit / geschrieben, etwa orders/import.',
    description: 'Beschreibung',
    actions: 'Aktionen',
    actionsHint:
      'Nach jeder Enter drücken: read, write, delete oder eigene wie send. Ein Recht erscheint in Tokens als Ressource:Aktion.',
    filters: 'Datensatzfilter',
    filtersHint:
      'Einschränkungen, die Ihre API anwendet, wenn eine Gruppe sie hat, etwa published_only oder own_only. Sie reisen als Claim (Angabe) im Token mit.',
    // An example of a filter's name, as an API would call it (an identifier, not translated).
    filterNamePlaceholder: 'published_only',
    filterName: 'Name von Filter {{n}}',
    filterMeaning: 'Was der Filter bedeutet',
    filterDescription: 'Beschreibung von Filter {{n}}',
    removeFilter: 'Filter {{n}} entfernen',
    addFilter: 'Filter hinzufügen',
  },
};
