import { APP_PERMISSIONS, type AppPermission } from '../../../shared/domain.js';

/**
 * The app permissions in the order the group form lists them. What each lets a person do is in the groups
 * catalogue's `appPermission` (label and description), reached by a typed key, so a new permission in
 * shared/domain.ts fails to compile in GroupForm until it is explained there.
 */
export const APP_PERMISSION_ORDER: readonly AppPermission[] = APP_PERMISSIONS;
