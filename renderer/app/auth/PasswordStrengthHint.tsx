import { Progress, Stack, Text } from '@mantine/core';
import { passwordStrength } from '../../lib/password-strength.js';

export function PasswordStrengthHint({ password }: { password: string }) {
  const strength = passwordStrength(password);
  return (
    <Stack gap={4} aria-live="polite">
      <Progress value={(strength.score / 4) * 100 || 4} color={strength.color} size="sm" aria-label="Password strength" />
      <Text size="xs" c="dimmed" data-testid="password-strength">
        Strength: <b>{strength.label}</b>
        {strength.advice ? ` — ${strength.advice}` : ''}
      </Text>
    </Stack>
  );
}
