/** Words every feature uses: buttons, states, the shared form parts, errors. */
export const common = {
  cancel: 'Cancel',
  save: 'Save',
  close: 'Close',
  /** The × of a dialog or drawer, and of a notification (Mantine leaves them nameless). */
  closeDialog: 'Close dialog',
  closeNotification: 'Close notification',
  tryAgain: 'Try again',
  loading: 'Loading',
  never: 'Never',
  none: 'None',
  searching: 'Searching…',
  status: {
    active: 'Active',
    disabled: 'Disabled',
    expired: 'Expired',
    expiresSoon: 'Expires soon',
    expiresAt: 'Expires {{time}}',
  },
  allowlist: {
    label: 'IP allowlist',
    description: 'Addresses (192.0.2.10, 2001:db8::1), ranges (10.0.0.0/8) or a provider word. Empty: any address may use it.',
    // The same without "Empty: …", before the office's rule when the rule says it cannot be empty.
    entries: 'Addresses (192.0.2.10, 2001:db8::1), ranges (10.0.0.0/8) or a provider word.',
    placeholder: 'Type an entry and press Enter',
    providerRange: 'provider range',
  },
  secretExpiry: {
    preset: { '30': '30 days', '90': '90 days', '365': '1 year', date: 'Date…', never: 'Never' },
    expiresOn: 'Expires on',
    pickDay: 'Pick a day',
    stopsAt: 'Stops working at the end of {{day}}.',
    neverTitle: 'A secret that never expires',
    neverWarning: 'If it leaks, it works until someone revokes it. Prefer an expiry and rotate the secret before it ends.',
  },
  builtInDescription: {
    administrators: 'Full control of Keyrack. Cannot lose its last active member.',
    // Its one action is an OAuth word, shown as stored in the catalogue: said here where it stands.
    keyrack: 'Keyrack itself. introspect: a service may ask Keyrack whether a token is still valid.',
  },
  pageError: {
    title: 'This page could not be shown',
    hint: 'Reloading fetches the page again (after an update, its new version).',
    reload: 'Reload',
  },
  // mantine-datatable's own words, which it has only in English.
  table: {
    recordsPerPage: 'Records per page',
    previousPage: 'Previous page',
    nextPage: 'Next page',
    sortedAscending: 'Sorted ascending',
    sortedDescending: 'Sorted descending',
    notSorted: 'Not sorted',
  },
  errors: {
    title: 'That did not work',
    unexpected: 'Something unexpected went wrong. Try again, and if it keeps happening, check the log.',
    retryAt: 'Too many attempts. Try again after {{time}}.',
    // Shown in a language other than English when the core's message is not one the renderer knows.
    code: {
      validation: 'A value was not accepted. Check the fields and try again.',
      not_found: 'That does not exist (any more). Someone may have deleted it.',
      conflict: 'That is not possible as things are now: a name may be taken, or something is built in or already done.',
      forbidden: 'You do not have the permission this needs.',
      unauthenticated: 'Log in (again) first.',
      rate_limited: 'Too many attempts. Wait a moment and try again.',
      unavailable: 'The store cannot be reached right now. Keyrack reconnects by itself; try again in a moment.',
      internal: 'Something went wrong inside Keyrack; the details are in its log.',
    },
  },
} as const;
