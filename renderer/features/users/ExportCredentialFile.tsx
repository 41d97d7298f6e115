import { useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileExport, IconInfoCircle, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { CLIENT_KEY_ALGS, type ClientKeyAlg } from '../../../shared/domain.js';
import type { CredentialFileSaved } from '../../../shared/server.dto.js';
import { credentialExportInput, credentialExportKeyInput } from '../../../shared/server.schemas.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { notifySuccess } from '../../lib/notify.js';
import { ExportDestination } from './ExportDestination.js';
import { useExportCredentialFile, useExportKeyCredentialFile } from './credentials.queries.js';

interface Values {
  /** What the file authenticates with: the secret (if one was just shown), none, or a new key pair. */
  mode: 'secret' | 'key';
  alg: ClientKeyAlg;
  format: 'json' | 'env';
  encrypt: boolean;
  passphrase: string;
  repeat: string;
}

interface ExportProps {
  userId: number;
  /** The secret just created or rotated; without it the file holds no secret and the dialog says so. */
  secret?: string;
  /** Button text; the reveal screens say "Export credential file", the tab "Export without secret". */
  label?: string;
  variant?: 'filled' | 'light' | 'default';
}

/** The file formats, by their names: the same in every language. */
const FILE_FORMATS = [
  { value: 'json', label: 'JSON' },
  { value: 'env', label: '.env' },
];

const toInput = (userId: number, secret: string | undefined) => (v: Values) => ({
  userId,
  format: v.format,
  ...(secret !== undefined ? { secret } : {}),
  ...(v.encrypt ? { passphrase: v.passphrase } : {}),
});

/** Key mode: the same export with a new key pair (`keyrack credentials export --key --alg`), never a secret. */
const toKeyInput = (userId: number) => (v: Values) => ({
  userId,
  format: v.format,
  alg: v.alg,
  ...(v.encrypt ? { passphrase: v.passphrase } : {}),
});

/**
 * "Export credential file": JSON or .env, optionally encrypted with a passphrase (docs/credential-files.md).
 * Main renders the file and asks where to save it; it is written owner-only, and the export is logged.
 */
export function ExportCredentialFileButton({ userId, secret, label, variant = 'light' }: ExportProps) {
  const { t } = useTranslation(['users', 'common']);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={variant} leftSection={<IconFileExport size={16} />} onClick={() => setOpen(true)} data-testid="export-credential-file">
        {label ?? t('export.button')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={<Text fw={600}>{t('export.button')}</Text>} centered size="md">
        {open && <ExportForm userId={userId} secret={secret} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

function ExportForm({ userId, secret, onDone }: { userId: number; secret: string | undefined; onDone: () => void }) {
  const exportSecretFile = useExportCredentialFile();
  const exportKeyFile = useExportKeyCredentialFile();
  const { t } = useTranslation(['users', 'common']);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { mode: 'secret', alg: 'ES256', format: 'json', encrypt: false, passphrase: '', repeat: '' },
    validate: (values) => {
      const errors =
        values.mode === 'key'
          ? zodValidate(credentialExportKeyInput, toKeyInput(userId))(values)
          : zodValidate(credentialExportInput, toInput(userId, secret))(values);
      if (values.encrypt && values.repeat !== values.passphrase) errors.repeat = t('export.passphrasesDiffer');
      return errors;
    },
  });

  const keyMode = form.values.mode === 'key';
  const pending = exportSecretFile.isPending || exportKeyFile.isPending;
  const handlers = {
    onSuccess: (result: CredentialFileSaved) => {
      if (!result.saved) return; // the admin cancelled the save dialog: nothing was written, no key registered
      const text =
        result.kid !== undefined
          ? t('export.savedWithKey', { file: result.fileName, path: result.path, kid: result.kid })
          : t(result.containsSecret ? 'export.saved' : 'export.savedWithoutSecret', { file: result.fileName, path: result.path });
      notifySuccess(text, t('export.done'));
      onDone();
    },
    onError: (error: Error) => showServerError(form, error),
  };
  const submit = form.onSubmit((values) =>
    values.mode === 'key'
      ? exportKeyFile.mutate(toKeyInput(userId)(values), handlers)
      : exportSecretFile.mutate(toInput(userId, secret)(values), handlers),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {secret === undefined && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('export.mode')}
            </Text>
            <SegmentedControl
              aria-label={t('export.mode')}
              fullWidth
              data={[
                { value: 'secret', label: t('export.modeNoSecret') },
                { value: 'key', label: t('export.modeKey') },
              ]}
              {...form.getInputProps('mode')}
              data-testid="export-mode"
            />
          </Stack>
        )}
        {keyMode ? (
          <>
            <Alert color="orange" icon={<IconKey size={18} />} data-testid="export-key-mode">
              {t('export.withKey')}
            </Alert>
            <Select
              label={t('export.alg')}
              description={t('export.algHint')}
              data={[...CLIENT_KEY_ALGS]}
              allowDeselect={false}
              {...form.getInputProps('alg')}
              data-testid="export-alg"
            />
          </>
        ) : secret === undefined ? (
          <Alert color="yellow" icon={<IconInfoCircle size={18} />} data-testid="export-without-secret">
            {t('export.withoutSecret')}
          </Alert>
        ) : (
          <Alert color="orange" icon={<IconInfoCircle size={18} />}>
            {t('export.withSecret')}
          </Alert>
        )}
        <ExportDestination />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('export.format')}
          </Text>
          <SegmentedControl
            aria-label={t('export.format')}
            data={FILE_FORMATS}
            {...form.getInputProps('format')}
            data-testid="export-format"
          />
        </Stack>
        <Switch
          label={t('export.encrypt')}
          description={t('export.encryptHint')}
          {...form.getInputProps('encrypt', { type: 'checkbox' })}
          data-testid="export-encrypt"
        />
        {form.values.encrypt && (
          <>
            <PasswordInput label={t('export.passphrase')} description={t('export.passphraseHint')} withAsterisk {...form.getInputProps('passphrase')} data-testid="export-passphrase" />
            <PasswordInput label={t('export.repeat')} withAsterisk {...form.getInputProps('repeat')} data-testid="export-passphrase-repeat" />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone} disabled={pending}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={pending} data-testid="export-submit">
            {t('export.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
