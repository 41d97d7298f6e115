import { Modal, type ModalProps } from '@mantine/core';
import { leaveGuard } from '../app/leave-guard.js';

/**
 * A Modal that holds a form: Escape, a click beside it and its × ask first while the form has unsaved
 * changes ("Close without saving?", LeaveQuestion), as leaving a page does. The form inside registers its
 * changes with useUnsavedChanges; its own Cancel button still closes at once (that is a deliberate choice).
 */
export function FormModal({ onClose, ...props }: ModalProps) {
  return <Modal {...props} onClose={() => leaveGuard.requestClose(onClose)} />;
}
