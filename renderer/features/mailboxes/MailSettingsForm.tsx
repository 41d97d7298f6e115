import { Button, Group, NumberInput, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { MailSettingsInfo } from '../../../shared/mail.dto.js';
import { setMailSettingsInput } from '../../../shared/mail.schemas.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { formatCount } from '../../lib/format.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { notifySuccess } from '../../lib/notify.js';
import { useSetMailSettings } from './mail.queries.js';

interface Values {
  replyTo: string;
  footerText: string;
  footerHtml: string;
  /** Blank: no limit of its own. */
  dailyLimitPerUser: number | string;
  /** In KiB, as a person thinks of a message's size; main takes bytes. Blank: the default's. */
  maxMessageKib: number | string;
}

const KIB = 1024;

const valuesOf = (info: MailSettingsInfo): Values => ({
  replyTo: info.replyTo ?? '',
  footerText: info.footerText ?? '',
  footerHtml: info.footerHtml ?? '',
  dailyLimitPerUser: info.dailyLimitPerUser ?? '',
  maxMessageKib: info.maxMessageBytes === null ? '' : Math.round(info.maxMessageBytes / KIB),
});

const numberOrNull = (v: number | string): number | null => (v === '' ? null : typeof v === 'number' ? v : Number.NaN);

const toInput = (mailboxId: number | null) => (v: Values) => {
  const kib = numberOrNull(v.maxMessageKib);
  return {
    mailboxId,
    replyTo: v.replyTo.trim() === '' ? null : v.replyTo.trim(),
    footerText: v.footerText === '' ? null : v.footerText,
    footerHtml: v.footerHtml === '' ? null : v.footerHtml,
    dailyLimitPerUser: numberOrNull(v.dailyLimitPerUser),
    maxMessageBytes: kib === null ? null : kib * KIB,
  };
};

/** The schema's field for a form field, and back: only the size differs (KiB here, bytes in main). */
const fieldOf = (path: string) => (path === 'maxMessageBytes' ? 'maxMessageKib' : path);

/**
 * A mailbox's e-mail settings (the seed's "E-Mail" tab): reply-to, the footer appended to text and HTML
 * parts, a daily limit per API user and a maximum message size. Only what changed is sent, so the log
 * names exactly what the admin changed.
 */
export function MailSettingsForm({ info, canManage }: { info: MailSettingsInfo; canManage: boolean }) {
  const { t } = useTranslation(['mailboxes', 'common']);
  const save = useSetMailSettings();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(info),
    validate: zodValidate(setMailSettingsInput, toInput(info.mailboxId), fieldOf),
  });
  useUnsavedChanges(form.isDirty);
  const limitHint =
    info.mailboxId !== null && info.dailyLimitPerUser === null && info.effective.dailyLimitPerUser !== null
      ? t('mail.settings.dailyLimitDefault', { count: info.effective.dailyLimitPerUser })
      : t('mail.settings.dailyLimitHint');
  const sizeHint = t('mail.settings.maxSizeHint', { size: formatCount(Math.round(info.effective.maxMessageBytes / KIB)) });

  const submit = form.onSubmit(async (values) => {
    const input = toInput(info.mailboxId)(values);
    const saved = toInput(info.mailboxId)(valuesOf(info));
    const patch = Object.fromEntries(Object.entries(input).filter(([key, value]) => key === 'mailboxId' || saved[key as keyof typeof saved] !== value));
    try {
      const next = await save.mutateAsync(patch as typeof input);
      form.setValues(valuesOf(next));
      form.resetDirty(valuesOf(next));
      notifySuccess(info.address ? t('mail.settings.saved', { address: info.address }) : t('mail.settings.savedDefault'));
    } catch (error) {
      showServerError(form, error, fieldOf);
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="mail-settings-form">
      <Stack gap="sm">
        <TextInput
          label={t('mail.settings.replyTo')}
          description={t('mail.settings.replyToHint')}
          placeholder={t('mail.settings.replyToPlaceholder')}
          disabled={!canManage}
          {...form.getInputProps('replyTo')}
        />
        <Textarea
          label={t('mail.settings.footerText')}
          description={t('mail.settings.footerTextHint')}
          autosize
          minRows={2}
          maxRows={6}
          disabled={!canManage}
          {...form.getInputProps('footerText')}
        />
        <Textarea
          label={t('mail.settings.footerHtml')}
          description={t('mail.settings.footerHtmlHint')}
          autosize
          minRows={2}
          maxRows={6}
          // The HTML in a fixed-width font; the label and hint stay in the page's.
          styles={(theme) => ({ input: { fontFamily: theme.fontFamilyMonospace } })}
          disabled={!canManage}
          {...form.getInputProps('footerHtml')}
        />
        <Group align="flex-start" grow>
          <NumberInput
            label={t('mail.settings.dailyLimit')}
            description={limitHint}
            placeholder={t('mail.settings.noLimit')}
            clampBehavior="none"
            allowDecimal={false}
            disabled={!canManage}
            {...form.getInputProps('dailyLimitPerUser')}
          />
          <NumberInput
            label={t('mail.settings.maxSize')}
            description={sizeHint}
            placeholder={t('mail.settings.maxSizeDefault')}
            clampBehavior="none"
            allowDecimal={false}
            suffix={` ${t('mail.settings.kib')}`}
            disabled={!canManage}
            {...form.getInputProps('maxMessageKib')}
          />
        </Group>
        {canManage ? (
          <Group justify="flex-end" mt="xs">
            <Button variant="default" disabled={!form.isDirty() || save.isPending} onClick={() => form.reset()}>
              {t('mail.discard')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
              {t('mail.settings.save')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
