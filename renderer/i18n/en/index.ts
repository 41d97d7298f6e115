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

/** The English catalogue, one namespace per feature; its keys are the ones every other language must have. */
export const en = { common, app, overview, users, activations, groups, rights, mailboxes, log, server, store, messages, core } as const;
