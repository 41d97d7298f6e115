import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RegistrationInfo } from '../../../shared/activations.dto.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useApproveRegistration, useRefuseRegistration } from './activations.queries.js';

/**
 * Approve (at once: it only lets the service's token requests through) or refuse (asks first: the API user
 * is disabled and the decision cannot be taken back) one pending registration.
 */
export function RegistrationDecision({ registration: r }: { registration: RegistrationInfo }) {
  const { t } = useTranslation('activations');
  const approve = useApproveRegistration();
  const refuse = useRefuseRegistration();
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap">
      <Button
        size="xs"
        // The primary colour: white on teal 6 was 3.9:1, under WCAG AA's 4.5:1 (axe-core in the journey).
        loading={approve.isPending}
        disabled={refuse.isPending}
        aria-label={`${t('pending.approve')} ${r.clientName}`}
        onClick={() =>
          approve.mutate({ id: r.id }, { onSuccess: () => notifySuccess(t('pending.approved', { name: r.clientName })), onError: (error) => notifyError(error) })
        }
      >
        {t('pending.approve')}
      </Button>
      <ConfirmButton
        size="xs"
        disabled={approve.isPending}
        aria-label={`${t('pending.refuse')} ${r.clientName}`}
        title={t('pending.refuseTitle', { name: r.clientName })}
        consequence={t('pending.refuseConsequence', { client: r.clientId })}
        confirmLabel={t('pending.refuseConfirm')}
        onConfirm={() =>
          refuse.mutateAsync({ id: r.id }, { onSuccess: () => notifySuccess(t('pending.refused', { name: r.clientName })), onError: (error) => notifyError(error) })
        }
      >
        {t('pending.refuse')}
      </ConfirmButton>
    </Group>
  );
}
