import { Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { AppShell, Burger, Center, Group, Loader, Menu, NavLink, ScrollArea, Text, UnstyledButton, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import {
  IconChevronDown,
  IconClockHour4,
  IconDeviceDesktop,
  IconKey,
  IconLanguage,
  IconLock,
  IconLogout,
  IconMoon,
  IconPassword,
  IconSun,
  IconUserCircle,
} from '@tabler/icons-react';
import type { IdleLockMinutes } from '../../shared/domain.js';
import { IDLE_LOCK_CHOICES, writeIdleLockMinutes } from '../lib/idle-lock.js';
import { currentLanguage, setLanguage } from '../i18n/i18n.js';
import { LANGUAGES, PRODUCT_NAME } from '../i18n/language.js';
import { preloadPages } from './lazy-page.js';
import { HOME_PATH, matchRoute, ROUTES } from './routes.js';
import { navigate, usePath } from './router.js';
import { useSession } from './session.js';
import { PageErrorBoundary } from '../components/PageErrorBoundary.js';
import { ChangePasswordModal } from './auth/ChangePasswordModal.js';
import { MAIN_CONTENT_ID, SkipLink } from './SkipLink.js';
import { LeaveQuestion } from './LeaveQuestion.js';

/**
 * The colour scheme choices of the account menu. Mantine keeps the choice in local storage (its default
 * colour scheme manager), so it is remembered per browser/app install; "auto" follows the system.
 */
const SCHEMES: { value: MantineColorScheme; icon: typeof IconSun }[] = [
  { value: 'light', icon: IconSun },
  { value: 'dark', icon: IconMoon },
  { value: 'auto', icon: IconDeviceDesktop },
];

/** How long after the shell first draws the other pages' code starts loading. */
const PRELOAD_AFTER_MS = 3_000;

interface LayoutProps {
  onLock: () => void;
  onLogout: () => void;
  idleMinutes: IdleLockMinutes;
  onIdleMinutesChange: (minutes: IdleLockMinutes) => void;
}

export function Layout({ onLock, onLogout, idleMinutes, onIdleMinutesChange }: LayoutProps) {
  const session = useSession();
  const path = usePath();
  const [navOpen, { toggle, close }] = useDisclosure(false);
  const [passwordOpen, passwordModal] = useDisclosure(false);
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const { t } = useTranslation('app');
  const language = currentLanguage();

  const match = useMemo(() => matchRoute(path), [path]);

  // The other pages' code loads a little after the first screen, when the browser has nothing else to do,
  // so moving to them later does not wait for a download. Not at once: the browser is idle while the first
  // page waits for its data, and compiling forty chunks then delayed drawing that data when it came.
  useEffect(() => {
    let idle: number | undefined;
    const later = setTimeout(() => (idle = requestIdleCallback(preloadPages, { timeout: 5_000 })), PRELOAD_AFTER_MS);
    return () => {
      clearTimeout(later);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, []);

  const navItems = ROUTES.filter((r) => r.nav && (!r.permission || session.permissions.includes(r.permission))).sort(
    (a, b) => a.nav!.order - b.nav!.order,
  );
  // The overview needs log.view; a person without it starts on the first page they may open.
  const home = navItems.some((r) => r.path === HOME_PATH) ? HOME_PATH : (navItems[0]?.path ?? HOME_PATH);

  useEffect(() => {
    if (!match) navigate(home);
    else document.title = `${t(`routes.${match.route.title}`)} · ${PRODUCT_NAME}`;
    close();
  }, [match, close, home, t]);
  const section = '/' + (path.split('/')[1] ?? '');
  // One page, whichever of its tabs or filters the URL names: the error boundary below starts over for another
  // page, not for a tab. Keyed by the whole path, a user's tabs remounted on every switch and the arrow keys
  // lost the focus after one step.
  const pageKey = match ? `${match.route.title}:${match.params.id ?? ''}` : path;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="lg">
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={navOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('layout.showNavigation')} />
            <IconKey size={24} stroke={1.6} aria-hidden />
            <Text fw={700}>{PRODUCT_NAME}</Text>
          </Group>
          <Menu position="bottom-end" width={240} withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label={t('layout.accountMenu')} data-testid="account-menu">
                <Group gap={6}>
                  <IconUserCircle size={22} stroke={1.5} aria-hidden />
                  <Text size="sm">{session.name}</Text>
                  <IconChevronDown size={14} aria-hidden />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('layout.lockWhenIdle')}</Menu.Label>
              {IDLE_LOCK_CHOICES.map((minutes) => (
                <ChoiceItem
                  key={minutes}
                  icon={IconClockHour4}
                  chosen={minutes === idleMinutes}
                  onClick={() => {
                    writeIdleLockMinutes(minutes);
                    onIdleMinutesChange(minutes);
                  }}
                >
                  {minutes === 60 ? t('layout.oneHour') : t('layout.minutes', { count: minutes })}
                </ChoiceItem>
              ))}
              <Menu.Divider />
              <Menu.Label>{t('layout.appearance')}</Menu.Label>
              {SCHEMES.map(({ value, icon }) => (
                <ChoiceItem key={value} icon={icon} chosen={value === colorScheme} onClick={() => setColorScheme(value)}>
                  {t(`layout.scheme.${value}`)}
                </ChoiceItem>
              ))}
              <Menu.Divider />
              {/* Each language is named in itself, so a person who cannot read the current one still finds theirs. */}
              <Menu.Label>{t('layout.language')}</Menu.Label>
              {LANGUAGES.map((value) => (
                <ChoiceItem key={value} icon={IconLanguage} chosen={value === language} onClick={() => setLanguage(value)} lang={value} data-testid={`language-${value}`}>
                  {t(`layout.languageName.${value}`)}
                </ChoiceItem>
              ))}
              <Menu.Divider />
              <Menu.Item leftSection={<IconPassword size={16} aria-hidden />} onClick={passwordModal.open}>
                {t('layout.changePassword')}
              </Menu.Item>
              <Menu.Item leftSection={<IconLock size={16} aria-hidden />} onClick={onLock}>
                {t('layout.lockNow')}
              </Menu.Item>
              <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={onLogout}>
                {t('layout.logOut')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label={t('layout.mainNavigation')}>
        <ScrollArea>
          {navItems.map((route) => {
            const Icon = route.nav!.icon;
            return (
              <NavLink
                key={route.path}
                href={`#${route.path}`}
                label={t(`routes.${route.nav!.label}`)}
                leftSection={<Icon size={18} stroke={1.6} />}
                active={section === route.path}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              />
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>

      <ChangePasswordModal opened={passwordOpen} onClose={passwordModal.close} />
      <LeaveQuestion />

      {/* tabIndex -1: the skip link's target takes the focus from script, never from Tab. */}
      <AppShell.Main id={MAIN_CONTENT_ID} tabIndex={-1}>
        <PageErrorBoundary key={pageKey}>
          <Suspense
            fallback={
              <Center py="xl">
                <Loader aria-label={t('layout.loadingPage')} />
              </Center>
            }
          >
            {match ? match.route.render(match.params) : null}
          </Suspense>
        </PageErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}

interface ChoiceItemProps {
  icon: typeof IconSun;
  /** The current choice of its group: ticked. */
  chosen: boolean;
  onClick: () => void;
  children: ReactNode;
  lang?: string;
  'data-testid'?: string;
}

/** One choice of the account menu's groups (idle lock, colour scheme, language), ticked when it is the current one. */
function ChoiceItem({ icon: Icon, chosen, children, ...rest }: ChoiceItemProps) {
  return (
    <Menu.Item leftSection={<Icon size={16} aria-hidden />} rightSection={chosen ? <Text size="xs">✓</Text> : null} aria-checked={chosen} {...rest}>
      {children}
    </Menu.Item>
  );
}
