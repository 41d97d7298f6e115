import type { ParsedInputOf } from '../../shared/contract.js';
import type { MailboxInfo } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import {
  deleteAssignment,
  deleteMailboxRow,
  findMailbox,
  findMailboxByAddress,
  insertAssignment,
  insertMailbox,
  listMailboxes,
  updateMailboxRow,
} from '../repos/mailboxes.repo.js';
import { findUserById } from '../repos/users.repo.js';
import { recordEventOnDb } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** Mailboxes API users may send as; assigned ones travel in their tokens. */
export class MailboxesService {
  constructor(private readonly deps: ServiceDeps) {}

  list(actor: Actor): MailboxInfo[] {
    authorize(this.deps, actor, null, 'mailbox.updated');
    return listMailboxes(this.deps.db);
  }

  create(actor: Actor, data: ParsedInputOf<'mailboxes.create'>): MailboxInfo {
    authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.created');
    const id = this.deps.db.transaction(() => {
      this.assertAddressFree(data.address);
      const id = insertMailbox(this.deps.db, data.address, data.displayName, this.deps.clock.now());
      recordEventOnDb(this.deps, actor, { type: 'mailbox.created', details: { mailboxId: id, address: data.address } });
      return id;
    }).immediate();
    return findMailbox(this.deps.db, id)!;
  }

  update(actor: Actor, data: ParsedInputOf<'mailboxes.update'>): MailboxInfo {
    authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.updated');
    const mailbox = this.require(data.id);
    this.deps.db.transaction(() => {
      if (data.address !== undefined && data.address.toLowerCase() !== mailbox.address.toLowerCase()) {
        this.assertAddressFree(data.address);
      }
      updateMailboxRow(this.deps.db, mailbox.id, data);
      recordEventOnDb(this.deps, actor, {
        type: 'mailbox.updated',
        details: { mailboxId: mailbox.id, address: data.address ?? mailbox.address, previous: mailbox.address },
      });
    }).immediate();
    return this.require(mailbox.id);
  }

  delete(actor: Actor, { id }: ParsedInputOf<'mailboxes.delete'>): null {
    authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.deleted');
    const mailbox = this.require(id);
    this.deps.db.transaction(() => {
      deleteMailboxRow(this.deps.db, id);
      recordEventOnDb(this.deps, actor, {
        type: 'mailbox.deleted',
        details: { mailboxId: id, address: mailbox.address, users: mailbox.users.map((u) => u.name) },
      });
    }).immediate();
    return null;
  }

  assign(actor: Actor, { mailboxId, userId }: ParsedInputOf<'mailboxes.assign'>): MailboxInfo {
    authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.assigned');
    const mailbox = this.require(mailboxId);
    const user = findUserById(this.deps.db, userId);
    if (!user) throw new ValidationError({ userId: `There is no user with id ${userId}` });
    if (user.kind !== 'api') throw new ValidationError({ userId: `${user.name} is a person; mailboxes go to API users` });
    this.deps.db.transaction(() => {
      if (!insertAssignment(this.deps.db, mailboxId, userId)) return;
      recordEventOnDb(this.deps, actor, {
        type: 'mailbox.assigned',
        target: { id: user.id, name: user.name },
        details: { mailboxId, address: mailbox.address },
      });
    }).immediate();
    return this.require(mailboxId);
  }

  unassign(actor: Actor, { mailboxId, userId }: ParsedInputOf<'mailboxes.unassign'>): MailboxInfo {
    authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.unassigned');
    const mailbox = this.require(mailboxId);
    const user = mailbox.users.find((u) => u.id === userId);
    if (!user) throw new NotFoundError(`User ${userId} on ${mailbox.address}`);
    this.deps.db.transaction(() => {
      deleteAssignment(this.deps.db, mailboxId, userId);
      recordEventOnDb(this.deps, actor, {
        type: 'mailbox.unassigned',
        target: { id: user.id, name: user.name },
        details: { mailboxId, address: mailbox.address },
      });
    }).immediate();
    return this.require(mailboxId);
  }

  private require(id: number): MailboxInfo {
    const mailbox = findMailbox(this.deps.db, id);
    if (!mailbox) throw new NotFoundError(`Mailbox ${id}`);
    return mailbox;
  }

  private assertAddressFree(address: string): void {
    if (findMailboxByAddress(this.deps.db, address)) {
      throw new ConflictError(`The mailbox ${address} already exists`, { address: `${address} already exists` });
    }
  }
}
