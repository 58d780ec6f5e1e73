// Lint: typescript-eslint with type information, so that a forgotten promise is an error (it would
// swallow an exception in the extension host), a hard wall between src/core and the VS Code API, and one
// between what ships (src/) and what does not (tools/, test/).
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'src/core and tools/ must not import vscode: pass what you need in from src/vscode.' };
const noGlue = { group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'src/core and tools/ must not import the glue layer.' };
// A relative import that climbs out to tools/ or test/ (the only way src/ could reach them).
const noToolsOrTests = { regex: '^(\\.\\./)+(tools|test)(/|$)', message: 'src/ is what ships: it must not import tools/ or test/ (they import src/, never the reverse).' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'dist-tools/**', 'node_modules/**', '.vscode-test/**', 'test-output/**', 'test/fixtures/**', 'examples/**', '*.vsix', 'eslint.config.mjs', 'scripts/**', 'webview/vendor/**', 'webview/dist/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './tools/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noToolsOrTests] }] },
  },
  {
    // The core is plain TypeScript, testable in Node: it must never reach for the VS Code API. (This entry replaces
    // the one above for these files, so it repeats the src/ wall.)
    files: ['src/core/**/*.ts', 'src/cli.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noGlue, noToolsOrTests] }] },
  },
  {
    // The tools run in plain Node from the repository, on the core.
    files: ['tools/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noGlue] }] },
  },
);
