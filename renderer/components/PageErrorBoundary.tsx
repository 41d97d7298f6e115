import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';
import { i18n } from '../i18n/i18n.js';

interface Props {
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/**
 * Catches a page that fails to draw, above all one whose code chunk fails to load (a lazy page: React.lazy
 * keeps a failed load and throws it on every render). Without it React unmounts the whole app and the
 * window goes blank; with it the shell and navigation stay, and the page says what happened and offers a
 * reload. Layout keys it by the route, so going to another page starts over.
 */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    // A class component has no hook: its words come from the instance (Layout redraws it on a language switch).
    const t = i18n.getFixedT(null, 'common');
    return (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('pageError.title')} role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{error.message}</Text>
          <Text size="sm" c="dimmed">
            {t('pageError.hint')}
          </Text>
          <Button size="xs" variant="light" onClick={() => window.location.reload()}>
            {t('pageError.reload')}
          </Button>
        </Stack>
      </Alert>
    );
  }
}
