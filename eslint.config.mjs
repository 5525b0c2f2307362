// Lint enforces the layers of ARCHITECTURE.md so nobody has to remember them:
// src/engine is pure (no vscode, no Node modules, nothing from the outer layers),
// adapters and the CLI never import vscode, and the webview only shares src/protocol.ts.
// zod is imported as a namespace (the named `z` pulls every locale into a bundle), and what the
// webview bundles uses zod/mini.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream',
  'events', 'util', 'url', 'readline', 'zlib', 'tty', 'process', 'buffer', 'worker_threads', 'timers',
];

const zodNamedImport = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z']",
  message: "Import zod as a namespace (import * as z from 'zod'): the named `z` pulls all of zod's locales into the bundle.",
};
const fullZodInWebview = {
  selector: "ImportDeclaration[source.value=/^zod(\\/v4)?$/][importKind!='type']",
  message: "The webview bundles this file: use zod/mini. The host checks what the webview sends with full zod's messages (src/vscode/webviewInput.ts).",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.cache/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', zodNamedImport],
    },
  },
  {
    files: ['webview/**/*.ts', 'src/protocol.ts'],
    rules: {
      'no-restricted-syntax': ['error', zodNamedImport, fullZodInWebview],
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
