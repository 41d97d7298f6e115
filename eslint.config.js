import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Each dangerous dependency has exactly one importer (STYLE §8); everything else is refused it here.
const ARGON2 = { name: 'argon2', message: 'Only electron/crypto/password.ts may import argon2.' };
const ELECTRON = { name: 'electron', message: 'Only the Electron entry files may import electron.' };
const JOSE = { name: 'jose', message: 'Only electron/crypto/token-signer.ts may import jose (tests may: they play the integrator).' };
const refuseImports = (...paths) => ({ 'no-restricted-imports': ['error', { paths }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...refuseImports(ARGON2, ELECTRON, JOSE),
    },
  },
  // The one importer of each, which may still not import the others.
  { files: ['electron/crypto/password.ts'], rules: refuseImports(ELECTRON, JOSE) },
  { files: ['electron/crypto/token-signer.ts'], rules: refuseImports(ARGON2, ELECTRON) },
  {
    files: ['electron/main.ts', 'electron/window.ts', 'electron/preload.ts', 'electron/ipc/electron-*.ts'],
    rules: refuseImports(ARGON2, JOSE),
  },
  // Tests get tokens and check them as any OAuth client would, with a real library (STYLE §11).
  { files: ['test/**'], rules: refuseImports(ARGON2, ELECTRON) },
  {
    // Type-aware: a promise nobody awaits loses its rejection (an unhandled rejection, or a silent failure).
    // Each tsconfig project answers for its own files; the three config files outside them use a default one.
    files: ['**/*.ts', '**/*.tsx'],
    // Declarations hold no statements; the two committed beside their sources are in no project.
    ignores: ['**/*.d.ts'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'playwright.config.ts', 'renderer/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
);
