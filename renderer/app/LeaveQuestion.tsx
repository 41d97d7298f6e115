import { useEffect, useSyncExternalStore } from 'react';
import { Button, Group, Modal, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { leaveGuard } from './leave-guard.js';
import { leaveWithoutSaving } from './router.js';

const subscribe = (onChange: () => void) => leaveGuard.subscribe(onChange);
const question = () => leaveGuard.question();

/**
 * The question a move away from unsaved changes waits for (leave-guard.ts), or the close of a dialog that
 * holds them (FormModal). Staying is the default and what Escape does: a slip of the hand must not throw an
 * edit away.
 */
export function LeaveQuestion() {
  const { t } = useTranslation('app');
  const asked = useSyncExternalStore(subscribe, question);
  const closing = asked === 'close';
  // Escape means "stay" wherever the focus is: asked about a dialog, the focus may still sit in that dialog's
  // form, whose own Escape handling is off while the question is open (FormModal).
  useEffect(() => {
    if (asked === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') leaveGuard.stay();
    };
    // From the next task on: the Escape that asked is still on its way up to the window.
    const timer = setTimeout(() => window.addEventListener('keydown', onKey));
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [asked]);
  return (
    // Above any dialog the page has open (a form in a modal is often the changed one); Mantine's default is 200.
    <Modal opened={asked !== null} onClose={() => leaveGuard.stay()} title={closing ? t('leave.closeTitle') : t('leave.title')} centered zIndex={300} data-testid="leave-question">
      <Text size="sm">{closing ? t('leave.closeBody') : t('leave.body')}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={() => leaveGuard.stay()} data-autofocus>
          {t('leave.stay')}
        </Button>
        <Button color="red" onClick={leaveWithoutSaving}>
          {closing ? t('leave.closeDiscard') : t('leave.discard')}
        </Button>
      </Group>
    </Modal>
  );
}
