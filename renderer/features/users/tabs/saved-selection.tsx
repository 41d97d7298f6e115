import { useState } from 'react';
import { Button, Group } from '@mantine/core';
import type { UseMutationResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/call.js';
import { useUnsavedChanges } from '../../../app/use-unsaved-changes.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';

/** Whether an edited list differs from the saved one; with `orderMatters` false, only what is in it counts. */
function selectionChanged(edited: readonly string[], saved: readonly string[], orderMatters: boolean): boolean {
  if (edited.length !== saved.length) return true;
  return orderMatters ? edited.some((item, i) => item !== saved[i]) : edited.some((item) => !saved.includes(item));
}

interface SavedSelectionOptions<I> {
  /** The list as saved; the edit starts from it (and goes back to it on undo). */
  saved: string[];
  /** The user mutation that saves the list. */
  mutation: UseMutationResult<unknown, Error, I>;
  toInput: (edited: string[]) => I;
  savedMessage: string;
  /** The allowlist is kept in the order given; a set of groups or mailboxes is not. */
  orderMatters?: boolean;
}

/**
 * "Edit a list, save it, or undo the edit": the user page's Groups, Mailboxes and Network tabs. Main's
 * refusal of the list (a validation error) shows on the field; any other failure as a notification.
 */
export function useSavedSelection<I>({ saved, mutation, toInput, savedMessage, orderMatters = false }: SavedSelectionOptions<I>) {
  const [edited, setEdited] = useState<string[]>(saved);
  const [error, setError] = useState<string | null>(null);

  const changed = selectionChanged(edited, saved, orderMatters);
  // By the time a save's onSuccess runs, the user mutation has refetched `saved` (use-refresh-after.ts).
  useUnsavedChanges(() => changed);

  const save = () =>
    mutation.mutate(toInput(edited), {
      onSuccess: () => {
        setError(null);
        notifySuccess(savedMessage);
      },
      onError: (e) => (e instanceof ApiError && e.code === 'validation' ? setError(errorMessage(e)) : notifyError(e)),
    });

  return {
    value: edited,
    onChange: setEdited,
    error,
    changed,
    undo: () => setEdited(saved),
    save,
    saving: mutation.isPending,
  };
}

/** Undo and Save under a tab's list, active while the list differs from what is saved. */
export function SaveSelectionButtons({ selection, saveLabel }: { selection: ReturnType<typeof useSavedSelection>; saveLabel: string }) {
  const { t } = useTranslation('users');
  return (
    <Group justify="flex-end">
      <Button variant="default" disabled={!selection.changed} onClick={selection.undo}>
        {t('profile.undo')}
      </Button>
      <Button onClick={selection.save} disabled={!selection.changed} loading={selection.saving}>
        {saveLabel}
      </Button>
    </Group>
  );
}
