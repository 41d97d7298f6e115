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
import type { Queryable } from '../db/store.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** Mailboxes API users may send as; assigned ones travel in their tokens. */
export class MailboxesService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor): Promise<MailboxInfo[]> {
    await authorize(this.deps, actor, null, 'mailbox.updated');
    return listMailboxes(this.deps.store);
  }

  async create(actor: Actor, data: ParsedInputOf<'mailboxes.create'>): Promise<MailboxInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.created');
    const id = await this.deps.store.transaction(async (tx) => {
      await assertAddressFree(tx, data.address);
      const id = await insertMailbox(tx, data.address, data.displayName, this.deps.clock.now());
      await recordEvent(tx, this.deps, actor, { type: 'mailbox.created', details: { mailboxId: id, address: data.address } });
      return id;
    });
    return (await findMailbox(this.deps.store, id))!;
  }

  async update(actor: Actor, data: ParsedInputOf<'mailboxes.update'>): Promise<MailboxInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.updated');
    const mailbox = await this.require(data.id);
    await this.deps.store.transaction(async (tx) => {
      if (data.address !== undefined && data.address.toLowerCase() !== mailbox.address.toLowerCase()) {
        await assertAddressFree(tx, data.address);
      }
      await updateMailboxRow(tx, mailbox.id, data);
      await recordEvent(tx, this.deps, actor, {
        type: 'mailbox.updated',
        details: { mailboxId: mailbox.id, address: data.address ?? mailbox.address, previous: mailbox.address },
      });
    });
    return this.require(mailbox.id);
  }

  async delete(actor: Actor, { id }: ParsedInputOf<'mailboxes.delete'>): Promise<null> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.deleted');
    const mailbox = await this.require(id);
    await this.deps.store.transaction(async (tx) => {
      await deleteMailboxRow(tx, id);
      await recordEvent(tx, this.deps, actor, {
        type: 'mailbox.deleted',
        details: { mailboxId: id, address: mailbox.address, users: mailbox.users.map((u) => u.name) },
      });
    });
    return null;
  }

  async assign(actor: Actor, { mailboxId, userId }: ParsedInputOf<'mailboxes.assign'>): Promise<MailboxInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.assigned');
    const mailbox = await this.require(mailboxId);
    const user = await findUserById(this.deps.store, userId);
    if (!user) throw new ValidationError({ userId: `There is no user with id ${userId}` });
    if (user.kind !== 'api') throw new ValidationError({ userId: `${user.name} is a person; mailboxes go to API users` });
    await this.deps.store.transaction(async (tx) => {
      if (!(await insertAssignment(tx, mailboxId, userId))) return;
      await recordEvent(tx, this.deps, actor, {
        type: 'mailbox.assigned',
        target: { id: user.id, name: user.name },
        details: { mailboxId, address: mailbox.address },
      });
    });
    return this.require(mailboxId);
  }

  async unassign(actor: Actor, { mailboxId, userId }: ParsedInputOf<'mailboxes.unassign'>): Promise<MailboxInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mailbox.unassigned');
    const mailbox = await this.require(mailboxId);
    const user = mailbox.users.find((u) => u.id === userId);
    if (!user) throw new NotFoundError(`User ${userId} on ${mailbox.address}`);
    await this.deps.store.transaction(async (tx) => {
      await deleteAssignment(tx, mailboxId, userId);
      await recordEvent(tx, this.deps, actor, {
        type: 'mailbox.unassigned',
        target: { id: user.id, name: user.name },
        details: { mailboxId, address: mailbox.address },
      });
    });
    return this.require(mailboxId);
  }

  private async require(id: number): Promise<MailboxInfo> {
    const mailbox = await findMailbox(this.deps.store, id);
    if (!mailbox) throw new NotFoundError(`Mailbox ${id}`);
    return mailbox;
  }
}

async function assertAddressFree(tx: Queryable, address: string): Promise<void> {
  if (await findMailboxByAddress(tx, address)) {
    throw new ConflictError(`The mailbox ${address} already exists`, { address: `${address} already exists` });
  }
}
