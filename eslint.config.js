// One linter for the whole tree: typescript-eslint's type-checked rules (floating and misused
// promises included), each file checked with the compiler settings of its own side (the browser's
// for apps/store-web/src, Node's for the rest), and the package boundaries of boundaries.js.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaryConfigs } from './boundaries.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'bench/results/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // An async function without await is how a Fastify handler or a fixture method returns a
      // promise; the two rules above are what catch a promise that is lost.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The store's web client runs in the browser, and takes the store API's types from its
    // contract, never its schemas: a value import would put TypeBox and every schema into the
    // browser bundle.
    files: ['apps/store-web/src/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@vestnik/store-api',
              allowTypeImports: true,
              message: 'Import the store API contract with `import type` only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript (this file and the boundaries table) has no types to check against.
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...boundaryConfigs(),
);
