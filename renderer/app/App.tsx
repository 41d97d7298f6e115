import { MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '../api/call.js';
import { AuthGate } from './auth/AuthGate.js';

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A refused or invalid call will not succeed on a retry; only transport hiccups might.
      retry: (count, error) => count < 2 && error instanceof ApiError && error.code === 'internal',
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    // "auto" follows the system's light or dark setting.
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <AuthGate />
      </QueryClientProvider>
    </MantineProvider>
  );
}
