// For people with desktop VS Code and its downloads within reach; the project's own command
// (node scripts/vscode-test/run.mjs) does not use this file, because it runs where VS Code cannot be
// downloaded. Two ways in, after `npm run build && npm run compile-tests`:
//   npx @vscode/test-cli           — this default export (test-cli runs its own mocha over `files`)
//   node .vscode-test.mjs          — @vscode/test-electron with our mocha entry out/test/vscode/index.js
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const workspaceFolder = join(root, 'test', 'vscode', 'fixtures', 'workspace');

export default {
  label: 'extension',
  files: 'out/test/vscode/suite/**/*.test.js',
  workspaceFolder,
  mocha: { ui: 'bdd', timeout: 30000, forbidOnly: true },
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'vscode', 'index.js'),
      launchArgs: [workspaceFolder, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    console.error(`desktop VS Code tests failed: ${error?.message ?? error}`);
    process.exit(1);
  }
}
