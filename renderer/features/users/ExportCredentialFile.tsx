import { useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileExport, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { credentialExportInput } from '../../../shared/server.schemas.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { notifySuccess } from '../../lib/notify.js';
import { ExportDestination } from './ExportDestination.js';
import { useExportCredentialFile } from './credentials.queries.js';

interface Values {
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
  const exportFile = useExportCredentialFile();
  const { t } = useTranslation(['users', 'common']);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { format: 'json', encrypt: false, passphrase: '', repeat: '' },
    validate: (values) => {
      const errors = zodValidate(credentialExportInput, toInput(userId, secret))(values);
      if (values.encrypt && values.repeat !== values.passphrase) errors.repeat = t('export.passphrasesDiffer');
      return errors;
    },
  });

  const submit = form.onSubmit((values) =>
    exportFile.mutate(toInput(userId, secret)(values), {
      onSuccess: (result) => {
        if (!result.saved) return; // the admin cancelled the save dialog: nothing was written
        notifySuccess(
          t(result.containsSecret ? 'export.saved' : 'export.savedWithoutSecret', { file: result.fileName, path: result.path }),
          t('export.done'),
        );
        onDone();
      },
      onError: (error) => showServerError(form, error),
    }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {secret === undefined ? (
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
          <Button variant="default" onClick={onDone} disabled={exportFile.isPending}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={exportFile.isPending} data-testid="export-submit">
            {t('export.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
