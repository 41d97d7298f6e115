import type { groups as en } from '../en/groups.js';
import type { Translation } from '../types.js';

export const groups: Translation<typeof en> = {
  builtIn: 'eingebaut',
  appPermission: {
    users: {
      manage: {
        label: 'Benutzer verwalten',
        description: 'Personen und API-Benutzer anlegen, ändern, deaktivieren oder löschen, und Secrets hinzufügen, erneuern oder widerrufen.',
      },
    },
    groups: {
      manage: {
        label: 'Gruppen und Rechte verwalten',
        description: 'Gruppen anlegen und ändern, ihre Mitglieder und Rechte, und den Rechtekatalog bearbeiten.',
      },
    },
    mailboxes: {
      manage: {
        label: 'Postfächer verwalten',
        description: 'Postfächer anlegen, ändern und löschen, und wählen, welche API-Benutzer aus ihnen senden dürfen.',
      },
    },
    log: {
      view: {
        label: 'Protokoll einsehen',
        description: 'Das Protokoll von allem, was geschehen ist, lesen und exportieren, auch die Token-Anfragen.',
      },
    },
    server: {
      manage: {
        label: 'Token-Server betreiben',
        description:
          'Den Token-Server starten und stoppen, Port, LAN-Zugriff und Token-Gültigkeit ändern, Schlüssel erneuern und festlegen, wie lange das Protokoll Ereignisse behält.',
      },
    },
  },
  list: {
    title: 'Gruppen',
    description: 'Gruppen geben Personen App-Berechtigungen und API-Benutzern API-Rechte. Ein Benutzer hat alles, was seine Gruppen zusammen geben.',
    new: 'Neue Gruppe',
    hintTitle: 'Bisher nur die eingebaute Gruppe',
    hint: 'API-Benutzer erhalten ihre Rechte nur über Gruppen. Legen Sie eine je Art von Integration an (etwa „CRM-Abgleich“), vergeben Sie ihr Rechte auf Ihre APIs und nehmen Sie dann API-Benutzer auf. Die Rechte stammen aus dem <rights>Rechtekatalog</rights>: Beschreiben Sie dort zuerst Ihre APIs.',
    makeFirst: 'Erste Gruppe anlegen',
    empty: 'Keine Gruppen, die Sie sehen dürfen',
    column: { name: 'Name', description: 'Beschreibung', members: 'Mitglieder' },
  },
  editor: {
    newTitle: 'Neue Gruppe',
    newDescription: 'Benennen Sie die Gruppe und wählen Sie dann, was Personen und API-Benutzer darin dürfen.',
    back: 'Zurück zu den Gruppen',
    create: 'Gruppe anlegen',
    created: 'Gruppe {{name}} angelegt',
    save: 'Gruppe speichern',
    saved: 'Gruppe {{name}} gespeichert',
    deleted: 'Gruppe {{name}} gelöscht',
    deleteFailed: 'Die Gruppe wurde nicht gelöscht',
    members_one: '{{count}} Mitglied',
    members_other: '{{count}} Mitglieder',
    deleteTitle: 'Die Gruppe {{name}} löschen?',
    deleteEmpty: 'Die Gruppe hat keine Mitglieder. Das Löschen lässt sich nicht rückgängig machen.',
    deleteMembers_one:
      'Ihr {{count}} Mitglied ({{names}}) verliert die Rechte und App-Berechtigungen, die sie gibt. Das lässt sich nicht rückgängig machen.',
    deleteMembers_other:
      'Ihre {{count}} Mitglieder ({{names}}) verlieren die Rechte und App-Berechtigungen, die sie gibt. Das lässt sich nicht rückgängig machen.',
    delete: 'Gruppe löschen',
    readOnly: 'Sie können diese Gruppe sehen, aber nicht ändern (dafür braucht es die Berechtigung, Gruppen zu verwalten).',
    membersTitle: 'Mitglieder',
    loadFailed: 'Konnte nicht geladen werden',
  },
  members: {
    added: '{{name}} ist jetzt in {{group}}',
    addFailed: 'Das Mitglied konnte nicht hinzugefügt werden',
    removed: '{{name}} ist nicht mehr in {{group}}',
    removeFailed: '{{name}} wurde nicht entfernt',
    notRemoved: 'Mitglied nicht entfernt',
    none: 'Noch keine Mitglieder.',
    name: 'Name',
    kind: 'Art',
    status: 'Status',
    removeTitle: '{{name}} aus {{group}} entfernen?',
    removeApi: '{{name}} verliert die API-Rechte, die {{group}} gibt; ab jetzt ausgestellte Tokens enthalten sie nicht mehr.',
    removePerson: '{{name}} verliert die App-Berechtigungen, die {{group}} gibt.',
    removeConfirm: 'Mitglied entfernen',
    removeName: '{{name}} entfernen',
    remove: 'Entfernen',
    addPerson: 'Person hinzufügen',
    addAny: 'Person oder API-Benutzer hinzufügen',
    searchPlaceholder: 'Nach Namen suchen',
    nobodyElse: 'Sonst passt niemand',
    add: 'Mitglied hinzufügen',
  },
  form: {
    group: 'Gruppe',
    name: 'Name',
    builtInName: 'Die eingebaute Gruppe behält ihren Namen.',
    description: 'Beschreibung',
    appPermissions: 'App-Berechtigungen (für Personen in dieser Gruppe)',
    builtInPermissions: 'Die eingebaute Gruppe hat immer alle App-Berechtigungen.',
    apiRights: 'API-Rechte (für API-Benutzer in dieser Gruppe)',
    nothingTitle: 'Noch nichts Eigenes zu vergeben',
    nothing:
      'Der Rechtekatalog beschreibt bisher nur Keyrack selbst. Nehmen Sie dort die APIs in Ihrem Netz auf (jede mit ihren Aktionen) und vergeben Sie sie dann hier.',
    openCatalogue: 'Rechtekatalog öffnen',
    scopes: 'Scopes in Tokens',
    scopesExplain:
      'Ein Scope ist ein Recht, wie es im Zugriffstoken steht: Ressource:Aktion. Die API liest es und entscheidet danach, was der Aufrufer darf.',
    noScopes: 'Keine: API-Benutzer erhalten aus dieser Gruppe keine API-Rechte.',
  },
  matrix: {
    empty: 'Der Rechtekatalog ist leer: Nehmen Sie zuerst auf der Seite Rechtekatalog Ressourcen auf.',
    leastPrivilege: 'Vergeben Sie write (schreiben) und delete (löschen) nur, wo die Integration es braucht; read (lesen) genügt meistens.',
    label: 'API-Rechte',
    resource: 'Ressource',
    all: 'Alle',
    filters: 'Datensatzfilter',
    noDescription: 'Keine Beschreibung',
    everyAction: '{{resource}}: jede Aktion',
    noneDefined: 'keine festgelegt',
    filterOf: '{{resource}}: Filter {{filter}}',
  },
};
