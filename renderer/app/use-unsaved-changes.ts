import { useEffect, useRef } from 'react';
import { leaveGuard, type HasUnsavedChanges } from './leave-guard.js';

/**
 * For every form that edits or creates something: while it is shown, leaving the page (a link, back, a tab,
 * closing or reloading the window) asks first whenever `hasUnsavedChanges` says yes (leave-guard.ts).
 *
 * It is asked at the moment of leaving, so it must read the form's current state: with @mantine/form pass
 * `form.isDirty`, which compares the values with the last saved ones (typing a change and undoing it by
 * hand counts as unchanged). After a successful save call `form.resetDirty()` before moving on; it takes
 * effect at once, so a create that then opens the new record is not asked about.
 */
export function useUnsavedChanges(hasUnsavedChanges: HasUnsavedChanges): void {
  const latest = useRef(hasUnsavedChanges);
  useEffect(() => {
    latest.current = hasUnsavedChanges;
  });
  useEffect(() => leaveGuard.register(() => latest.current()), []);
}
