import type { ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify.js';

export interface ConfirmModalProps {
  opened: boolean;
  title: string;
  /** What will happen, in plain words: who loses what, and whether it can be undone. */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  /** The refusal from main, shown in the dialog so it is read before the dialog is closed. */
  error?: unknown;
}

/**
 * The confirmation every destructive action asks for. Cancel has the focus first, so Enter never
 * destroys by accident; Escape closes.
 */
export function ConfirmModal({ opened, title, children, confirmLabel, onConfirm, onClose, loading, error }: ConfirmModalProps) {
  const { t } = useTranslation(['rights', 'common']);
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack gap="md">
        <Text size="sm" component="div">
          {children}
        </Text>
        {error ? (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('notDone')} role="alert">
            {errorMessage(error)}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('common:cancel')}
          </Button>
          <Button color="red" onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
