import { useSyncExternalStore } from 'react';
import { Drawer, Modal, type DrawerProps, type ModalProps } from '@mantine/core';
import { leaveGuard } from '../app/leave-guard.js';

const subscribe = (onChange: () => void) => leaveGuard.subscribe(onChange);
const questionOpen = () => leaveGuard.question() !== null;

/**
 * How a dialog or drawer holding a form closes: Escape, a click beside it and its × ask first while the form
 * has unsaved changes ("Close without saving?", LeaveQuestion), as leaving a page does. The form inside
 * registers its changes with useUnsavedChanges; its own Cancel button still closes at once (a deliberate
 * choice). While the question is open, Escape is its "stay": the dialog must not take the same key press as a
 * new request to close, which would ask again at once.
 */
function useGuardedClose(onClose: () => void, closeOnEscape: boolean) {
  const asking = useSyncExternalStore(subscribe, questionOpen);
  return { closeOnEscape: closeOnEscape && !asking, onClose: () => leaveGuard.requestClose(onClose) };
}

/** A Modal that holds a form (see useGuardedClose). */
export function FormModal({ onClose, closeOnEscape = true, ...props }: ModalProps) {
  return <Modal {...props} {...useGuardedClose(onClose, closeOnEscape)} />;
}

/** A Drawer that holds a form, such as a mailbox's (see useGuardedClose). */
export function FormDrawer({ onClose, closeOnEscape = true, ...props }: DrawerProps) {
  return <Drawer {...props} {...useGuardedClose(onClose, closeOnEscape)} />;
}
