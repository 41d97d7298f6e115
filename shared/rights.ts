/**
 * What a set of groups gives an API user, computed the same way for its tokens (electron/repos/groups.repo.ts
 * effectiveRightsOfUser, read by the token server and users.effectiveRights) and for the new-API-user form's
 * preview, so what the form promises is what the token carries.
 *
 * Scopes are the union of the groups' rights. A record filter narrows what a right on its resource shows, so
 * it travels only for a resource the user holds a right on: a group that sets `published_only` on
 * `addresses` without granting anything there says nothing about a user who has no `addresses` right, and
 * putting it in that user's token would tell resource servers (and anyone reading the token) about a
 * resource the user was never given.
 */
export interface EffectiveRightsParts {
  scopes: string[];
  filters: Record<string, string[]>;
}

export function combineRights(
  rights: Iterable<{ resource: string; action: string }>,
  filters: Iterable<{ resource: string; name: string }>,
): EffectiveRightsParts {
  const scopes = new Set<string>();
  const granted = new Set<string>();
  for (const r of rights) {
    scopes.add(`${r.resource}:${r.action}`);
    granted.add(r.resource);
  }
  const byResource = new Map<string, Set<string>>();
  for (const f of filters) {
    if (!granted.has(f.resource)) continue;
    let names = byResource.get(f.resource);
    if (!names) byResource.set(f.resource, (names = new Set()));
    names.add(f.name);
  }
  const out: Record<string, string[]> = {};
  for (const resource of [...byResource.keys()].sort()) out[resource] = [...byResource.get(resource)!].sort();
  return { scopes: [...scopes].sort(), filters: out };
}
