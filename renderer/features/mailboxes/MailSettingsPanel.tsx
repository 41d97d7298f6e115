import { Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify.js';
import { MailSettingsForm } from './MailSettingsForm.js';
import { UpstreamForm } from './UpstreamForm.js';
import { useMailSettings } from './mail.queries.js';

/** Loads a mailbox's (or the default) mail settings, then shows the part asked for. */
export function MailSettingsPanel({ mailboxId, part, canManage }: { mailboxId: number | null; part: 'upstream' | 'settings' | 'both'; canManage: boolean }) {
  const { t } = useTranslation('mailboxes');
  const settings = useMailSettings(mailboxId);
  if (settings.isPending) return <Loader size="sm" aria-label={t('mail.loading')} />;
  if (settings.isError)
    return (
      <Text c="red" role="alert">
        {errorMessage(settings.error)}
      </Text>
    );
  const info = settings.data;
  // Keyed by what is saved, so a form starts over when its settings change (saved here or by the CLI).
  const upstream = <UpstreamForm key={`u-${JSON.stringify(info.upstream)}`} info={info} canManage={canManage} />;
  const mail = (
    <MailSettingsForm
      key={`s-${JSON.stringify([info.replyTo, info.footerText, info.footerHtml, info.dailyLimitPerUser, info.maxMessageBytes])}`}
      info={info}
      canManage={canManage}
    />
  );
  if (part === 'upstream') return upstream;
  if (part === 'settings') return mail;
  return (
    <Stack gap="lg">
      <div>
        <Title order={3} size="h5" mb="xs">
          {t('mail.tab.upstream')}
        </Title>
        {upstream}
      </div>
      <div>
        <Title order={3} size="h5" mb="xs">
          {t('mail.tab.settings')}
        </Title>
        {mail}
      </div>
    </Stack>
  );
}
