// The in-editor suites. Each runs in its own server and a fresh copy of its workspace, so a later issue
// can add a suite with a different setup (a git repo, several folders, a goal in progress) here alone.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Makes the workspace a git repository with one commit (Goalpost commits every finished task). */
function gitInit(dir) {
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@localhost', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@localhost' } });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
}

/**
 * A goal left `pursuing` as a crash leaves it: the record on disk (built with the compiled engine, so it
 * matches the schema), no process running it.
 */
function interruptedGoal(dir) {
  const { newGoal } = require('../../out/src/engine/goal.js');
  const { STATE_DIR, statePath } = require('../../out/src/engine/stateFiles.js');
  const goal = newGoal({
    id: 'g-interrupted', folder: dir, tokenBudget: 100000, now: new Date().toISOString(),
    spec: { objective: 'Make add() in src/calc.js return the sum of its arguments', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: ['npm test'] },
    validation: { commands: ['npm test'], source: 'goal-file' },
  });
  goal.revision = 1;
  mkdirSync(join(dir, STATE_DIR), { recursive: true });
  writeFileSync(join(dir, statePath('goal')), JSON.stringify(goal, null, 2));
}

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
  goal: {
    description: 'whole goals run through the commands, pause/resume, terminal exit codes, secrets',
    workspace: 'test/vscode/fixtures/workspace',
    testsDir: 'goal',
    prepare: gitInit,
  },
  interrupted: {
    description: 'a goal left pursuing by a crash is offered for resume after activation',
    workspace: 'test/vscode/fixtures/workspace',
    testsDir: 'interrupted',
    prepare: (dir) => {
      gitInit(dir);
      interruptedGoal(dir);
    },
  },
  untrusted: {
    description: 'Restricted Mode: commands explain why they are disabled',
    workspace: 'test/vscode/fixtures/workspace',
    testsDir: 'untrusted',
    prepare: gitInit,
    workspaceTrust: true,
  },
  review: {
    description: 'inline review of agent commits: listing, multi-file diff, comment threads, send to agent, revert',
    workspace: 'test/vscode/fixtures/workspace',
    testsDir: 'review',
    // The tests run a CLI goal and an editor goal against the scripted model, so the commits are real.
    prepare: gitInit,
  },
  connection: {
    description: 'Goalpost: Test Connection (the panel\'s contract) against the scripted server',
    workspace: 'test/vscode/fixtures/workspace',
    testsDir: 'connection',
  },
};

/** Copies a suite's fixture into dir (which exists and is empty) and runs its prepare hook. */
export async function prepareWorkspace(repoRoot, suite, dir) {
  cpSync(join(repoRoot, suite.workspace), dir, { recursive: true });
  if (suite.prepare) await suite.prepare(dir);
}
