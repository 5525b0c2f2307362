// Runs the UI tests (test/vscode/ui/*.test.mjs): mocha in this Node process, each test driving a real
// VS Code workbench in Chromium through playwright-core. Needs the build and the compiled test
// support: `npm run build && npx tsc -p tsconfig.json --outDir out` first.
//
//   node scripts/vscode-test/ui-tests.mjs [--grep PATTERN]
//
// Prints mocha's "N passing" / "N failing" lines; exit code 0 only when every test passed.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import { ensureHarness } from './install.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testsDir = join(repoRoot, 'test', 'vscode', 'ui');

const needed = ['dist/extension.js', 'dist/webview.js', 'out/test/support/scriptedServer.js'].map((f) => join(repoRoot, f));
const missing = needed.filter((f) => !existsSync(f));
if (missing.length > 0) {
  process.stderr.write(`[ui-tests] not built: ${missing.join(', ')}. Run \`npm run build && npx tsc -p tsconfig.json --outDir out\` first.\n`);
  process.exit(1);
}
// Installs (or finds cached) the VS Code server, Node 24 and Chromium before the clock of any test starts.
await ensureHarness();

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 240_000, forbidOnly: true, color: false, ...(grepAt >= 0 ? { grep: args[grepAt + 1] } : {}) });
// The commit review's UI test lives beside its extension-host tests.
for (const dir of [testsDir, join(repoRoot, 'test', 'vscode', 'review')]) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort()) mocha.addFile(join(dir, file));
}
await mocha.loadFilesAsync();
mocha.run((failures) => {
  process.exitCode = failures > 0 ? 1 : 0;
});
