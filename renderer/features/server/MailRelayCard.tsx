import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MailRelaySettings, MailRelayStatus } from '../../../shared/mail.dto.js';
import { mailRelaySettingsPatch } from '../../../shared/mail.schemas.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { formatCount } from '../../lib/format.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { ApiError } from '../../api/call.js';
import { useMailRelayStatus as useMailRelayStatusQuery, useUpdateRelaySettings } from '../mailboxes/mail.queries.js';

interface Values {
  enabled: boolean;
  /** Blank: that listener is off. */
  submissionPort: number | string;
  implicitTlsPort: number | string;
  ratePerMinute: number | string;
  maxRecipients: number | string;
  /** KiB here, bytes in main. */
  maxMessageKib: number | string;
  giveUpAfterMinutes: number | string;
}

const KIB = 1024;
const num = (v: number | string) => (typeof v === 'number' ? v : Number.NaN);
const portOrNull = (v: number | string) => (v === '' ? null : num(v));

const valuesOf = (s: MailRelaySettings): Values => ({
  enabled: s.enabled,
  submissionPort: s.submissionPort ?? '',
  implicitTlsPort: s.implicitTlsPort ?? '',
  ratePerMinute: s.ratePerMinute,
  maxRecipients: s.maxRecipients,
  maxMessageKib: Math.round(s.maxMessageBytes / KIB),
  giveUpAfterMinutes: s.giveUpAfterMinutes,
});

const toInput = (v: Values) => ({
  enabled: v.enabled,
  submissionPort: portOrNull(v.submissionPort),
  implicitTlsPort: portOrNull(v.implicitTlsPort),
  ratePerMinute: num(v.ratePerMinute),
  maxRecipients: num(v.maxRecipients),
  maxMessageBytes: num(v.maxMessageKib) * KIB,
  giveUpAfterMinutes: num(v.giveUpAfterMinutes),
});

const fieldOf = (path: string) => (path === 'maxMessageBytes' ? 'maxMessageKib' : path);

/**
 * The mail relay's own settings, beside the token server's (it runs in the same process and restarts with
 * it): on or off, the submission ports, the per-user rate, recipients per message, size, and how long delivery
 * is retried. Only what changed is sent.
 */
export function MailRelayCard({ status, canManage }: { status: MailRelayStatus; canManage: boolean }) {
  const { t } = useTranslation(['server', 'common']);
  const update = useUpdateRelaySettings();
  const form = useForm<Values>({ mode: 'controlled', initialValues: valuesOf(status.settings), validate: zodValidate(mailRelaySettingsPatch, toInput, fieldOf) });
  useUnsavedChanges(form.isDirty);
  const saved = toInput(valuesOf(status.settings));
  const patch = Object.fromEntries(Object.entries(toInput(form.values)).filter(([k, v]) => saved[k as keyof typeof saved] !== v));
  const dirty = Object.keys(patch).length > 0;

  const submit = form.onSubmit(async () => {
    try {
      const next = await update.mutateAsync(patch);
      form.resetDirty();
      if (next.settings.enabled && !next.running && next.lastError) {
        notifyError(new ApiError({ code: 'conflict', message: next.lastError }), t('relay.savedNotRunning'));
      } else {
        notifySuccess(t('relay.saved'));
      }
    } catch (error) {
      showServerError(form, error, fieldOf);
    }
  });

  return (
    <Paper withBorder p="lg" data-testid="mail-relay-card">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Group justify="space-between" wrap="nowrap">
            <Title order={2} size="h4">
              {t('relay.title')}
            </Title>
            <Badge color={status.running ? 'teal' : 'gray'} variant="light" miw="max-content">
              {status.running ? t('relay.running') : t('relay.off')}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {t('relay.description')}
          </Text>
          {status.running ? (
            <Text size="sm" data-testid="mail-relay-listening">
              {status.listening.length === 0
                ? t('relay.httpOnly')
                : t('relay.listening', { ports: status.listening.map((l) => `${l.port} (${t(`relay.mode.${l.tls}`)})`).join(', ') })}
            </Text>
          ) : null}
          {status.lastError ? (
            <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('relay.notStarted')}>
              {status.lastError}
            </Alert>
          ) : null}
          <Switch label={t('relay.enabled')} description={t('relay.enabledHint')} disabled={!canManage} {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <Group align="flex-start" grow>
            <NumberInput
              label={t('relay.submissionPort')}
              description={t('relay.submissionPortHint')}
              placeholder={t('relay.portOff')}
              clampBehavior="none"
              allowDecimal={false}
              hideControls
              disabled={!canManage}
              {...form.getInputProps('submissionPort')}
            />
            <NumberInput
              label={t('relay.implicitTlsPort')}
              description={t('relay.implicitTlsPortHint')}
              placeholder={t('relay.portOff')}
              clampBehavior="none"
              allowDecimal={false}
              hideControls
              disabled={!canManage}
              {...form.getInputProps('implicitTlsPort')}
            />
          </Group>
          <Group align="flex-start" grow>
            <NumberInput label={t('relay.rate')} description={t('relay.rateHint')} clampBehavior="none" allowDecimal={false} disabled={!canManage} {...form.getInputProps('ratePerMinute')} />
            <NumberInput label={t('relay.recipients')} clampBehavior="none" allowDecimal={false} disabled={!canManage} {...form.getInputProps('maxRecipients')} />
          </Group>
          <Group align="flex-start" grow>
            <NumberInput
              label={t('relay.maxSize')}
              description={t('relay.maxSizeHint', { size: formatCount(50 * 1024) })}
              clampBehavior="none"
              allowDecimal={false}
              suffix={` ${t('relay.kib')}`}
              disabled={!canManage}
              {...form.getInputProps('maxMessageKib')}
            />
            <NumberInput
              label={t('relay.giveUp')}
              description={t('relay.giveUpHint')}
              clampBehavior="none"
              allowDecimal={false}
              disabled={!canManage}
              {...form.getInputProps('giveUpAfterMinutes')}
            />
          </Group>
          {canManage ? (
            <Group justify="flex-end">
              <Button variant="default" disabled={!dirty || update.isPending} onClick={() => form.reset()}>
                {t('settings.discard')}
              </Button>
              <Button type="submit" disabled={!dirty} loading={update.isPending}>
                {t('relay.save')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

/** Loads the relay's status for the Token server page. */
export function MailRelaySection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('server');
  const relay = useMailRelayStatusQuery();
  if (relay.isPending) return null;
  if (relay.isError)
    return (
      <Alert color="red" title={t('relay.loadFailed')} role="alert">
        {(relay.error as Error).message}
      </Alert>
    );
  // Keyed by the saved settings, so the form starts over when they change (saved here or by the CLI).
  return <MailRelayCard key={JSON.stringify(relay.data.settings)} status={relay.data} canManage={canManage} />;
}
