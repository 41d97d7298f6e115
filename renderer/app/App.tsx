import { useMemo } from 'react';
import { Anchor, DEFAULT_THEME, Drawer, MantineProvider, Modal, Notification, PasswordInput, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/call.js';
import { currentLanguage } from '../i18n/i18n.js';
import { AuthGate } from './auth/AuthGate.js';

/** The theme, with the few words Mantine's components say themselves in the app's language. */
const themeIn = (words: { showPassword: string; closeDialog: string; closeNotification: string }) =>
  createTheme({
    primaryColor: 'indigo',
    // Filled buttons and badges: white text on shade 8 meets WCAG AA (4.5:1); on Mantine's default 6 it does not.
    primaryShade: { light: 8, dark: 8 },
    defaultRadius: 'sm',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    components: {
      // A link inside a sentence must not be told apart by its colour alone (WCAG 1.4.1).
      Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
      // Mantine names the eye button "Toggle password visibility" in English whatever the page's language.
      PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleButtonProps: { 'aria-label': words.showPassword } } }),
      // The × of dialogs, drawers and notifications had no name at all (axe-core: button-name, critical), so
      // a screen reader said only "button". Not plain "Close": dialogs with a Close button of their own keep one.
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': words.closeDialog } } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': words.closeDialog } } }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': words.closeNotification } } }),
    },
  });

/**
 * Text contrast to WCAG AA (4.5:1, checked by test/e2e/accessibility.spec.ts with axe-core). Mantine's
 * defaults fall short in a few places: dimmed text and placeholders (gray 6 and 5 on white, dark 2 and 3 on
 * dark), and the text of "light" badges and buttons on their tint (teal 9 on teal 1 is 4.3:1). Those take
 * darker greys in the light scheme and lighter ones in the dark; the light-variant, outline and link colours
 * of the light scheme are shade 9 darkened a little more (yellow and orange, whose shade 9 is still light,
 * much more).
 */
const DARKENED = { yellow: 45, orange: 30 } as Record<string, number>;
const darkText = (color: string) => `color-mix(in srgb, var(--mantine-color-${color}-9), black ${DARKENED[color] ?? 20}%)`;
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': '#6b7178',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-9)',
    ...Object.fromEntries(
      Object.keys(DEFAULT_THEME.colors).flatMap((color) => [
        [`--mantine-color-${color}-light-color`, darkText(color)],
        [`--mantine-color-${color}-outline`, darkText(color)],
        [`--mantine-color-${color}-text`, darkText(color)],
      ]),
    ),
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': '#9a9a9a',
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A refused or invalid call will not succeed on a retry; only transport hiccups might.
      retry: (count, error) => count < 2 && error instanceof ApiError && (error.code === 'internal' || error.code === 'unavailable'),
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  // Subscribes the whole tree to the language: a switch redraws every page in the new one at once.
  const { t } = useTranslation(['app', 'common']);
  const theme = useMemo(
    () => themeIn({ showPassword: t('showPassword'), closeDialog: t('common:closeDialog'), closeNotification: t('common:closeNotification') }),
    [t],
  );
  return (
    // "auto" follows the system's light or dark setting.
    <MantineProvider theme={theme} cssVariablesResolver={contrast} defaultColorScheme="auto">
      {/* The date pickers' month and day names in the app's language (dayjs's locale, set in i18n.ts). */}
      <DatesProvider settings={{ locale: currentLanguage() }}>
        <Notifications position="bottom-right" limit={4} />
        <QueryClientProvider client={queryClient}>
          <AuthGate />
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
