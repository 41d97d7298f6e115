import type { ParsedInputOf } from '../../shared/contract.js';
import type {
  ActivationCreated,
  ActivationInfo,
  ActivationSnippet,
  ActivationStatus,
  RegistrationAuthMethod,
  RegistrationInfo,
} from '../../shared/activations.dto.js';
import { DEFAULT_ACTIVATION_DAYS } from '../../shared/activations.schemas.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { hasExpired } from '../../shared/liveness.js';
import { userName as userNameSchema } from '../../shared/schemas.js';
import { generateBearerCode, hashBearerCode, looksLikeBearerCode } from '../crypto/bearer-codes.js';
import { ClientKeyProblem, readClientKey, type ReadClientKey } from '../crypto/client-keys.js';
import type { Queryable } from '../db/store.js';
import {
  describeTemplate,
  findActivation,
  findActivationByCodeHash,
  findActivationByName,
  findRegistration,
  findRegistrationByClientId,
  insertActivation,
  insertRegistration,
  listActivations,
  listRegistrations,
  releaseRegistrationSlot,
  reserveRegistrationSlot,
  revokeActivationRow,
  updateRegistrationRow,
  type ActivationRecord,
  type RegistrationMetadata,
  type RegistrationRecord,
  type StoredTemplate,
} from '../repos/activations.repo.js';
import { listClientKeysOfUser } from '../repos/client-keys.repo.js';
import { listLiveSecretsOfUser } from '../repos/credentials.repo.js';
import { findUserByName } from '../repos/users.repo.js';
import { envValue } from '../credentials/credential-file-format.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import { ClientKeysService, sameKey } from './client-keys.service.js';
import type { Actor, ServiceDeps } from './context.js';
import { assertGroupsAccept } from './groups.service.js';
import { assertAllowlistAllowed } from './policy.service.js';
import { SecretsService } from './secrets.service.js';
import { assertIdsExist, canonicalAllowlist, UsersService } from './users.service.js';

const DAY_MS = 86_400_000;

/** Where services register, for the vendor snippet; null url with the reason when Keyrack does not know. */
export type RegistrationEndpointOf = () => Promise<{ url: string | null; problem: string | null }>;

/**
 * Activations (issue 11, part 1): the administrator's side (create, list, revoke; approve or refuse what
 * registered) and the service's side (RFC 7591 register, RFC 7592 read, update, delete), on the Store port.
 *
 * Creating the API user goes through UsersService, so its rules and events are the ones every API user gets;
 * it runs its own transaction, so a registration reserves its slot in one transaction, creates the user, then
 * records the registration in another; when creating the user fails, the slot is given back.
 */
