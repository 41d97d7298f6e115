import { Alert, Button, Group, NumberInput, PasswordInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck, IconPlugConnected, IconPlugConnectedX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MailSettingsInfo, UpstreamAuthKind, UpstreamTestResult, UpstreamTlsMode } from '../../../shared/mail.dto.js';
import { setUpstreamInput } from '../../../shared/mail.schemas.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatCount } from '../../lib/format.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { coreText } from '../../lib/error-text.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useClearUpstream, useSetUpstream, useTestUpstream } from './mail.queries.js';

interface Values {
  host: string;
  port: number | string;
  tls: UpstreamTlsMode;
  auth: UpstreamAuthKind;
  user: string;
  /** Write-only: blank keeps the stored secret (the form never gets it back). */
  secret: string;
}

/** The usual port of each TLS mode (RFC 8314: 465 implicit TLS; RFC 6409: 587 submission with STARTTLS). */
const PORT_OF: Record<UpstreamTlsMode, number> = { implicit: 465, starttls: 587 };

const valuesOf = (info: MailSettingsInfo): Values => {
  const up = info.upstream;
  return up
    ? { host: up.host, port: up.port, tls: up.tls, auth: up.auth, user: up.user ?? '', secret: '' }
    : { host: '', port: 587, tls: 'starttls', auth: 'password', user: '', secret: '' };
};

const toInput = (mailboxId: number | null) => (v: Values) => ({
  mailboxId,
  host: v.host.trim(),
  port: typeof v.port === 'number' ? v.port : Number.NaN,
  tls: v.tls,
  auth: v.auth,
  user: v.auth === 'none' || v.user.trim() === '' ? null : v.user.trim(),
  ...(v.auth !== 'none' && v.secret !== '' ? { secret: v.secret } : {}),
});

/**
 * A mailbox's outgoing server (or the default one, mailboxId null): host, port, TLS mode, login. The secret
 * is write-only: once stored the field says "set" and stays empty; typing replaces it. The connection test
 * checks what is saved, so it waits until the form is.
 */
