import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick' | 'children'> {
  children: ReactNode;
  /** The dialog's title, a question: "Delete the API user crm-sync?" */
  title: string;
  /** What exactly will happen, in plain words, including what cannot be undone. */
  consequence: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown> | void;
  danger?: boolean;
}

/** Every destructive action goes through this: it asks, says what it will do, and only then acts. */
export function ConfirmButton({ children, title, consequence, confirmLabel, onConfirm, danger = true, ...buttonProps }: ConfirmButtonProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } catch {
      // The caller reports the failure (notification); the dialog stays so the person sees where they are.
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button color={danger ? 'red' : undefined} variant="light" {...buttonProps} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={600}>{title}</Text>} centered>
        <Stack>
          <Text size="sm">{consequence}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              {t('cancel')}
            </Button>
            <Button color={danger ? 'red' : undefined} onClick={() => void confirm()} loading={busy} data-autofocus>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
