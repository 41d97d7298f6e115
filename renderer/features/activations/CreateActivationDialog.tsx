import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ActivationCreated } from '../../../shared/activations.dto.js';
import { createActivationInput, DEFAULT_ACTIVATION_DAYS, DEFAULT_MAX_REGISTRATIONS, MAX_REGISTRATIONS_LIMIT } from '../../../shared/activations.schemas.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { FormModal } from '../../components/FormModal.js';
import { keepEnterFromSubmitting, showServerError, zodValidate } from '../../lib/form.js';
import { endOfDay, strictDateInput } from '../../lib/format.js';
import { notifySuccess } from '../../lib/notify.js';
import { ApiUserAccessFields } from '../users/ApiUserAccessFields.js';
import { CopyField } from '../users/SecretReveal.js';
import { useCreateActivation } from './activations.queries.js';

interface Values {
  name: string;
  groupIds: string[];
  mailboxIds: string[];
  allowlist: string[];
  maxRegistrations: number | string;
  expiresAt: string | null;
  userExpiresAt: string | null;
  /** Empty: the token server's default. */
  tokenLifetimeSeconds: number | string;
  requiresApproval: boolean;
}

const toInput = (v: Values) => ({
  name: v.name,
  groupIds: v.groupIds.map(Number),
  mailboxIds: v.mailboxIds.map(Number),
  allowlist: v.allowlist,
  maxRegistrations: typeof v.maxRegistrations === 'number' ? v.maxRegistrations : Number(v.maxRegistrations),
  expiresAt: endOfDay(v.expiresAt),
  userExpiresAt: endOfDay(v.userExpiresAt),
  tokenLifetimeSeconds: v.tokenLifetimeSeconds === '' ? undefined : Number(v.tokenLifetimeSeconds),
  requiresApproval: v.requiresApproval,
});

/** `allowlist.2` → `allowlist`, `groupIds.0` → `groupIds`: list errors show under the list's input. */
const fieldOf = (path: string) => path.split('.')[0]!;

const daysFromNow = (days: number) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d;
};
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * "New activation": the template of the API users it creates (the new API user form's pickers), how many
 * registrations, until when, whether each needs approval; then the code, once, with the vendor's snippet.
 */
export function CreateActivationDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation(['activations', 'common']);
  const [created, setCreated] = useState<ActivationCreated | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <FormModal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{created ? t('reveal.title') : t('form.title')}</Text>}
      size="lg"
      // The code is shown once: a click beside the dialog must not throw it away.
      closeOnClickOutside={!created}
    >
      {opened && (created ? <CodeReveal created={created} onDone={close} /> : <ActivationForm onCreated={setCreated} onCancel={close} />)}
    </FormModal>
  );
}

function ActivationForm({ onCreated, onCancel }: { onCreated: (c: ActivationCreated) => void; onCancel: () => void }) {
  const { t } = useTranslation(['activations', 'common', 'users']);
  const create = useCreateActivation();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: '',
      groupIds: [],
      mailboxIds: [],
      allowlist: [],
      maxRegistrations: DEFAULT_MAX_REGISTRATIONS,
      expiresAt: isoDay(daysFromNow(DEFAULT_ACTIVATION_DAYS)),
      userExpiresAt: null,
      tokenLifetimeSeconds: '',
      requiresApproval: true,
    },
    validate: zodValidate(createActivationInput, toInput, fieldOf),
  });
  useUnsavedChanges(form.isDirty);
  const submit = form.onSubmit((values) =>
    create.mutate(toInput(values), {
      onSuccess: (result) => {
        form.resetDirty();
        notifySuccess(t('created', { name: result.activation.name }));
        onCreated(result);
      },
      onError: (error) => showServerError(form, error, fieldOf),
    }),
  );
  return (
    <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate>
      <Stack>
        <TextInput label={t('form.name')} description={t('form.nameHint')} withAsterisk data-autofocus {...form.getInputProps('name')} />
        <ApiUserAccessFields
          groups={form.getInputProps('groupIds')}
          mailboxes={form.getInputProps('mailboxIds')}
          allowlist={{ value: form.values.allowlist, onChange: (entries) => form.setFieldValue('allowlist', entries), error: form.errors.allowlist }}
          groupsHint={t('form.groupsHint')}
          mailboxesHint={t('form.mailboxesHint')}
        />
        <Group grow align="flex-start">
          <NumberInput
            label={t('form.maxRegistrations')}
            description={t('form.maxRegistrationsHint')}
            min={1}
            max={MAX_REGISTRATIONS_LIMIT}
            allowDecimal={false}
            allowNegative={false}
            {...form.getInputProps('maxRegistrations')}
          />
          <DateInput
            label={t('form.expiresAt')}
            description={t('form.expiresAtHint')}
            minDate={new Date()}
            {...strictDateInput()}
            {...form.getInputProps('expiresAt')}
          />
        </Group>
        <Group grow align="flex-start">
          <DateInput
            label={t('form.userExpiresAt')}
            description={t('form.userExpiresAtHint')}
            placeholder={t('common:never')}
            clearable
            minDate={daysFromNow(1)}
            {...strictDateInput()}
            {...form.getInputProps('userExpiresAt')}
          />
          {/* The same field as an API user's profile: what each created API user's tokens live. */}
          <NumberInput
            label={t('users:profile.tokenLifetime')}
            description={t('users:profile.tokenLifetimeHint')}
            placeholder={t('users:profile.serverDefault')}
            min={60}
            max={86_400}
            clampBehavior="none"
            allowDecimal={false}
            {...form.getInputProps('tokenLifetimeSeconds')}
          />
        </Group>
        <Switch
          label={t('form.requiresApproval')}
          description={t('form.requiresApprovalHint')}
          {...form.getInputProps('requiresApproval', { type: 'checkbox' })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={create.isPending}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('form.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The activation code, exactly once (main keeps only its hash), with what the vendor needs beside it. */
function CodeReveal({ created, onDone }: { created: ActivationCreated; onDone: () => void }) {
  const { t } = useTranslation('activations');
  const { snippet } = created;
  return (
    <Stack data-testid="activation-reveal">
      <Alert color="orange" icon={<IconAlertTriangle size={18} />}>
        {t('reveal.body')}
      </Alert>
      <CopyField label={t('reveal.code')} copyLabel={t('reveal.copyCode')} value={created.code} testId="activation-code" />
      {snippet.registrationUrl !== null ? (
        <>
          <CopyField label={t('reveal.registrationUrl')} copyLabel={t('reveal.copyUrl')} value={snippet.registrationUrl} testId="activation-url" />
          {snippet.curl !== null && <CopyField label={t('reveal.curl')} copyLabel={t('reveal.copyCurl')} value={snippet.curl} testId="activation-curl" />}
          {snippet.json !== null && <CopyField label={t('reveal.json')} copyLabel={t('reveal.copyJson')} value={snippet.json} testId="activation-json" />}
          {snippet.env !== null && <CopyField label={t('reveal.env')} copyLabel={t('reveal.copyEnv')} value={snippet.env} testId="activation-env" />}
        </>
      ) : (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('reveal.noUrl')} data-testid="activation-no-url">
          {snippet.problem}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('reveal.done')}</Button>
      </Group>
    </Stack>
  );
}
