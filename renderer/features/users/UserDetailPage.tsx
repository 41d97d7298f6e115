import { Alert, Badge, Button, Center, Group, Loader, Stack, Tabs, Text } from '@mantine/core';
import { IconActivity, IconFileText, IconKey, IconMail, IconNetwork, IconShieldCheck, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/call.js';
import { Link, navigate } from '../../app/router.js';
import { StatusBadge } from '../../components/badges.js';
import { PageHeader } from '../../components/PageHeader.js';
import { errorMessage } from '../../lib/notify.js';
import { ActivityTab } from './tabs/ActivityTab.js';
import { CredentialsTab } from './tabs/CredentialsTab.js';
import { GroupsTab } from './tabs/GroupsTab.js';
import { MailboxesTab } from './tabs/MailboxesTab.js';
import { NetworkTab } from './tabs/NetworkTab.js';
import { ProfileTab } from './tabs/ProfileTab.js';
import { useSession } from '../../app/session.js';
import { logHref } from '../log/log-url.js';
import { ProviderWordsMark } from './ProviderWordWarnings.js';
import { ResetPasswordButton } from './ResetPasswordButton.js';
import { useUser } from './users.queries.js';

const API_TABS = ['profile', 'groups', 'mailboxes', 'network', 'credentials', 'activity'] as const;
const PERSON_TABS = ['profile', 'groups', 'activity'] as const;

/** One user, in tabs; the tab is part of the URL (`#/users/12/credentials`) so it survives a reload. */
export function UserDetailPage({ id, tab }: { id: number; tab?: string }) {
  const user = useUser(id);
  const session = useSession();
  const { t } = useTranslation('users');

  if (user.isPending) {
    return (
      <Center h={200}>
        <Loader aria-label={t('detail.loading')} />
      </Center>
    );
  }
  if (user.isError) {
    const gone = user.error instanceof ApiError && user.error.code === 'not_found';
    return (
      <Alert color={gone ? 'gray' : 'red'} title={gone ? t('detail.noSuchUser') : t('detail.loadFailed')}>
        <Stack gap="xs">
          <Text size="sm">{gone ? t('detail.mayBeDeleted') : errorMessage(user.error)}</Text>
          <Link to="/users">{t('detail.backToUsers')}</Link>
        </Stack>
      </Alert>
    );
  }

  const u = user.data;
  const tabs: readonly string[] = u.kind === 'api' ? API_TABS : PERSON_TABS;
  const current = tab && tabs.includes(tab) ? tab : 'profile';

  return (
    <>
      <Link to="/users" size="sm">
        {t('detail.backLink')}
      </Link>
      <PageHeader
        title={
          <Group gap="sm">
            <span>{u.name}</span>
            <StatusBadge status={u.status} expired={u.expired} />
            <Badge variant="outline" color="gray">
              {t(`kind.${u.kind}`)}
            </Badge>
          </Group>
        }
        description={u.kind === 'api' ? (u.clientId ?? '') : (u.email ?? t('detail.administers'))}
        actions={
          <>
            {session.permissions.includes('log.view') ? (
              // Done by or concerning this user, by id: what they did and what was done to them.
              <Button component="a" href={`#${logHref({ involving: u.id })}`} variant="default" leftSection={<IconFileText size={16} aria-hidden />}>
                {t('detail.everythingInLog')}
              </Button>
            ) : null}
            {u.kind === 'person' && u.id !== session.userId && session.permissions.includes('users.manage') ? <ResetPasswordButton user={u} /> : null}
          </>
        }
      />
      <Tabs value={current} onChange={(next) => next && navigate(`/users/${u.id}/${next}`)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="profile" leftSection={<IconUser size={16} />}>
            {t('tab.profile')}
          </Tabs.Tab>
          <Tabs.Tab value="groups" leftSection={<IconShieldCheck size={16} />}>
            {u.kind === 'api' ? t('tab.groupsAndRights') : t('tab.groups')}
          </Tabs.Tab>
          {u.kind === 'api' && (
            <>
              <Tabs.Tab value="mailboxes" leftSection={<IconMail size={16} />}>
                {t('tab.mailboxes')}
              </Tabs.Tab>
              <Tabs.Tab value="network" leftSection={<IconNetwork size={16} />} rightSection={<ProviderWordsMark entries={u.allowlist.map((e) => e.entry)} />}>
                {t('tab.network')}
              </Tabs.Tab>
              <Tabs.Tab value="credentials" leftSection={<IconKey size={16} />}>
                {t('tab.credentials')}
              </Tabs.Tab>
            </>
          )}
          <Tabs.Tab value="activity" leftSection={<IconActivity size={16} />}>
            {t('tab.activity')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="profile">
          <ProfileTab user={u} />
        </Tabs.Panel>
        <Tabs.Panel value="groups">
          <GroupsTab user={u} />
        </Tabs.Panel>
        {u.kind === 'api' && (
          <>
            <Tabs.Panel value="mailboxes">
              <MailboxesTab user={u} />
            </Tabs.Panel>
            <Tabs.Panel value="network">
              <NetworkTab user={u} />
            </Tabs.Panel>
            <Tabs.Panel value="credentials">
              <CredentialsTab user={u} />
            </Tabs.Panel>
          </>
        )}
        <Tabs.Panel value="activity">
          <ActivityTab user={u} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