export class ActivationsService {
  private readonly users: UsersService;
  private readonly secrets: SecretsService;
  private readonly keys: ClientKeysService;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly registrationEndpoint: RegistrationEndpointOf = () => Promise.resolve({ url: null, problem: null }),
  ) {
    this.users = new UsersService(deps);
    this.secrets = new SecretsService(deps);
    this.keys = new ClientKeysService(deps);
  }

  // --- the administrator's side ------------------------------------------------------------------------

  async list(actor: Actor): Promise<ActivationInfo[]> {
    await authorize(this.deps, actor, null, 'activation.created');
    const now = this.deps.clock.now();
    const out: ActivationInfo[] = [];
    for (const a of await listActivations(this.deps.store)) out.push(await this.info(this.deps.store, a, now));
    return out;
  }

  async create(actor: Actor, data: ParsedInputOf<'activations.create'>): Promise<ActivationCreated> {
    await authorize(this.deps, actor, 'users.manage', 'activation.created');
    const now = this.deps.clock.now();
    for (const [field, at] of Object.entries({ expiresAt: data.expiresAt, userExpiresAt: data.userExpiresAt })) {
      if (at !== undefined && at <= now) throw new ValidationError({ [field]: 'Must be in the future' });
    }
    const expiresAt = data.expiresAt ?? now + DEFAULT_ACTIVATION_DAYS * DAY_MS;
    if (data.userExpiresAt !== undefined && data.userExpiresAt <= expiresAt) {
      throw new ValidationError({ userExpiresAt: 'API users must expire after the activation code does, or they could expire before they register' });
    }
    // The template must be one users.createApiUser would accept, checked now rather than at each registration.
    const allowlist = canonicalAllowlist(data.allowlist);
    await assertAllowlistAllowed(this.deps.store, allowlist, 'allowlist');
    await assertIdsExist(this.deps.store, data.groupIds, data.mailboxIds);
    await assertGroupsAccept(this.deps.store, { name: data.name, kind: 'api' }, data.groupIds, (i) => `groupIds.${i}`);
    const template: StoredTemplate = {
      groupIds: data.groupIds,
      mailboxIds: data.mailboxIds,
      allowlist: allowlist.map((e) => e.entry),
      userExpiresAt: data.userExpiresAt ?? null,
      tokenLifetimeSeconds: data.tokenLifetimeSeconds ?? null,
    };
    const code = generateBearerCode('activation');
    const id = await this.deps.store.transaction(async (tx) => {
      if (await findActivationByName(tx, data.name)) {
        throw new ConflictError(`An activation named ${data.name} already exists`, { name: `${data.name} is already taken` });
      }
      const id = await insertActivation(tx, {
        name: data.name,
        codeHash: hashBearerCode('activation', code),
        template,
        maxRegistrations: data.maxRegistrations,
        requiresApproval: data.requiresApproval,
        expiresAt,
        createdAt: now,
        createdBy: actor.name,
      });
      await recordEvent(tx, this.deps, actor, {
        type: 'activation.created',
        // Names and numbers only: never the code, nor its hash.
        details: {
          activationId: id,
          name: data.name,
          groupIds: template.groupIds,
          mailboxIds: template.mailboxIds,
          allowlist: template.allowlist,
          maxRegistrations: data.maxRegistrations,
          requiresApproval: data.requiresApproval,
          expiresAt,
        },
      });
      return id;
    });
    const activation = await this.info(this.deps.store, (await findActivation(this.deps.store, id))!, now);
    return { activation, code, snippet: await this.snippet(code, activation.name, activation.expiresAt) };
  }

  async revoke(actor: Actor, { id }: ParsedInputOf<'activations.revoke'>): Promise<ActivationInfo> {
    await authorize(this.deps, actor, 'users.manage', 'activation.revoked');
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      const activation = await findActivation(tx, id);
      if (!activation) throw new NotFoundError(`Activation ${id}`);
      if (!(await revokeActivationRow(tx, id, now, actor.name))) throw new ConflictError(`The activation ${activation.name} is already revoked`);
      await recordEvent(tx, this.deps, actor, {
        type: 'activation.revoked',
        details: { activationId: id, name: activation.name, registrationsUsed: activation.registrationsUsed },
      });
    });
    return this.info(this.deps.store, (await findActivation(this.deps.store, id))!, now);
  }

  /** By name, for the CLI (`keyrack activations revoke NAME`). */
  async findByName(actor: Actor, name: string): Promise<ActivationInfo> {
    await authorize(this.deps, actor, null, 'activation.created');
    const activation = await findActivationByName(this.deps.store, name);
    if (!activation) throw new NotFoundError(`Activation ${name}`);
    return this.info(this.deps.store, activation, this.deps.clock.now());
  }

  async registrations(actor: Actor, filter: ParsedInputOf<'registrations.list'>): Promise<RegistrationInfo[]> {
    await authorize(this.deps, actor, null, 'registration.approved');
    return (await listRegistrations(this.deps.store, filter)).map(registrationInfo);
  }

  /** Waiting for an administrator; one whose API user was deleted meanwhile waits for nothing and is left out. */
  async pending(actor: Actor): Promise<RegistrationInfo[]> {
    return (await this.registrations(actor, { state: 'pending' })).filter((r) => r.userId !== null);
  }

  /** A registration by its client id or its API user's name, for the CLI (`keyrack activations approve CLIENT`). */
  async findRegistration(actor: Actor, clientOrName: string): Promise<RegistrationInfo> {
    await authorize(this.deps, actor, null, 'registration.approved');
    const byClient = await findRegistrationByClientId(this.deps.store, clientOrName);
    if (byClient) return registrationInfo(byClient);
    const user = await findUserByName(this.deps.store, clientOrName);
    const byUser = user && (await listRegistrations(this.deps.store, {})).find((r) => r.userId === user.id);
    if (!byUser) throw new NotFoundError(`Registration ${clientOrName}`);
    return registrationInfo(byUser);
  }

  async approve(actor: Actor, { id }: ParsedInputOf<'registrations.approve'>): Promise<RegistrationInfo> {
    await authorize(this.deps, actor, 'users.manage', 'registration.approved');
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      const r = await this.requirePending(tx, id);
      await updateRegistrationRow(tx, id, { state: 'active', decidedAt: now, decidedBy: actor.name, updatedAt: now });
      await recordEvent(tx, this.deps, actor, {
        type: 'registration.approved',
        target: r.userId !== null ? { id: r.userId, name: r.userName ?? r.clientId } : undefined,
        details: { registrationId: id, clientId: r.clientId, activationId: r.activationId, activation: r.activationName },
      });
    });
    return registrationInfo((await findRegistration(this.deps.store, id))!);
  }

  /** Refused: the API user is disabled (kept, so the log and its client id stay), its tokens stay refused. */
  async refuse(actor: Actor, { id }: ParsedInputOf<'registrations.refuse'>): Promise<RegistrationInfo> {
    await authorize(this.deps, actor, 'users.manage', 'registration.refused');
    const r = await this.requirePending(this.deps.store, id);
    // The user first, through UsersService in its own transaction: a refusal whose recording failed leaves
    // a disabled user still pending, and refusing again finishes it.
    if (r.userId !== null) await this.disableUser(actor, r.userId);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      await this.requirePending(tx, id);
      await updateRegistrationRow(tx, id, { state: 'refused', decidedAt: now, decidedBy: actor.name, updatedAt: now });
      await recordEvent(tx, this.deps, actor, {
        type: 'registration.refused',
        target: r.userId !== null ? { id: r.userId, name: r.userName ?? r.clientId } : undefined,
        details: { registrationId: id, clientId: r.clientId, activationId: r.activationId, activation: r.activationName },
      });
    });
    return registrationInfo((await findRegistration(this.deps.store, id))!);
  }

  // --- the service's side (RFC 7591 / 7592), called by the token server --------------------------------

  /**
   * RFC 7591 §3: a service registers with the activation code. Refusals are RegistrationRefused (the
   * endpoint answers and logs them); nothing is created unless everything is accepted.
   */
  async register(
    codeText: string | undefined,
    readMetadata: () => Promise<ClientMetadata>,
    where: RegistrationRequest,
  ): Promise<RegistrationAnswer> {
    const now = this.deps.clock.now();
    // The code first: a wrong one is refused as such, whatever the body holds (and the body is not read).
    const activation = await this.activationOfCode(codeText, now);
    const metadata = await readMetadata();
    const template = activation.template;
    const allowed = await describeTemplate(this.deps.store, template);
    const scope = checkScope(metadata.scope, allowed.scopes);
    const keys = await readJwks(metadata);
    const actor: Actor = { kind: 'system', name: `activation:${activation.name}` };
    const wanted = metadata.clientName ?? activation.name;

    // 1. The slot, in a transaction of its own: two services racing for the last one cannot both get it.
    const reserved = await this.deps.store.transaction((tx) => reserveRegistrationSlot(tx, activation.id, now));
    if (!reserved) throw refusedCode(await this.reasonRefused(activation.id, now), activation);

    // 2. The API user, through the users service (outside any store transaction), from the template.
    let created: { userId: number; userName: string; clientId: string; secret: string | null } | undefined;
    try {
      created = await this.createUser(actor, wanted, template, metadata.authMethod, keys);
      // 3. The registration, and who made it.
      const accessToken = generateBearerCode('registration');
      const stored: RegistrationMetadata = {
        clientName: wanted,
        scope,
        contacts: metadata.contacts,
        softwareId: metadata.softwareId,
        softwareVersion: metadata.softwareVersion,
        kids: keys.map((k) => k.kid),
      };
      const state = activation.requiresApproval ? 'pending' : 'active';
      const user = created;
      await this.deps.store.transaction(async (tx) => {
        const registrationId = await insertRegistration(tx, {
          activationId: activation.id,
          userId: user.userId,
          clientId: user.clientId,
          state,
          authMethod: metadata.authMethod,
          metadata: stored,
          accessTokenHash: hashBearerCode('registration', accessToken),
          sourceIp: where.sourceIp,
          registeredAt: now,
        });
        await recordEvent(tx, this.deps, actor, {
          type: 'registration.created',
          target: { id: user.userId, name: user.userName },
          sourceIp: where.sourceIp,
          details: {
            registrationId,
            activationId: activation.id,
            activation: activation.name,
            clientId: user.clientId,
            clientName: wanted,
            method: metadata.authMethod,
            scope: scope?.join(' ') ?? null,
            kids: stored.kids,
            softwareId: metadata.softwareId,
            softwareVersion: metadata.softwareVersion,
            state,
          },
        });
      });
      const record = (await findRegistrationByClientId(this.deps.store, user.clientId))!;
      return {
        status: 201,
        body: this.responseBody(record, allowed.scopes, where.issuer, accessToken, user.secret, keys),
      };
    } catch (error) {
      // Given back, and the half-made user removed: a failed registration leaves nothing behind.
      if (created) await this.removeUser(actor, created.userId);
      await this.deps.store.transaction((tx) => releaseRegistrationSlot(tx, activation.id));
      throw error;
    }
  }

  /** RFC 7592 §2.1: the registration as it stands. */
  async readRegistration(clientId: string, tokenText: string | undefined, where: RegistrationRequest): Promise<RegistrationAnswer> {
    const r = await this.registrationOfToken(clientId, tokenText);
    // RFC 7592 §2.3: once deregistered, the registration access token manages nothing.
    if (r.state === 'deregistered') {
      throw new RegistrationRefused('invalid_token', 'registration_ended', 'This registration has ended', { clientId });
    }
    const activation = (await findActivation(this.deps.store, r.activationId))!;
    const allowed = await describeTemplate(this.deps.store, activation.template);
    const keys = r.userId === null ? [] : await liveKeysOf(this.deps, r.userId, r.metadata.kids);
    return { status: 200, body: this.responseBody(r, allowed.scopes, where.issuer, tokenText!, null, keys) };
  }

  /**
   * RFC 7592 §2.2: new metadata, within the template. A secret-based client gets a new client_secret and
   * its previous one ends at once (§2.2: the client MUST discard it); a key-based one gets the keys of the
   * new `jwks`, and those no longer listed are revoked. The method itself cannot change.
   */
  async updateRegistration(
    clientId: string,
    tokenText: string | undefined,
    readMetadata: () => Promise<ClientMetadata>,
    where: RegistrationRequest,
  ): Promise<RegistrationAnswer> {
    const r = await this.registrationOfToken(clientId, tokenText);
    if (r.state === 'refused' || r.state === 'deregistered' || r.userId === null) {
      throw new RegistrationRefused('invalid_token', 'registration_ended', 'This registration has ended', { clientId });
    }
    const metadata = await readMetadata();
    const userId = r.userId;
    if (metadata.authMethod !== r.authMethod) {
      throw new RegistrationRefused(
        'invalid_client_metadata',
        'auth_method_changed',
        `token_endpoint_auth_method cannot change (registered as ${r.authMethod}); register again with a new activation code`,
        { clientId },
      );
    }
    const activation = (await findActivation(this.deps.store, r.activationId))!;
    const allowed = await describeTemplate(this.deps.store, activation.template);
    const scope = checkScope(metadata.scope, allowed.scopes);
    const keys = await readJwks(metadata);
    const actor: Actor = { kind: 'system', name: `activation:${activation.name}` };
    const now = this.deps.clock.now();

    let secret: string | null = null;
    if (isSecretMethod(r.authMethod)) {
      const live = await listLiveSecretsOfUser(this.deps.store, userId, now);
      const fresh = live[0]
        ? await this.secrets.rotate(actor, { userId, secretId: live[0].id, graceUntil: now })
        : await this.secrets.add(actor, { userId, label: 'Registered secret' });
      for (const other of live.slice(1)) await this.secrets.revoke(actor, { userId, secretId: other.id });
      secret = fresh.secret;
    } else {
      // Checked before anything changes, so that no add below can fail half-way: a kid or a key once used
      // (even revoked) is not taken again (ClientKeysService's rule), and removing first keeps within the
      // limit of live keys (jwks holds at most as many).
      const all = await listClientKeysOfUser(this.deps.store, userId);
      const live = all.filter((k) => k.revokedAt === null);
      const added = keys.filter((key) => !live.some((k) => k.kid === key.kid));
      for (const key of added) {
        if (all.some((k) => k.kid === key.kid)) {
          throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', `jwks: the key id ${key.kid} was used before; give the new key a new kid`);
        }
        if (all.some((k) => sameKey(k.publicJwk, key.publicJwk))) {
          throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', `jwks: the key ${key.kid} is already registered under another kid`);
        }
      }
      for (const old of live) {
        if (!keys.some((k) => k.kid === old.kid)) await this.keys.revoke(actor, { userId, kid: old.kid });
      }
      for (const key of added) {
        await this.keys.add(actor, { userId, key: JSON.stringify(key.publicJwk), label: `Registered key ${key.kid}`.slice(0, 64) });
      }
    }
    const stored: RegistrationMetadata = {
      clientName: metadata.clientName ?? r.metadata.clientName,
      scope,
      contacts: metadata.contacts,
      softwareId: metadata.softwareId,
      softwareVersion: metadata.softwareVersion,
      kids: keys.map((k) => k.kid),
    };
    await this.deps.store.transaction(async (tx) => {
      await updateRegistrationRow(tx, r.id, { metadata: stored, updatedAt: now });
      await recordEvent(tx, this.deps, actor, {
        type: 'registration.updated',
        target: { id: userId, name: r.userName ?? clientId },
        sourceIp: where.sourceIp,
        details: {
          registrationId: r.id,
          clientId,
          clientName: stored.clientName,
          scope: scope?.join(' ') ?? null,
          kids: stored.kids,
          secretRotated: secret !== null,
          softwareId: stored.softwareId,
          softwareVersion: stored.softwareVersion,
        },
      });
    });
    const record = (await findRegistration(this.deps.store, r.id))!;
    return { status: 200, body: this.responseBody(record, allowed.scopes, where.issuer, tokenText!, secret, keys) };
  }

  /** RFC 7592 §2.3: the service leaves; its API user is disabled (kept for the log), its tokens refused. */
  async deregister(clientId: string, tokenText: string | undefined, where: RegistrationRequest): Promise<void> {
    const r = await this.registrationOfToken(clientId, tokenText);
    if (r.state === 'deregistered') {
      throw new RegistrationRefused('invalid_token', 'registration_ended', 'This registration has ended', { clientId });
    }
    const actor: Actor = { kind: 'system', name: `activation:${r.activationName}` };
    if (r.userId !== null) await this.disableUser(actor, r.userId);
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (tx) => {
      await updateRegistrationRow(tx, r.id, { state: 'deregistered', updatedAt: now });
      await recordEvent(tx, this.deps, actor, {
        type: 'registration.deleted',
        target: r.userId !== null ? { id: r.userId, name: r.userName ?? clientId } : undefined,
        sourceIp: where.sourceIp,
        details: { registrationId: r.id, clientId, activationId: r.activationId, activation: r.activationName },
      });
    });
  }

  // --- helpers ----------------------------------------------------------------------------------------

  private async activationOfCode(codeText: string | undefined, now: number): Promise<ActivationRecord> {
    if (codeText === undefined || !looksLikeBearerCode('activation', codeText)) {
      throw new RegistrationRefused('invalid_token', codeText === undefined ? 'no_code' : 'unknown_code', CODE_REFUSED);
    }
    const activation = await findActivationByCodeHash(this.deps.store, hashBearerCode('activation', codeText));
    if (!activation) throw new RegistrationRefused('invalid_token', 'unknown_code', CODE_REFUSED);
    const status = activationStatus(activation, now);
    if (status !== 'active') throw refusedCode(status, activation);
    return activation;
  }

  /** Why a slot could not be had a moment after the code was accepted (another registration took the last). */
  private async reasonRefused(id: number, now: number): Promise<Exclude<ActivationStatus, 'active'>> {
    const status = activationStatus((await findActivation(this.deps.store, id))!, now);
    return status === 'active' ? 'used_up' : status;
  }

  private async registrationOfToken(clientId: string, tokenText: string | undefined): Promise<RegistrationRecord> {
    if (tokenText === undefined || !looksLikeBearerCode('registration', tokenText)) {
      throw new RegistrationRefused('invalid_token', 'invalid_registration_token', TOKEN_REFUSED, { clientId: clientId.slice(0, 80) });
    }
    const r = await findRegistrationByClientId(this.deps.store, clientId);
    // The same answer for an unknown client id and a wrong token: the URI tells nobody which clients exist.
    if (!r || r.accessTokenHash !== hashBearerCode('registration', tokenText)) {
      throw new RegistrationRefused('invalid_token', 'invalid_registration_token', TOKEN_REFUSED, { clientId: clientId.slice(0, 80) });
    }
    return r;
  }

  private async requirePending(q: Queryable, id: number): Promise<RegistrationRecord> {
    const r = await findRegistration(q, id);
    if (!r) throw new NotFoundError(`Registration ${id}`);
    if (r.state !== 'pending') throw new ConflictError(`The registration of ${r.userName ?? r.clientId} is ${r.state}, not pending`);
    if (r.userId === null) throw new ConflictError(`The API user of ${r.clientId} was deleted; there is nothing to approve or refuse`);
    return r;
  }

  private async createUser(
    actor: Actor,
    wanted: string,
    template: StoredTemplate,
    method: RegistrationAuthMethod,
    keys: readonly ReadClientKey[],
  ): Promise<{ userId: number; userName: string; clientId: string; secret: string | null }> {
    const name = await this.freeName(wanted);
    const created = await this.users.createApiUser(actor, {
      name,
      description: `Registered through an activation (${actor.name.slice('activation:'.length)})`,
      groupIds: template.groupIds,
      mailboxIds: template.mailboxIds,
      allowlist: template.allowlist,
      expiresAt: template.userExpiresAt ?? undefined,
      secretLabel: 'Registered secret',
    });
    const userId = created.user.id;
    try {
      if (template.tokenLifetimeSeconds !== null) {
        await this.users.update(actor, { id: userId, tokenLifetimeSeconds: template.tokenLifetimeSeconds });
      }
      if (method === 'private_key_jwt') {
        for (const key of keys) {
          await this.keys.add(actor, { userId, key: JSON.stringify(key.publicJwk), label: `Registered key ${key.kid}`.slice(0, 64) });
        }
        // Key credentials only: the secret the users service always makes ends at once, never handed out.
        await this.secrets.revoke(actor, { userId, secretId: created.secretInfo.id });
      }
    } catch (error) {
      await this.removeUser(actor, userId);
      throw error;
    }
    return { userId, userName: name, clientId: created.clientId, secret: method === 'private_key_jwt' ? null : created.secret };
  }

  private async removeUser(actor: Actor, userId: number): Promise<void> {
    try {
      await this.users.delete(actor, { id: userId });
    } catch {
      // Already gone; nothing more to undo.
    }
  }

  private async disableUser(actor: Actor, userId: number): Promise<void> {
    try {
      await this.users.disable(actor, { id: userId });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** The service's name, or with a number after it when an account of that name exists. */
  private async freeName(wanted: string): Promise<string> {
    for (let n = 1; n < 1000; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const candidate = `${wanted.slice(0, 64 - suffix.length)}${suffix}`;
      if (!(await findUserByName(this.deps.store, candidate))) return candidate;
    }
    throw new RegistrationRefused('invalid_client_metadata', 'name_taken', 'client_name: choose another name');
  }

  private async info(q: Queryable, a: ActivationRecord, now: number): Promise<ActivationInfo> {
    const described = await describeTemplate(q, a.template);
    return {
      id: a.id,
      name: a.name,
      status: activationStatus(a, now),
      template: {
        groups: described.groups,
        mailboxes: described.mailboxes,
        allowlist: a.template.allowlist,
        userExpiresAt: a.template.userExpiresAt,
        tokenLifetimeSeconds: a.template.tokenLifetimeSeconds,
        scopes: described.scopes,
        filters: described.filters,
      },
      maxRegistrations: a.maxRegistrations,
      registrationsUsed: a.registrationsUsed,
      requiresApproval: a.requiresApproval,
      expiresAt: a.expiresAt,
      createdAt: a.createdAt,
      createdBy: a.createdBy,
      revokedAt: a.revokedAt,
      revokedBy: a.revokedBy,
    };
  }

  private async snippet(code: string, name: string, expiresAt: number): Promise<ActivationSnippet> {
    const { url, problem } = await this.registrationEndpoint();
    if (url === null) return { registrationUrl: null, curl: null, json: null, env: null, problem };
    const curl = [
      `curl -sS -X POST '${url}' \\`,
      `  -H 'Authorization: Bearer ${code}' \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -d '{"client_name":"Your service","token_endpoint_auth_method":"client_secret_basic"}'`,
    ].join('\n');
    const expires = new Date(expiresAt).toISOString();
    const json = `${JSON.stringify({ registration_endpoint: url, initial_access_token: code, expires_at: expires }, null, 2)}\n`;
    // The credential files' .env conventions (envValue quotes what needs it); the name only in the comment.
    const env = [
      `# Keyrack activation code "${name.replace(/[\r\n]+/g, ' ')}": register once with it (RFC 7591, POST with Authorization: Bearer).`,
      '# Keep this file private until the service has registered: whoever holds the code can register.',
      `KEYRACK_REGISTRATION_ENDPOINT=${envValue(url)}`,
      `KEYRACK_ACTIVATION_CODE=${envValue(code)}`,
      `KEYRACK_ACTIVATION_EXPIRES_AT=${envValue(expires)}`,
      '',
    ].join('\n');
    return { registrationUrl: url, curl, json, env, problem: null };
  }

  /** RFC 7591 §3.2.1 (and RFC 7592 §3): the client information response. Times in seconds. */
  private responseBody(
    r: RegistrationRecord,
    templateScopes: readonly string[],
    issuer: string,
    accessToken: string,
    secret: string | null,
    keys: readonly { publicJwk: Record<string, unknown> }[],
  ): Record<string, unknown> {
    const m = r.metadata;
    const body: Record<string, unknown> = {
      client_id: r.clientId,
      ...(secret !== null ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      client_id_issued_at: Math.floor(r.registeredAt / 1000),
      registration_access_token: accessToken,
      registration_client_uri: registrationClientUri(issuer, r.clientId),
      client_name: m.clientName,
      token_endpoint_auth_method: r.authMethod,
      grant_types: ['client_credentials'],
      response_types: [],
      scope: (m.scope ?? templateScopes).join(' '),
    };
    if (isSecretMethod(r.authMethod) && secret === null) body.client_secret_expires_at = 0;
    if (m.contacts.length > 0) body.contacts = m.contacts;
    if (m.softwareId !== null) body.software_id = m.softwareId;
    if (m.softwareVersion !== null) body.software_version = m.softwareVersion;
    if (r.authMethod === 'private_key_jwt') body.jwks = { keys: keys.map((k) => k.publicJwk) };
    return body;
  }
}

/** Where RFC 7592 reads, updates and deletes a registration. */
export const REGISTRATION_PATH = '/oauth2/register';
export const registrationClientUri = (issuer: string, clientId: string): string =>
  new URL(`${REGISTRATION_PATH}/${encodeURIComponent(clientId)}`, issuer).href;

const CODE_REFUSED = 'The activation code is not valid: it is unknown, expired, used up or revoked';
const TOKEN_REFUSED = 'The registration access token is not valid for this client';

/** What the service says when it refuses a registration request; the endpoint turns it into an RFC answer. */
export class RegistrationRefused extends Error {
  constructor(
    /** RFC 6750 §3.1 invalid_token (401), or RFC 7591 §3.2.2 invalid_client_metadata (400). */
    readonly code: 'invalid_token' | 'invalid_client_metadata',
    /** Log only: unknown_code, activation_expired, … */
    readonly reason: string,
    /** The public error_description. */
    readonly description: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(description);
  }
}

function refusedCode(status: Exclude<ActivationStatus, 'active'>, activation: ActivationRecord): RegistrationRefused {
  return new RegistrationRefused('invalid_token', `activation_${status}`, CODE_REFUSED, { activationId: activation.id, activation: activation.name });
}

/** The parsed RFC 7591 §2 client metadata a registration or an update sends (endpoints/register.ts reads it). */
export interface ClientMetadata {
  clientName: string | null;
  authMethod: RegistrationAuthMethod;
  /** The public keys of `jwks` (private_key_jwt), each a JWK object as sent. */
  jwks: Record<string, unknown>[] | null;
  /** null: not asked (everything the template gives). */
  scope: string[] | null;
  contacts: string[];
  softwareId: string | null;
  softwareVersion: string | null;
}

export interface RegistrationRequest {
  sourceIp: string;
  /** The server's issuer, for registration_client_uri. */
  issuer: string;
}

export interface RegistrationAnswer {
  status: 200 | 201;
  body: Record<string, unknown>;
}

export function activationStatus(a: Pick<ActivationRecord, 'revokedAt' | 'expiresAt' | 'registrationsUsed' | 'maxRegistrations'>, now: number): ActivationStatus {
  if (a.revokedAt !== null) return 'revoked';
  if (hasExpired(a.expiresAt, now)) return 'expired';
  return a.registrationsUsed >= a.maxRegistrations ? 'used_up' : 'active';
}

const isSecretMethod = (m: RegistrationAuthMethod) => m === 'client_secret_basic' || m === 'client_secret_post';

/** A subset of the template's scopes, or refused naming those it is not (RFC 7591 §3.2.2). */
function checkScope(asked: string[] | null, allowed: readonly string[]): string[] | null {
  if (asked === null) return null;
  const allowedSet = new Set(allowed);
  const wider = asked.filter((s) => !allowedSet.has(s));
  if (wider.length > 0) {
    throw new RegistrationRefused(
      'invalid_client_metadata',
      'invalid_client_metadata',
      `scope asks for more than this activation allows: ${wider.slice(0, 10).join(' ').slice(0, 300)}`,
      { wider: wider.slice(0, 20) },
    );
  }
  return [...new Set(asked)].sort();
}

/** The keys of `jwks`, each read and checked as a key added in the app (ES256, RS256 ≥ 2048 bit, EdDSA; public only). */
async function readJwks(metadata: ClientMetadata): Promise<ReadClientKey[]> {
  if (metadata.authMethod !== 'private_key_jwt') {
    if (metadata.jwks !== null) {
      throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', 'jwks is only for token_endpoint_auth_method private_key_jwt');
    }
    return [];
  }
  if (metadata.jwks === null || metadata.jwks.length === 0) {
    throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', 'private_key_jwt needs jwks with at least one public key');
  }
  if (metadata.jwks.length > 5) {
    throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', 'jwks may hold at most 5 keys');
  }
  const read: ReadClientKey[] = [];
  for (const [i, jwk] of metadata.jwks.entries()) {
    let key: ReadClientKey;
    try {
      key = await readClientKey(JSON.stringify(jwk));
    } catch (error) {
      if (error instanceof ClientKeyProblem) {
        throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', `jwks key ${i + 1}: ${error.message}`);
      }
      throw error;
    }
    if (read.some((k) => k.kid === key.kid)) {
      throw new RegistrationRefused('invalid_client_metadata', 'invalid_client_metadata', `jwks lists the key id ${key.kid} twice`);
    }
    read.push(key);
  }
  return read;
}

async function liveKeysOf(deps: ServiceDeps, userId: number, kids: readonly string[]): Promise<{ publicJwk: Record<string, unknown> }[]> {
  return (await listClientKeysOfUser(deps.store, userId)).filter((k) => k.revokedAt === null && kids.includes(k.kid));
}

function registrationInfo(r: RegistrationRecord): RegistrationInfo {
  return {
    id: r.id,
    activationId: r.activationId,
    activationName: r.activationName,
    userId: r.userId,
    userName: r.userName,
    clientId: r.clientId,
    clientName: r.metadata.clientName,
    state: r.state,
    authMethod: r.authMethod,
    scope: r.metadata.scope,
    contacts: r.metadata.contacts,
    softwareId: r.metadata.softwareId,
    softwareVersion: r.metadata.softwareVersion,
    sourceIp: r.sourceIp,
    registeredAt: r.registeredAt,
    updatedAt: r.updatedAt,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
  };
}

/** Whether a client_name can be an account name (the same rules as the users form's). */
export function clientNameProblem(name: string): string | null {
  const parsed = userNameSchema.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'client_name is not a valid name');
}
