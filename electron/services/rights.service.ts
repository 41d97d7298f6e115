import type { ParsedInputOf } from '../../shared/contract.js';
import type { ResourceInfo } from '../../shared/dto.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import {
  deleteResource,
  findResource,
  findResourceByName,
  insertResource,
  listResources,
  setResourceActions,
  setResourceFilters,
  updateResourceDescription,
} from '../repos/rights.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/**
 * The rights catalogue: the resources, actions and record filters the office's LAN APIs understand. On the
 * Store port (issue 10); authorize runs before a transaction opens.
 */
export class RightsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor): Promise<ResourceInfo[]> {
    await authorize(this.deps, actor, null, 'rights.resource_updated');
    return listResources(this.deps.store);
  }

  async addResource(actor: Actor, data: ParsedInputOf<'rights.addResource'>): Promise<ResourceInfo> {
    await authorize(this.deps, actor, 'groups.manage', 'rights.resource_added');
    const id = await this.deps.store.transaction(async (tx) => {
      if (await findResourceByName(tx, data.name)) {
        throw new ConflictError(`The resource ${data.name} already exists`, { name: `${data.name} already exists` });
      }
      const id = await insertResource(tx, data.name, data.description);
      await setResourceActions(tx, id, data.actions);
      await setResourceFilters(tx, id, data.filters);
      await recordEvent(tx, this.deps, actor, {
        type: 'rights.resource_added',
        details: { resource: data.name, actions: data.actions, filters: data.filters.map((f) => f.name) },
      });
      return id;
    });
    return (await findResource(this.deps.store, id))!;
  }

  /** Removing an action or filter also takes it away from every group that had it. */
  async updateResource(actor: Actor, data: ParsedInputOf<'rights.updateResource'>): Promise<ResourceInfo> {
    await authorize(this.deps, actor, 'groups.manage', 'rights.resource_updated');
    const resource = await this.requireEditable(data.id);
    await this.deps.store.transaction(async (tx) => {
      if (data.description !== undefined) await updateResourceDescription(tx, resource.id, data.description);
      if (data.actions) await setResourceActions(tx, resource.id, data.actions);
      if (data.filters) await setResourceFilters(tx, resource.id, data.filters);
      await recordEvent(tx, this.deps, actor, {
        type: 'rights.resource_updated',
        details: {
          resource: resource.name,
          ...(data.actions ? { actions: data.actions } : {}),
          ...(data.filters ? { filters: data.filters.map((f) => f.name) } : {}),
        },
      });
    });
    return (await findResource(this.deps.store, resource.id))!;
  }

  async removeResource(actor: Actor, { id }: ParsedInputOf<'rights.removeResource'>): Promise<null> {
    await authorize(this.deps, actor, 'groups.manage', 'rights.resource_removed');
    const resource = await this.requireEditable(id);
    await this.deps.store.transaction(async (tx) => {
      await deleteResource(tx, id);
      await recordEvent(tx, this.deps, actor, { type: 'rights.resource_removed', details: { resource: resource.name } });
    });
    return null;
  }

  private async requireEditable(id: number): Promise<ResourceInfo> {
    const resource = await findResource(this.deps.store, id);
    if (!resource) throw new NotFoundError(`Resource ${id}`);
    if (resource.builtin) throw new ConflictError(`${resource.name} is built in and cannot be changed`);
    return resource;
  }
}
