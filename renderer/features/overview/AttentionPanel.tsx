import type { ReactNode } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClockExclamation, IconLock, IconPlugConnectedX, IconZzz } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Overview } from '../../../shared/log.dto.js';
import { Link } from '../../app/router.js';
import { formatCount, formatTime } from '../../lib/format.js';
import { logHref } from '../log/log-url.js';
import {
  denialGroupHref,
  expiringWhat,
  expiryColor,
  expiryText,
  failedLoginHref,
  firstOf,
  idleText,
  sourceIpHref,
  userHref,
} from './overview-model.js';
import { reasonLabel } from '../log/event-labels.js';
import { ProviderWordsWarnings } from './ProviderWordsWarnings.js';

/** Items shown per card; the rest are one link away. */
const MAX_ITEMS = 6;
/** Source addresses shown per group; all of them are in the log. */
const MAX_IPS = 4;

/**
 * What needs the admin's attention: provider words that match nothing (or an old list) when there are any,
 * then four cards, each item linking to the user or the filtered log.
 */
export function AttentionPanel({ overview }: { overview: Overview }) {
  const { t } = useTranslation(['overview', 'common']);
  const recentSince = overview.generatedAt - 24 * 3_600_000;
  return (
    <Stack gap="md">
      <ProviderWordsWarnings overview={overview} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" component="section" aria-label={t('attention.label')}>
        <ExpiringCard overview={overview} />
        <IdleCard overview={overview} />
        <DenialsCard overview={overview} since={recentSince} />
        <FailedLoginsCard overview={overview} since={recentSince} />
      </SimpleGrid>
    </Stack>
  );
}

function ExpiringCard({ overview }: { overview: Overview }) {
  const { t } = useTranslation(['overview', 'common']);
  const { shown, more } = firstOf(overview.expiring, MAX_ITEMS);
  return (
    <Card
      title={t('attention.expiring.title')}
      icon={<IconClockExclamation size={18} />}
      count={overview.expiring.length}
      color="orange"
      empty={t('attention.expiring.empty')}
      testId="attention-expiring"
      more={more > 0 ? <Link to="/users">{t('attention.moreUsers', { count: more })}</Link> : null}
    >
      {shown.map((item) => (
        <Item key={`${item.kind}-${item.secretId ?? item.userId}`}>
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Link to={userHref(item.userId, item.kind === 'secret' ? 'credentials' : undefined)} fw={500} truncate>
              {item.userName}
            </Link>
            {/* Wraps rather than cut: at 1024×768 the two cards a row left "Secret „Production server“ · keyrack-c…". */}
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {expiringWhat(item)}
              {item.clientId ? ` · ${item.clientId}` : ''}
            </Text>
          </Stack>
          <Tooltip label={t('common:status.expiresAt', { time: formatTime(item.expiresAt) })}>
            {/* max-content: "IN 9 DAYS" is the point; squeezed it read "IN 9 TA…" in German. */}
            <Badge color={expiryColor(item)} variant="light" miw="max-content">
              {expiryText(item)}
            </Badge>
          </Tooltip>
        </Item>
      ))}
    </Card>
  );
}

function IdleCard({ overview }: { overview: Overview }) {
  const { t } = useTranslation(['overview', 'common']);
  const { shown, more } = firstOf(overview.idleApiUsers, MAX_ITEMS);
  return (
    <Card
      title={t('attention.idle.title')}
      icon={<IconZzz size={18} />}
      count={overview.idleApiUsers.length}
      color="gray"
      empty={t('attention.idle.empty')}
      testId="attention-idle"
      more={more > 0 ? <Link to="/users">{t('attention.moreUsers', { count: more })}</Link> : null}
    >
      {shown.map((user) => (
        <Item key={user.userId}>
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Link to={userHref(user.userId)} fw={500} truncate>
              {user.name}
            </Link>
            <Text size="xs" c="dimmed" truncate>
              {user.clientId ?? t('attention.idle.noClientId')} · {t('attention.idle.created', { time: formatTime(user.createdAt) })}
            </Text>
          </Stack>
          <Link to={logHref({ targetUserId: user.userId })} size="sm" c="dimmed">
            {idleText(user, overview.generatedAt)}
          </Link>
        </Item>
      ))}
    </Card>
  );
}

function DenialsCard({ overview, since }: { overview: Overview; since: number }) {
  const { t } = useTranslation(['overview', 'common']);
  const { shown, more } = firstOf(overview.denials, MAX_ITEMS);
  const total = overview.denials.reduce((n, g) => n + g.count, 0);
  return (
    <Card
      title={t('attention.denials.title')}
      icon={<IconPlugConnectedX size={18} />}
      count={total}
      color="red"
      empty={t('attention.denials.empty')}
      testId="attention-denials"
      more={more > 0 ? <Link to={logHref({ type: 'token.denied', since })}>{t('attention.moreGroups', { count: more })}</Link> : null}
    >
      {shown.map((group) => (
        <FailureGroup
          key={`${group.userId ?? 'unknown'}-${group.reason}`}
          who={
            group.userId !== null ? (
              <Link to={userHref(group.userId)} fw={500} truncate>
                {group.userName ?? t('attention.denials.userNumber', { id: group.userId })}
              </Link>
            ) : (
              <Text fw={500} size="sm">
                {t('attention.denials.unknownClient')}
              </Text>
            )
          }
          group={group}
          since={since}
          href={denialGroupHref(group, since)}
          what="refused"
        />
      ))}
    </Card>
  );
}

