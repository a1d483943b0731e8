// Lint rules the brief asks for: no floating promises, exhaustive switches; and routes and
// commands that never reach into the store (they parse input, call a service, present).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'eslint.config.js', 'vitest.config.ts', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Routes and commands are thin: the store is the services' business (docs/ARCHITECTURE.md).
    // Type imports count too: what a route needs (Role, Notification, ...) services re-export.
    files: ['src/api/routes/**/*.ts', 'src/cli/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/**'],
              message: 'routes and commands do not import the store: call (or add) a use case in src/services/, which re-exports the types you need',
            },
          ],
        },
      ],
    },
  },
);
