// ESLint flat config (npm run lint): ESLint's and typescript-eslint's recommended rules on the
// TypeScript sources, scripts and tests, with the project's one convention added: a name that starts
// with '_' is unused on purpose (an interface's parameter, a skipped tuple element), as tsc's
// noUnusedParameters already accepts. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'results/', 'models/', 'docs/reproduce/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // A file a reader can hold in mind and a function that fits on a screen (issue 10): over the
    // limits, split by meaning, a function per step named for the step. Tests may be longer.
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
);
