/** Groups: the list, the editor (app permissions and the API rights matrix), members. */
export const groups = {
  builtIn: 'built in',
  appPermission: {
    users: {
      manage: {
        label: 'Manage users',
        description: 'Create people and API users, change them, disable or delete them, and add, rotate or revoke secrets.',
      },
    },
    groups: {
      manage: {
        label: 'Manage groups and rights',
        description: 'Create and change groups, their members and rights, and edit the rights catalogue.',
      },
    },
    mailboxes: {
      manage: {
        label: 'Manage mailboxes',
        description: 'Create, change and delete mailboxes, and choose which API users may send from them.',
      },
    },
    log: {
      view: {
        label: 'View the log',
        description: 'Read and export the log of everything that happened, including token requests.',
      },
    },
    server: {
      manage: {
        label: 'Run the token server',
        description:
          'Start and stop the token server, change its port, LAN access and token lifetime, rotate keys, and set how long the log keeps events.',
      },
    },
  },
  list: {
    title: 'Groups',
    description: 'Groups give people app permissions and API users API rights. A user holds what all their groups give.',
    new: 'New group',
    hintTitle: 'Only the built-in group so far',
    hint: 'API users get their rights only through groups. Make one per kind of integration (say “CRM sync”), grant it rights on your APIs, then put API users in it. The rights come from the <rights>rights catalogue</rights>: describe your APIs there first.',
    makeFirst: 'Make the first group',
    empty: 'No groups you can see',
    column: { name: 'Name', description: 'Description', members: 'Members' },
  },
  editor: {
    newTitle: 'New group',
    newDescription: 'Name the group, then choose what people and API users in it may do.',
    back: 'Back to groups',
    create: 'Create group',
    created: 'Group {{name}} created',
    save: 'Save group',
    saved: 'Group {{name}} saved',
    deleted: 'Group {{name}} deleted',
    deleteFailed: 'The group was not deleted',
    members_one: '{{count}} member',
    members_other: '{{count}} members',
    deleteTitle: 'Delete the group {{name}}?',
    deleteEmpty: 'The group has no members. Deleting it cannot be undone.',
    deleteMembers_one: 'Its {{count}} member ({{names}}) loses the rights and app permissions it gives. This cannot be undone.',
    deleteMembers_other: 'Its {{count}} members ({{names}}) lose the rights and app permissions it gives. This cannot be undone.',
    delete: 'Delete group',
    readOnly: 'You can see this group but not change it (that needs the permission to manage groups).',
    membersTitle: 'Members',
    loadFailed: 'Could not load',
  },
  form: {
    group: 'Group',
    name: 'Name',
    builtInName: 'The built-in group keeps its name.',
    description: 'Description',
    appPermissions: 'App permissions (for people in this group)',
    builtInPermissions: 'The built-in group always holds every app permission.',
    apiRights: 'API rights (for API users in this group)',
    nothingTitle: 'Nothing of yours to grant yet',
    nothing: 'The rights catalogue only describes Keyrack itself. Add your LAN APIs there (each with its actions), then come back to grant them.',
    openCatalogue: 'Open the rights catalogue',
    scopes: 'Scopes in tokens',
    scopesExplain: 'A scope is one right as an access token names it, resource:action; the API reads it to decide what the caller may do.',
    noScopes: 'None: API users get no API rights from this group.',
  },
  matrix: {
    empty: 'The rights catalogue is empty: add resources on the Rights catalogue page first.',
    leastPrivilege: 'Grant write and delete only where the integration needs them; read is enough for most.',
    label: 'API rights',
    resource: 'Resource',
    all: 'All',
    filters: 'Record filters',
    noDescription: 'No description',
    everyAction: '{{resource}}: every action',
    noneDefined: 'none defined',
    filterOf: '{{resource}}: filter {{filter}}',
  },
} as const;
