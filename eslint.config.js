import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'argon2', message: 'Only electron/crypto/password.ts may import argon2.' },
            { name: 'electron', message: 'Only the Electron entry files may import electron.' },
          ],
        },
      ],
    },
  },
  {
    // The few files allowed to touch these dependencies (STYLE: each dangerous dependency has one importer).
    files: ['electron/crypto/password.ts', 'electron/main.ts', 'electron/window.ts', 'electron/preload.ts', 'electron/ipc/electron-*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
