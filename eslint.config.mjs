// Lint: typescript-eslint with type information, so that a forgotten promise is an error (it would
// swallow an exception in the extension host), and a hard wall between src/core and the VS Code API.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', 'test/fixtures/**', 'examples/**', '*.vsix', 'eslint.config.mjs', 'scripts/**', 'webview/vendor/**', 'webview/dist/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'smart'],
    },
  },
  {
    // The core is plain TypeScript, testable in Node: it must never reach for the VS Code API.
    files: ['src/core/**/*.ts', 'src/cli.ts', 'src/bench.ts', 'src/benchNative.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not import vscode: pass what you need in from src/vscode.' }], patterns: [{ group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'src/core must not import the glue layer.' }] }],
    },
  },
);
