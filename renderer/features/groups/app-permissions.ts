import { APP_PERMISSIONS, type AppPermission } from '../../../shared/domain.js';

/**
 * What each app permission lets a person in the group do, in plain words. A Record over AppPermission,
 * so a new permission in shared/domain.ts fails to compile here until it is explained.
 */
export const APP_PERMISSION_TEXT: Record<AppPermission, { label: string; description: string }> = {
  'users.manage': {
    label: 'Manage users',
    description: 'Create people and API users, change them, disable or delete them, and add, rotate or revoke secrets.',
  },
  'groups.manage': {
    label: 'Manage groups and rights',
    description: 'Create and change groups, their members and rights, and edit the rights catalogue.',
  },
  'mailboxes.manage': {
    label: 'Manage mailboxes',
    description: 'Create, change and delete mailboxes, and choose which API users may send from them.',
  },
  'log.view': {
    label: 'View the log',
    description: 'Read and export the log of everything that happened, including token requests.',
  },
  'server.manage': {
    label: 'Run the token server',
    description: 'Start and stop the token server, change its port, LAN access and token lifetime, rotate keys, and set how long the log keeps events.',
  },
};

export const APP_PERMISSION_ORDER: readonly AppPermission[] = APP_PERMISSIONS;
