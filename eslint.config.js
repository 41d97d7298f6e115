import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import i18next from 'eslint-plugin-i18next';

// Each dangerous dependency has exactly one importer (STYLE §8); everything else is refused it here.
const ARGON2 = { name: 'argon2', message: 'Only electron/crypto/password.ts may import argon2.' };
const ELECTRON = { name: 'electron', message: 'Only the Electron entry files may import electron.' };
const JOSE = {
  name: 'jose',
  message: 'Only electron/crypto/token-signer.ts (our tokens) and client-keys.ts (clients\' public keys) may import jose (tests may: they play the integrator).',
};
const PG = {
  name: 'pg',
  message: 'Only electron/db/postgres.ts may import pg (tests and devkit/postgres-cluster.ts may: they run the throwaway cluster).',
};
const refuseImports = (...paths) => ({ 'no-restricted-imports': ['error', { paths }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.native/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      ...refuseImports(ARGON2, ELECTRON, JOSE, PG),
    },
  },
  // The one importer of each, which may still not import the others.
  { files: ['electron/crypto/password.ts'], rules: refuseImports(ELECTRON, JOSE, PG) },
  { files: ['electron/crypto/token-signer.ts', 'electron/crypto/client-keys.ts'], rules: refuseImports(ARGON2, ELECTRON, PG) },
  { files: ['electron/db/postgres.ts'], rules: refuseImports(ARGON2, ELECTRON, JOSE) },
  {
    files: ['electron/main.ts', 'electron/window.ts', 'electron/preload.ts', 'electron/ipc/electron-*.ts'],
    rules: refuseImports(ARGON2, JOSE, PG),
  },
  // Tests get tokens and check them as any OAuth client would, with a real library (STYLE §11).
  { files: ['test/**'], rules: refuseImports(ARGON2, ELECTRON) },
  // The throwaway cluster the tests and the benchmarks share.
  { files: ['devkit/**'], rules: refuseImports(ARGON2, ELECTRON, JOSE) },
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
    // The services are async over the Store port: a promise left un-awaited, tested in a condition or
    // spread is a check that never ran (an authorize, a "name taken") rather than a type error.
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Every word the renderer shows comes from its catalogues (renderer/i18n, English and German): a literal
    // string in JSX, as text or in an attribute, fails here. Typed, so an attribute whose type is a union of
    // string literals (Mantine's color="red", variant="light", size="sm", justify="flex-end") is a setting,
    // not a word, and passes by itself. Strings outside JSX are not checked here; the German journey
    // (test/e2e/german.spec.ts) catches any English that reaches the screen from there.
    files: ['renderer/**/*.tsx'],
    plugins: { i18next },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'should-validate-template': true,
          'jsx-attributes': {
            exclude: [
              // The plugin's own defaults (the option replaces them): markup and layout, never read by a person.
              'className', 'styleName', 'style', 'type', 'key', 'id', 'width', 'height',
              // Test hooks, read by the journeys only (testId: the same, passed through our components).
              'data-testid', 'testId',
              // A form control's value or a tab's id (value="profile"): an identifier, not a word.
              'value',
              // Mantine settings whose types are open strings, so the check above cannot tell: size="h4",
              // color="red", component="section".
              'size', 'color', 'component',
              // Routes and URLs: `to="/users"`, `href="#/log/retention"` name a place, not a word.
              'to', 'href',
              // What a form field posts and the browser's autofill hint: identifiers.
              'name', 'autoComplete',
              // A table column's field, a chart's data key, a list's id field: property names.
              'accessor', 'columnAccessor', 'dataKey', 'idAccessor',
              // Mantine styles and CSS values typed as plain strings (bg="var(--…)", miw="max-content").
              'bg', 'miw', 'maw', 'mih', 'h', 'w', 'c', 'ff', 'td', 'lang',
              // ARIA references to element ids (aria-labelledby="log-outcome-label"), not labels.
              'aria-labelledby', 'aria-describedby',
            ],
          },
          // In objects inside JSX: a select option's value, a chart series' data key and colour, a column's field.
          'object-properties': { exclude: ['[A-Z_-]+', 'value', 'name', 'color', 'accessor'] },
          // Literal arguments of these calls are not shown: i18n keys, query keys, navigation, logging.
          callees: { exclude: ['i18n(ext)?', 't', 'navigate', 'logHref', 'require', 'includes', 'startsWith', 'endsWith', 'getInputProps', 'setFieldValue', 'key', 'set', 'useCan', 'Number', 'String'] },
          // Text that is no word in any language: symbols and punctuation (—, ✓, ·, ×, →) and digits.
          words: { exclude: ['[0-9!-/:-@[-`{-~—–·×✓←→…%\\s]+'] },
        },
      ],
    },
  },
);
