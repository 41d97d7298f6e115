import type { ReactNode } from 'react';
import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { PRODUCT_NAME } from '../../i18n/language.js';

/** The frame of the first-run and login screens. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Paper withBorder shadow="sm" radius="md" p="xl" w={420} maw="100%">
        <Stack gap="lg">
          <Group gap="xs">
            <IconKey size={28} stroke={1.6} aria-hidden />
            <Text fw={700} size="lg">
              {PRODUCT_NAME}
            </Text>
          </Group>
          <div>
            <Title order={2} size="h3">
              {title}
            </Title>
            <Text c="dimmed" size="sm" mt={4}>
              {subtitle}
            </Text>
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
