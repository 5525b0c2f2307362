// Restricted Mode: Goalpost edits files and runs commands, so in an untrusted workspace its commands
// explain why they are disabled and nothing runs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { goalpostExports, workspaceRoot } from '../goalpostExports';

describe('Goalpost in an untrusted workspace', function () {
  this.timeout(60_000);

  it('runs in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('"Set Goal" explains why it is disabled and starts nothing', async () => {
    const api = await goalpostExports();
    const result = await vscode.commands.executeCommand('goalpost.setGoal', { objective: 'Add a multiply function to src/calc.js and keep all tests green', budget: 1000, startAnyway: true });
    assert.equal(result, undefined);
    const message = api.ui.shown.find((m) => /Restricted Mode/.test(m.text));
    assert.ok(message, `shown: ${JSON.stringify(api.ui.shown.map((m) => m.text))}`);
    assert.match(message.text, /trusted workspace/);
    assert.deepEqual(message.actions, ['Manage Workspace Trust']);
    assert.equal(api.getGoal(workspaceRoot()), null);
    assert.equal(fs.existsSync(path.join(workspaceRoot(), '.goalpost')), false, 'no state was written');
  });

  it('the API refuses too, with the reason', async () => {
    const api = await goalpostExports();
    await assert.rejects(api.setGoal({ objective: 'Add a multiply function to src/calc.js and keep all tests green' }), /trusted workspace/);
  });
});
