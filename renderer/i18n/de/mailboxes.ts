import type { mailboxes as en } from '../en/mailboxes.js';
import type { Translation } from '../types.js';

export const mailboxes: Translation<typeof en> = {
  title: 'Postfächer',
  description: 'Adressen, in deren Namen API-Benutzer E-Mails senden dürfen. Der Mail-Dienst in Ihrem Netz liest sie aus jedem Token.',
  new: 'Neues Postfach',
  create: 'Postfach anlegen',
  created: 'Postfach {{address}} angelegt',
  save: 'Postfach speichern',
  saved: 'Postfach {{address}} gespeichert',
  delete: 'Postfach löschen',
  deleted: 'Postfach {{address}} gelöscht',
  deleteFailed: 'Das Postfach wurde nicht gelöscht',
  deleteTitle: 'Das Postfach {{address}} löschen?',
  deleteUnused: 'Kein API-Benutzer sendet daraus. Das Löschen lässt sich nicht rückgängig machen.',
  deleteUsed: 'Diese API-Benutzer können danach nicht mehr als {{address}} senden: {{names}}. Das lässt sich nicht rückgängig machen.',
  open: '{{address}} öffnen',
  nobodyYet: 'noch niemand',
  noDisplayName: 'Kein Anzeigename',
  sendersTitle: 'API-Benutzer, die daraus senden dürfen',
  empty: {
    title: 'Noch keine Postfächer',
    addFirst: 'Erstes Postfach hinzufügen',
    hint: 'Ein API-Benutzer darf E-Mails nur im Namen eines ihm zugewiesenen Postfachs senden. Nehmen Sie die Büroadressen auf, aus denen Ihre Integrationen senden, und weisen Sie sie dann im Reiter Postfächer des API-Benutzers zu.',
  },
  column: { address: 'Adresse', displayName: 'Anzeigename', senders: 'API-Benutzer, die senden dürfen', created: 'Angelegt' },
  form: {
    address: 'Adresse',
    addressPlaceholder: 'buero@example.com',
    displayName: 'Anzeigename',
    displayNamePlaceholder: 'Beispiel-Büro',
    displayNameHint: 'Der Name, den E-Mails von dieser Adresse zeigen.',
  },
};
