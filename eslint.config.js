// One lint setup for every workspace: ESLint's recommended rules plus
// typescript-eslint's, tuned to the house style (docs: ../shared/STYLE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/build/**', '**/dist/**', '.argus/**', 'test-output/**', 'native/test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', fetch: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', document: 'readonly', window: 'readonly', localStorage: 'readonly', EventSource: 'readonly', HTMLElement: 'readonly', navigator: 'readonly', location: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Closures wired before the value exists (broker ↔ router) read it later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Flags `let x = init` before a try that may reassign it; TS's definite-assignment checks cover the real bugs.
      'no-useless-assignment': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/testing/**', 'test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
