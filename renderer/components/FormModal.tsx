import { useSyncExternalStore } from 'react';
import { Modal, type ModalProps } from '@mantine/core';
import { leaveGuard } from '../app/leave-guard.js';

const subscribe = (onChange: () => void) => leaveGuard.subscribe(onChange);
const questionOpen = () => leaveGuard.question() !== null;

/**
 * A Modal that holds a form: Escape, a click beside it and its × ask first while the form has unsaved
 * changes ("Close without saving?", LeaveQuestion), as leaving a page does. The form inside registers its
 * changes with useUnsavedChanges; its own Cancel button still closes at once (that is a deliberate choice).
 */
export function FormModal({ onClose, closeOnEscape = true, ...props }: ModalProps) {
  // While the question is open, Escape is its "stay": this dialog must not take the same key press as a
  // new request to close, which would ask again at once.
  const asking = useSyncExternalStore(subscribe, questionOpen);
  return <Modal {...props} closeOnEscape={closeOnEscape && !asking} onClose={() => leaveGuard.requestClose(onClose)} />;
}