export function UpstreamForm({ info, canManage }: { info: MailSettingsInfo; canManage: boolean }) {
  const { t } = useTranslation(['mailboxes', 'common']);
  const mailboxId = info.mailboxId;
  const save = useSetUpstream();
  const clear = useClearUpstream();
  const test = useTestUpstream();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(info),
    validate: zodValidate(setUpstreamInput, toInput(mailboxId)),
  });
  useUnsavedChanges(form.isDirty);
  const secretSet = info.upstream?.secretSet ?? false;
  const inherited = info.upstream === null && info.effective.upstreamFrom === 'default' ? info.effective.upstream : null;
  const canTest = info.effective.upstream !== null && !form.isDirty();

  const submit = form.onSubmit(async (values) => {
    if (values.auth !== 'none' && values.secret === '' && !secretSet) {
      form.setFieldError('secret', values.auth === 'oauth2' ? t('mail.upstream.bearerNeeded') : t('mail.upstream.passwordNeeded'));
      return;
    }
    try {
      const saved = await save.mutateAsync(toInput(mailboxId)(values) as Parameters<typeof save.mutateAsync>[0]);
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      test.reset();
      notifySuccess(t('mail.upstream.saved', { host: values.host.trim() }));
    } catch (error) {
      showServerError(form, error);
    }
  });

  const useDefault = async () => {
    try {
      await clear.mutateAsync({ mailboxId });
      test.reset();
      notifySuccess(t('mail.upstream.cleared'));
    } catch (error) {
      notifyError(error);
      throw error;
    }
  };

  return (
    <Stack gap="md">
      {inherited ? (
        <Alert color="blue" variant="light" data-testid="upstream-inherited">
          {t('mail.upstream.usesDefault', { host: inherited.host, port: String(inherited.port) })}
        </Alert>
      ) : info.effective.upstream === null ? (
        <Alert color="orange" variant="light" data-testid="upstream-missing">
          {mailboxId === null ? t('mail.upstream.noneDefault') : t('mail.upstream.none')}
        </Alert>
      ) : null}
      <form onSubmit={submit} noValidate data-testid="upstream-form">
        <Stack gap="sm">
          <Group align="flex-start" grow wrap="nowrap">
            <TextInput
              label={t('mail.upstream.host')}
              placeholder={t('mail.upstream.hostPlaceholder')}
              withAsterisk
              disabled={!canManage}
              style={{ flexGrow: 3 }}
              {...form.getInputProps('host')}
            />
            <NumberInput
              label={t('mail.upstream.port')}
              withAsterisk
              clampBehavior="none"
              allowDecimal={false}
              hideControls
              disabled={!canManage}
              {...form.getInputProps('port')}
            />
          </Group>
          <Stack gap={4}>
            <Text size="sm" fw={500} id={`upstream-tls-${mailboxId ?? 'default'}`}>
              {t('mail.upstream.tls')}
            </Text>
            <SegmentedControl
              aria-labelledby={`upstream-tls-${mailboxId ?? 'default'}`}
              disabled={!canManage}
              data={[
                { value: 'starttls', label: t('mail.upstream.tlsStarttls') },
                { value: 'implicit', label: t('mail.upstream.tlsImplicit') },
              ]}
              {...form.getInputProps('tls')}
              onChange={(value) => {
                const tls = value as UpstreamTlsMode;
                // The port follows the mode while it is still the other mode's usual one.
                if (form.values.port === PORT_OF[form.values.tls]) form.setFieldValue('port', PORT_OF[tls]);
                form.setFieldValue('tls', tls);
              }}
            />
            <Text size="xs" c="dimmed">
              {form.values.tls === 'starttls' ? t('mail.upstream.tlsStarttlsHint') : t('mail.upstream.tlsImplicitHint')}
            </Text>
          </Stack>
          <Select
            label={t('mail.upstream.auth')}
            allowDeselect={false}
            disabled={!canManage}
            data={[
              { value: 'password', label: t('mail.upstream.authPassword') },
              { value: 'oauth2', label: t('mail.upstream.authOauth2') },
              { value: 'none', label: t('mail.upstream.authNone') },
            ]}
            {...form.getInputProps('auth')}
          />
          {form.values.auth !== 'none' ? (
            <>
              <TextInput
                label={t('mail.upstream.user')}
                placeholder={t('mail.upstream.userPlaceholder')}
                withAsterisk
                autoComplete="off"
                disabled={!canManage}
                {...form.getInputProps('user')}
              />
              <PasswordInput
                label={form.values.auth === 'oauth2' ? t('mail.upstream.bearer') : t('mail.upstream.password')}
                description={secretSet ? t('mail.upstream.secretSet') : t('mail.upstream.secretHint')}
                placeholder={secretSet ? t('mail.upstream.secretSetPlaceholder') : undefined}
                withAsterisk={!secretSet}
                autoComplete="new-password"
                disabled={!canManage}
                {...form.getInputProps('secret')}
              />
            </>
          ) : (
            <Text size="xs" c="dimmed">
              {t('mail.upstream.authNoneHint')}
            </Text>
          )}
          {canManage ? (
            <Group justify="space-between" mt="xs">
              {info.upstream !== null && mailboxId !== null ? (
                <ConfirmButton
                  size="sm"
                  variant="subtle"
                  title={t('mail.upstream.clearTitle')}
                  consequence={t('mail.upstream.clearConsequence')}
                  confirmLabel={t('mail.upstream.clear')}
                  onConfirm={useDefault}
                >
                  {t('mail.upstream.clear')}
                </ConfirmButton>
              ) : (
                <span />
              )}
              <Group gap="xs">
                <Button variant="default" disabled={!form.isDirty() || save.isPending} onClick={() => form.reset()}>
                  {t('mail.discard')}
                </Button>
                <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                  {t('mail.upstream.save')}
                </Button>
              </Group>
            </Group>
          ) : null}
        </Stack>
      </form>
      {canManage ? (
        <Stack gap="xs">
          <Group gap="sm">
            <Button
              variant="light"
              leftSection={<IconPlugConnected size={16} />}
              loading={test.isPending}
              disabled={!canTest}
              onClick={() => test.mutate(mailboxId)}
            >
              {t('mail.upstream.test')}
            </Button>
            {!canTest ? (
              <Text size="xs" c="dimmed">
                {form.isDirty() ? t('mail.upstream.testSaveFirst') : t('mail.upstream.testNothing')}
              </Text>
            ) : null}
          </Group>
          {test.data ? <TestResult result={test.data} /> : null}
          {test.isError ? (
            <Alert color="red" icon={<IconPlugConnectedX size={18} />} title={t('mail.upstream.testFailed')} role="alert">
              {coreText((test.error as Error).message)}
            </Alert>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** What the test found, in plain words: it worked (with the greeting), or why it did not. */
function TestResult({ result }: { result: UpstreamTestResult }) {
  const { t } = useTranslation('mailboxes');
  const where = `${result.host}:${result.port}`;
  return (
    <Alert
      color={result.ok ? 'teal' : 'red'}
      icon={result.ok ? <IconCircleCheck size={18} /> : <IconPlugConnectedX size={18} />}
      title={result.ok ? t('mail.upstream.testOk', { where }) : t('mail.upstream.testNotOk', { where })}
      role={result.ok ? 'status' : 'alert'}
      data-testid="upstream-test-result"
    >
      {/* The reason it failed, as the server or the network said it; on success the title says it all. */}
      {result.ok ? null : (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {result.message}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('mail.upstream.testTook', { ms: formatCount(result.tookMs) })}
      </Text>
    </Alert>
  );
}
