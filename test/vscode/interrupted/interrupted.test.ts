// After a crash or reload, a goal that was pursuing is shown as interrupted and the user is asked
// "Resume goal?"; it does not resume by itself unless goalpost.autoResume is on.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { goalpostExports, waitFor, workspaceRoot } from '../goalpostExports';

describe('an interrupted goal after a restart', function () {
  this.timeout(60_000);

  it('activates because a goal is stored, asks "Resume goal?" and does not resume on its own', async () => {
    const extension = vscode.extensions.getExtension('goalpost.goalpost');
    assert.ok(extension);
    // workspaceContains:.goalpost/goal.json activated it before any test code touched it.
    await waitFor('activation by workspaceContains', () => extension.isActive, 10_000);
    const api = await goalpostExports();
    const prompt = await waitFor('the resume prompt', () => api.ui.shown.find((m) => /was interrupted/.test(m.text)));
    assert.match(prompt.text, /Resume goal\?/);
    assert.deepEqual(prompt.actions, ['Resume', 'Pause']);
    const goal = api.getGoal(workspaceRoot());
    assert.ok(goal);
    assert.equal(goal.id, 'g-interrupted');
    assert.equal(goal.status, 'pursuing');
    // Nothing runs while nobody answered: the loop is idle (whenIdle answers at once) and no iteration started.
    assert.equal((await api.whenIdle(workspaceRoot()))?.iteration, 0);
    assert.equal(api.getGoal(workspaceRoot())?.iteration, 0);
  });

  it('pauses the goal with a reason when the user answers Pause (by command, as the notification would)', async () => {
    const api = await goalpostExports();
    await vscode.commands.executeCommand('goalpost.pause', workspaceRoot());
    const goal = api.getGoal(workspaceRoot());
    assert.equal(goal?.status, 'paused');
    assert.ok(goal?.reason);
  });
});