function FailedLoginsCard({ overview, since }: { overview: Overview; since: number }) {
  const { t } = useTranslation(['overview', 'common']);
  const { shown, more } = firstOf(overview.failedLogins, MAX_ITEMS);
  const total = overview.failedLogins.reduce((n, g) => n + g.count, 0);
  return (
    <Card
      title={t('attention.logins.title')}
      icon={<IconLock size={18} />}
      count={total}
      color="red"
      empty={t('attention.logins.empty')}
      testId="attention-logins"
      more={more > 0 ? <Link to={logHref({ type: 'auth.login', outcome: 'failure', since })}>{t('attention.moreLog', { count: more })}</Link> : null}
    >
      {shown.map((group) => (
        <FailureGroup
          key={`${group.name}-${group.reason}`}
          who={
            <Text fw={500} size="sm" truncate>
              {group.name}
            </Text>
          }
          group={group}
          since={since}
          href={failedLoginHref(group, since)}
          what="failed"
        />
      ))}
    </Card>
  );
}

/**
 * One group of failures (refused token requests of an API user, failed logins of a name) for one reason:
 * who, why, from where, and how many, the count linking to exactly those events in the log.
 */
function FailureGroup(props: {
  who: ReactNode;
  group: { reason: string; sourceIps: string[]; count: number };
  since: number;
  href: string;
  what: 'refused' | 'failed';
}) {
  const { group } = props;
  const { t } = useTranslation(['overview', 'common']);
  return (
    <Item align="flex-start">
      <Stack gap={4} style={{ minWidth: 0 }}>
        {/* The reason goes under the name when both do not fit (at 1024×768 both were cut: "crm-s…", "Adresse nicht in der Zugriffsl…"). */}
        <Group gap={6}>
          {props.who}
          <Badge variant="light" color="red" tt="none" title={group.reason} maw="100%">
            {reasonLabel(group.reason)}
          </Badge>
        </Group>
        <IpList ips={group.sourceIps} since={props.since} />
      </Stack>
      <Link to={props.href} size="sm" fw={600} aria-label={t(`attention.${props.what}InLog`, { count: group.count })} style={{ whiteSpace: 'nowrap' }}>
        {formatCount(group.count)} ×
      </Link>
    </Item>
  );
}

/** Source addresses, each a link to everything that address did in the window. */
function IpList({ ips, since }: { ips: string[]; since: number }) {
  const { t } = useTranslation(['overview', 'common']);
  if (ips.length === 0) return null;
  const { shown, more } = firstOf(ips, MAX_IPS);
  return (
    <Group gap={6}>
      <Text size="xs" c="dimmed">
        {t('attention.from')}
      </Text>
      {shown.map((ip) => (
        <Link key={ip} to={sourceIpHref(ip, since)} size="xs" ff="monospace">
          {ip}
        </Link>
      ))}
      {more > 0 ? (
        <Text size="xs" c="dimmed">
          {t('attention.andMore', { count: more })}
        </Text>
      ) : null}
    </Group>
  );
}

interface CardProps {
  title: string;
  icon: ReactNode;
  count: number;
  color: string;
  empty: string;
  testId: string;
  more: ReactNode;
  children: ReactNode;
}

/** One attention card: a title with its count, the items, or a calm "nothing to do" line. */
function Card({ title, icon, count, color, empty, testId, more, children }: CardProps) {
  const { t } = useTranslation(['overview', 'common']);
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId} component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <ThemeIcon variant="light" color={count > 0 ? color : 'teal'} size="md" radius="md">
            {count > 0 ? icon : <IconCircleCheck size={18} />}
          </ThemeIcon>
          <Title order={2} size="h5">
            {title}
          </Title>
        </Group>
        {count > 0 ? (
          <Badge color={color} variant="filled" leftSection={<IconAlertTriangle size={12} />} style={{ flexShrink: 0 }} aria-label={t('attention.toLookAt', { count })}>
            {formatCount(count)}
          </Badge>
        ) : null}
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap="xs">
          {children}
          {more ? <Text size="sm">{more}</Text> : null}
        </Stack>
      )}
    </Paper>
  );
}

function Item({ children, align = 'center' }: { children: ReactNode; align?: 'center' | 'flex-start' }) {
  return (
    <Group justify="space-between" wrap="nowrap" align={align} gap="sm">
      {children}
    </Group>
  );
}
