// First tests inside a real extension host: the extension is found, activates, and every command the
// manifest promises is really registered (a missing registration is a palette entry that errors).
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { testLog } from '../testLog';

const EXTENSION_ID = 'goalpost.goalpost';

function goalpost(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded in the extension host`);
  return extension;
}

describe('Goalpost in a real extension host', () => {
  it('is loaded from the checkout under development', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(goalpost().extensionPath, 'package.json'), 'utf8')) as { name: string; publisher: string };
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  });

  it('activates without throwing', async () => {
    const extension = goalpost();
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command in package.json contributes.commands', async () => {
    const extension = goalpost();
    await extension.activate();
    const manifest = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('runs in the fixture workspace, trusted, in a remote (Node) extension host', () => {
    testLog(`      workspace.isTrusted = ${vscode.workspace.isTrusted}, remoteName = ${vscode.env.remoteName}, node ${process.version}`);
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    assert.ok(fs.existsSync(path.join(folders[0].uri.fsPath, 'README.md')), 'the fixture workspace has no README.md');
    // The harness starts the server with --disable-workspace-trust: the engine only runs when trusted (F10).
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(typeof process.versions.node, 'string');
  });
});
