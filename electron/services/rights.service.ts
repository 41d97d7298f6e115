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
import { recordEventOnDb } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** The rights catalogue: the resources, actions and record filters the office's LAN APIs understand. */
export class RightsService {
  constructor(private readonly deps: ServiceDeps) {}

  list(actor: Actor): ResourceInfo[] {
    authorize(this.deps, actor, null, 'rights.resource_updated');
    return listResources(this.deps.db);
  }

  addResource(actor: Actor, data: ParsedInputOf<'rights.addResource'>): ResourceInfo {
    authorize(this.deps, actor, 'groups.manage', 'rights.resource_added');
    const id = this.deps.db.transaction(() => {
      if (findResourceByName(this.deps.db, data.name)) {
        throw new ConflictError(`The resource ${data.name} already exists`, { name: `${data.name} already exists` });
      }
      const id = insertResource(this.deps.db, data.name, data.description);
      setResourceActions(this.deps.db, id, data.actions);
      setResourceFilters(this.deps.db, id, data.filters);
      recordEventOnDb(this.deps, actor, {
        type: 'rights.resource_added',
        details: { resource: data.name, actions: data.actions, filters: data.filters.map((f) => f.name) },
      });
      return id;
    }).immediate();
    return findResource(this.deps.db, id)!;
  }

  /** Removing an action or filter also takes it away from every group that had it. */
  updateResource(actor: Actor, data: ParsedInputOf<'rights.updateResource'>): ResourceInfo {
    authorize(this.deps, actor, 'groups.manage', 'rights.resource_updated');
    const resource = this.requireEditable(data.id);
    this.deps.db.transaction(() => {
      if (data.description !== undefined) updateResourceDescription(this.deps.db, resource.id, data.description);
      if (data.actions) setResourceActions(this.deps.db, resource.id, data.actions);
      if (data.filters) setResourceFilters(this.deps.db, resource.id, data.filters);
      recordEventOnDb(this.deps, actor, {
        type: 'rights.resource_updated',
        details: {
          resource: resource.name,
          ...(data.actions ? { actions: data.actions } : {}),
          ...(data.filters ? { filters: data.filters.map((f) => f.name) } : {}),
        },
      });
    }).immediate();
    return findResource(this.deps.db, resource.id)!;
  }

  removeResource(actor: Actor, { id }: ParsedInputOf<'rights.removeResource'>): null {
    authorize(this.deps, actor, 'groups.manage', 'rights.resource_removed');
    const resource = this.requireEditable(id);
    this.deps.db.transaction(() => {
      deleteResource(this.deps.db, id);
      recordEventOnDb(this.deps, actor, { type: 'rights.resource_removed', details: { resource: resource.name } });
    }).immediate();
    return null;
  }

  private requireEditable(id: number): ResourceInfo {
    const resource = findResource(this.deps.db, id);
    if (!resource) throw new NotFoundError(`Resource ${id}`);
    if (resource.builtin) throw new ConflictError(`${resource.name} is built in and cannot be changed`);
    return resource;
  }
}
