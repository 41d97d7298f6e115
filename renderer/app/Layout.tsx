import { Suspense, useEffect, useMemo } from 'react';
import { AppShell, Burger, Center, Group, Loader, Menu, NavLink, ScrollArea, Text, UnstyledButton, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconChevronDown,
  IconClockHour4,
  IconDeviceDesktop,
  IconKey,
  IconLock,
  IconLogout,
  IconMoon,
  IconPassword,
  IconSun,
  IconUserCircle,
} from '@tabler/icons-react';
import type { IdleLockMinutes } from '../../shared/domain.js';
import { IDLE_LOCK_CHOICES, writeIdleLockMinutes } from '../lib/idle-lock.js';
import { preloadPages } from './lazy-page.js';
import { HOME_PATH, matchRoute, ROUTES } from './routes.js';
import { navigate, usePath } from './router.js';
import { useSession } from './session.js';
import { PageErrorBoundary } from '../components/PageErrorBoundary.js';
import { ChangePasswordModal } from './auth/ChangePasswordModal.js';

/**
 * The colour scheme choices of the account menu. Mantine keeps the choice in local storage (its default
 * colour scheme manager), so it is remembered per browser/app install; "auto" follows the system.
 */
const SCHEMES: { value: MantineColorScheme; label: string; icon: typeof IconSun }[] = [
  { value: 'light', label: 'Light', icon: IconSun },
  { value: 'dark', label: 'Dark', icon: IconMoon },
  { value: 'auto', label: 'Follow the system', icon: IconDeviceDesktop },
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
    else document.title = `${match.route.title} · Keyrack`;
    close();
  }, [match, close, home]);
  const section = '/' + (path.split('/')[1] ?? '');

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Burger opened={navOpen} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Show navigation" />
            <IconKey size={24} stroke={1.6} aria-hidden />
            <Text fw={700}>Keyrack</Text>
          </Group>
          <Menu position="bottom-end" width={240} withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label="Account menu" data-testid="account-menu">
                <Group gap={6}>
                  <IconUserCircle size={22} stroke={1.5} aria-hidden />
                  <Text size="sm">{session.name}</Text>
                  <IconChevronDown size={14} aria-hidden />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Lock when idle for</Menu.Label>
              {IDLE_LOCK_CHOICES.map((minutes) => (
                <Menu.Item
                  key={minutes}
                  leftSection={<IconClockHour4 size={16} aria-hidden />}
                  rightSection={minutes === idleMinutes ? <Text size="xs">✓</Text> : null}
                  onClick={() => {
                    writeIdleLockMinutes(minutes);
                    onIdleMinutesChange(minutes);
                  }}
                >
                  {minutes === 60 ? '1 hour' : `${minutes} minute${minutes === 1 ? '' : 's'}`}
                </Menu.Item>
              ))}
              <Menu.Divider />
              <Menu.Label>Appearance</Menu.Label>
              {SCHEMES.map(({ value, label, icon: Icon }) => (
                <Menu.Item
                  key={value}
                  leftSection={<Icon size={16} aria-hidden />}
                  rightSection={value === colorScheme ? <Text size="xs">✓</Text> : null}
                  aria-checked={value === colorScheme}
                  onClick={() => setColorScheme(value)}
                >
                  {label}
                </Menu.Item>
              ))}
              <Menu.Divider />
              <Menu.Item leftSection={<IconPassword size={16} aria-hidden />} onClick={passwordModal.open}>
                Change password…
              </Menu.Item>
              <Menu.Item leftSection={<IconLock size={16} aria-hidden />} onClick={onLock}>
                Lock now
              </Menu.Item>
              <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={onLogout}>
                Log out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {navItems.map((route) => {
            const Icon = route.nav!.icon;
            return (
              <NavLink
                key={route.path}
                href={`#${route.path}`}
                label={route.nav!.label}
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

      <AppShell.Main>
        <PageErrorBoundary key={path}>
          <Suspense
            fallback={
              <Center py="xl">
                <Loader aria-label="Loading the page" />
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
