// Shared by the in-editor suites: the activated extension's exports and the workspace folder.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GoalpostExports } from '../../src/vscode/extension';

export async function goalpostExports(): Promise<GoalpostExports> {
  const extension = vscode.extensions.getExtension<GoalpostExports>('goalpost.goalpost');
  assert.ok(extension, 'the Goalpost extension is not loaded');
  return extension.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs an open folder');
  return folder.uri.fsPath;
}

/** Polls until `check` returns a value (not undefined/false) or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
