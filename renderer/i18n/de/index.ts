/*
 * Der deutsche Katalog. Sie-Form durchgehend. Glossar (englisch → deutsch), in jedem Namespace eingehalten:
 *
 *   API user → API-Benutzer           person → Person             user → Benutzer          account → Konto
 *   group → Gruppe                     member → Mitglied           app permission → App-Berechtigung
 *   (API) right → (API-)Recht          rights catalogue → Rechtekatalog                   resource → Ressource
 *   action → Aktion                    record filter → Datensatzfilter                     scope → Scope (erklärt)
 *   mailbox → Postfach                 display name → Anzeigename  client id → Client-ID
 *   client secret → Client-Secret, kurz Secret                    credentials → Zugangsdaten
 *   credential file → Zugangsdatei     passphrase → Passphrase     allowlist → Zugriffsliste (IP-Zugriffsliste)
 *   provider word → Anbieterkürzel     provider ranges → IP-Bereiche der Anbieter          range → Bereich
 *   snapshot → Stand                   log → Protokoll             event → Ereignis         retention → Aufbewahrung
 *   prune → bereinigen                 archive → Archiv, archivieren
 *   token → Token, access token → Zugriffstoken                    token server → Token-Server
 *   issue → ausstellen                 refuse/deny → ablehnen      expire → ablaufen        revoke → widerrufen
 *   rotate → erneuern                  disable/enable → deaktivieren/aktivieren
 *   signing key → Signaturschlüssel    issuer → Aussteller (iss)   audience → Zielgruppe (aud)
 *   LAN access → LAN-Zugriff           lock → sperren              log in/out → anmelden/abmelden
 *   overview → Übersicht               settings → Einstellungen    integration → Integration, integrator → Integrator
 *
 * Fachwörter, die bleiben (OAuth, JWT, JWKS, ES256, TLS, CIDR), werden dort, wo sie stehen, kurz erklärt.
 * Daten: TT.MM.JJJJ HH:mm (lib/format.ts); Zahlen mit Punkt als Tausendertrennzeichen (Intl).
 */
import type { en } from '../en/index.js';
import type { Translation } from '../types.js';
import { activations } from './activations.js';
import { app } from './app.js';
import { common } from './common.js';
import { core } from './core.js';
import { groups } from './groups.js';
import { log } from './log.js';
import { mailboxes } from './mailboxes.js';
import { messages } from './messages.js';
import { overview } from './overview.js';
import { rights } from './rights.js';
import { server } from './server.js';
import { store } from './store.js';
import { users } from './users.js';

/** Exactly the English catalogue's keys (Translation), so a missing or extra key fails to compile. */
export const de: Translation<typeof en> = { common, app, overview, users, activations, groups, rights, mailboxes, log, server, store, messages, core };
