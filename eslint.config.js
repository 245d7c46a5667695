import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/** Only the Electron shell may touch Electron; everything else must run in plain Node, the CLI and tests. */
const ELECTRON_SHELL_FILES = ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', '.workspace/**', '**/.scratch/**', '.venv-bench/**', '.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/main.ts, preload.ts and ipc.ts may import electron.' }],
          patterns: [{ group: ['electron/*'], message: 'Only the Electron shell files may import electron.' }],
        },
      ],
    },
  },
  { files: ELECTRON_SHELL_FILES, rules: { 'no-restricted-imports': 'off' } },
  {
    // No import circles in the engine: a module's dependencies must be readable before the module itself.
    // (import-x skips `import type`; scripts/check-import-circles.mjs, run by `npm run lint`, covers those too.)
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'models/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json', '.node'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'electron'], message: 'The renderer never sees Node or Electron APIs.' },
            { group: ['**/electron/**'], message: 'The renderer talks to the engine only through lib/client.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
