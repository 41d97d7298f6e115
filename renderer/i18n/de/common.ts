import type { common as en } from '../en/common.js';
import type { Translation } from '../types.js';

export const common: Translation<typeof en> = {
  cancel: 'Abbrechen',

  save: 'Speichern',
  close: 'Schließen',
  closeDialog: 'Dialog schließen',
  closeNotification: 'Benachrichtigung schließen',
  tryAgain: 'Erneut versuchen',
  loading: 'Wird geladen',
  never: 'Nie',
  none: 'Keine',
  searching: 'Suche läuft …',
  status: {
    active: 'Aktiv',
    disabled: 'Deaktiviert',
    expired: 'Abgelaufen',
    expiresSoon: 'Läuft bald ab',
    expiresAt: 'Läuft ab am {{time}}',
  },
  allowlist: {
    label: 'IP-Zugriffsliste',
    description:
      'Adressen (192.0.2.10, 2001:db8::1), Bereiche (10.0.0.0/8) oder ein Anbieterkürzel. Leer: Jede Adresse darf sie verwenden.',
    entries: 'Adressen (192.0.2.10, 2001:db8::1), Bereiche (10.0.0.0/8) oder ein Anbieterkürzel.',
    placeholder: 'Eintrag eingeben und Enter drücken',
    providerRange: 'IP-Bereiche des Anbieters',
  },
  secretExpiry: {
    preset: { '30': '30 Tage', '90': '90 Tage', '365': '1 Jahr', date: 'Datum …', never: 'Nie' },
    expiresOn: 'Läuft ab am',
    pickDay: 'Tag wählen',
    stopsAt: 'Gilt bis einschließlich {{day}}.',
    neverTitle: 'Ein Secret, das nie abläuft',
    neverWarning:
      'Gelangt es in falsche Hände, funktioniert es, bis jemand es widerruft. Wählen Sie besser ein Ablaufdatum und erneuern Sie das Secret vorher.',
  },
  builtInDescription: {
    administrators: 'Volle Kontrolle über Keyrack. Verliert nie sein letztes aktives Mitglied.',
    keyrack: 'Keyrack selbst. introspect: Ein Dienst darf bei Keyrack nachfragen, ob ein Token noch gültig ist.',
  },
  pageError: {
    title: 'Diese Seite konnte nicht angezeigt werden',
    hint: 'Neu laden holt die Seite noch einmal (nach einem Update ihre neue Version).',
    reload: 'Neu laden',
  },
  table: {
    recordsPerPage: 'Zeilen pro Seite',
    previousPage: 'Vorherige Seite',
    nextPage: 'Nächste Seite',
    sortedAscending: 'Aufsteigend sortiert',
    sortedDescending: 'Absteigend sortiert',
    notSorted: 'Nicht sortiert',
  },
  errors: {
    title: 'Das hat nicht geklappt',
    unexpected: 'Etwas Unerwartetes ist schiefgegangen. Versuchen Sie es erneut; passiert es wieder, sehen Sie im Protokoll nach.',
    retryAt: 'Zu viele Versuche. Versuchen Sie es nach {{time}} wieder.',
    code: {
      validation: 'Eine Eingabe wurde nicht angenommen. Prüfen Sie die Felder und versuchen Sie es erneut.',
      not_found: 'Das gibt es nicht (mehr). Vielleicht hat es jemand gelöscht.',
      conflict: 'Das geht im jetzigen Zustand nicht: Ein Name ist vielleicht vergeben, oder etwas ist eingebaut oder schon erledigt.',
      forbidden: 'Ihnen fehlt die Berechtigung, die dafür nötig ist.',
      unauthenticated: 'Melden Sie sich zuerst (erneut) an.',
      rate_limited: 'Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es erneut.',
      unavailable: 'Der Speicher ist gerade nicht erreichbar. Keyrack verbindet sich von selbst neu; versuchen Sie es gleich noch einmal.',
      internal: 'In Keyrack ist etwas schiefgegangen; die Einzelheiten stehen in seinem Protokoll.',
    },
  },
};
