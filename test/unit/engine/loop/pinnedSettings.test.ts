// Settings the agent could loosen by writing the file they come from (`.vscode/settings.json`) are pinned when
// a run starts and hold for it; the others stay live. BACKLOG.md's and the status log's paths stay inside the
// folder and out of .git/, .goalpost/ and .vscode/.
import assert from 'node:assert/strict';
import { GoalSession } from '../../../../src/engine/loop/session';
import type { EngineDeps } from '../../../../src/engine/loop/deps';
import { newGoal } from '../../../../src/engine/goal';
import { EngineSettings, parseSettings, RUN_PINNED_SETTINGS } from '../../../../src/engine/settings';
import { EDITOR_SETTINGS_FILE, protectingPattern } from '../../../../src/engine/protectedPaths';

describe('settings pinned for a run', () => {
  let live: EngineSettings;
  const session = (): GoalSession => {
    const goal = newGoal({ id: 'g-pin', folder: '/w', spec: { objective: 'o', acceptanceCriteria: [], nonGoals: [], constraints: [], validationCommands: [] }, tokenBudget: null, validation: { commands: [], source: 'none' }, now: '2026-12-02T00:00:00.000Z' });
    // Only settings() is used here.
    return new GoalSession(goal, { settings: () => live } as unknown as EngineDeps);
  };
  beforeEach(() => {
    live = EngineSettings.parse({});
  });

  it('holds the sandbox, the command lists, protected paths and the backlog path for the run; the rest stays live', () => {
    const s = session();
    s.pinRunSettings();
    live = { ...live, sandbox: 'off', sandboxNetwork: true, commandAllowList: ['*'], commandDenyList: [], protectedPaths: [], backlogPath: 'other.md', statusLogPath: 'moved.log', iterationDelayMs: 7 };
    const during = s.settings();
    assert.deepEqual([during.sandbox, during.sandboxNetwork, during.commandAllowList, during.backlogPath], ['workspace-write', false, [], 'BACKLOG.md']);
    assert.deepEqual([during.statusLogPath, during.iterationDelayMs], ['moved.log', 7], 'the others are read live');
    s.unpinRunSettings();
    assert.equal(s.settings().sandbox, 'off', 'the change applies once the run ended (the next run pins it)');
    assert.deepEqual([...RUN_PINNED_SETTINGS].sort(), ['backlogPath', 'commandAllowList', 'commandDenyList', 'protectedPaths', 'sandbox', 'sandboxNetwork']);
  });

  it('refuses a BACKLOG.md or status-log path outside the folder, in .git/, .goalpost/ or .vscode/, or with a control character or a space at an end, and names the setting', () => {
    for (const bad of ['../../.bashrc', '/etc/cron.d/x', '~/x', '~', 'a/../../x', '.git/hooks/post-commit', 'sub/.GIT/config', '.goalpost/goal.journal', '.vscode/settings.json', 'C:\\x', 'x.log\nsrc/', 'x\r', ' goal.log', 'goal.log ']) {
      const { settings, problems } = parseSettings({ statusLogPath: bad, backlogPath: bad });
      assert.deepEqual([settings.statusLogPath, settings.backlogPath], ['goal_status.log', 'BACKLOG.md'], bad);
      assert.deepEqual(problems.map((p) => p.setting).sort(), ['backlogPath', 'statusLogPath'], bad);
      assert.match(problems[0].message, /inside the goal's folder/);
    }
    assert.equal(parseSettings({ statusLogPath: 'logs/goal.log' }).settings.statusLogPath, 'logs/goal.log');
    assert.equal(parseSettings({ statusLogPath: '~goal.log' }).settings.statusLogPath, '~goal.log', 'a name starting with ~ is a file name');
  });

  it('keeps the editor\'s settings file out of the file tools\' reach', () => {
    assert.equal(protectingPattern('.vscode/settings.json', [EDITOR_SETTINGS_FILE]), EDITOR_SETTINGS_FILE);
    assert.equal(protectingPattern('sub/.vscode/settings.json', [EDITOR_SETTINGS_FILE]), null, 'anchored at the folder');
  });
});
