// Lint enforces the layers of ARCHITECTURE.md so nobody has to remember them:
// src/engine is pure (no vscode, no Node modules, nothing from the outer layers),
// adapters and the CLI never import vscode, and the webview only shares src/protocol.ts.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream',
  'events', 'util', 'url', 'readline', 'zlib', 'tty', 'process', 'buffer', 'worker_threads', 'timers',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.cache/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/engine is pure: reach VS Code through a port (src/engine/ports.ts).' },
          ...nodeBuiltins.map((name) => ({ name, message: 'src/engine is pure: reach Node through a port (src/engine/ports.ts).' })),
          { name: 'openai', message: 'src/engine is pure: the model is reached through the Model port.' },
          { name: 'simple-git', message: 'src/engine is pure: git is reached through the Git port.' },
        ],
        patterns: [
          { group: ['node:*'], message: 'src/engine is pure: reach Node through a port (src/engine/ports.ts).' },
          { group: ['**/adapters/**', '**/cli/**', '**/vscode/**', '**/webview/**'], message: 'Arrows point down only: src/engine imports nothing of the outer layers.' },
        ],
      }],
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only src/vscode may import vscode.' }],
        patterns: [{ group: ['**/vscode/**', '**/webview/**'], message: 'Adapters and the CLI never depend on the editor layer.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser: talk to the host through src/protocol.ts.' }],
        patterns: [{ group: ['**/engine/**', '**/adapters/**', '**/cli/**', '**/src/vscode/**', 'node:*'], message: 'The webview only shares src/protocol.ts with the host.' }],
      }],
    },
  },
);
