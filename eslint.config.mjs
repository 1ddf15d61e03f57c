// ESLint flat config: typescript-eslint recommended, zero warnings allowed (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './scripts/eslint-layers.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.cache/**', 'test/fixtures/**', '.vscode-test/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The layers and the imports allowed between them (client -> protocol only; the engine and the
    // rules never import VS Code, the LSP, the CLI or the client...): see scripts/eslint-layers.mjs.
    files: ['client/src/**/*.ts', 'server/src/**/*.ts', 'rules/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
);
