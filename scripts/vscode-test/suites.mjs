// The in-editor suites. Each runs in its own server and a fresh copy of its workspace, so a later issue
// can add a suite with a different setup (a git repo, several folders, a goal in progress) here alone.
import { cpSync } from 'node:fs';
import { join } from 'node:path';

/**
 * name → { description, workspace (fixture folder, relative to the repo), testsDir (folder under
 * out/test/vscode whose *.test.js run), prepare?(workspaceDir) (async, after the copy), env? }
 */
export const SUITES = {
  extension: {
    description: 'activation and command registration in the extension host',
    workspace: 'test/vscode/fixtures/workspace',
    testsDir: 'suite',
  },
};

/** Copies a suite's fixture into dir (which exists and is empty) and runs its prepare hook. */
export async function prepareWorkspace(repoRoot, suite, dir) {
  cpSync(join(repoRoot, suite.workspace), dir, { recursive: true });
  if (suite.prepare) await suite.prepare(dir);
}
