// What the panel's clicks do besides the goalpost.* commands: open a review note's file at its line,
// open a commit's review, open the goal template. The message was validated by the protocol already;
// these check what zod cannot (the folder is a workspace folder, the path stays inside it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GoalpostApp } from '../app';
import { openTemplate } from './startGoal';

/** The workspace folder whose path is exactly `folder`, or undefined. */
function workspaceFolder(folder: string): vscode.WorkspaceFolder | undefined {
  return (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.fsPath === folder);
}

/** The absolute file a note points at, or null when it would leave the folder or does not exist. */
export function resolveNotePath(folder: string, notePath: string): string | null {
  const target = path.resolve(folder, notePath);
  const relative = path.relative(folder, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  if (relative.split(path.sep)[0] === '.git') return null;
  try {
    // A symlink leading out of the folder is refused like a `..` path.
    const real = fs.realpathSync(target);
    const realFolder = fs.realpathSync(folder);
    if (real !== realFolder && !real.startsWith(realFolder + path.sep)) return null;
    return fs.statSync(real).isFile() ? target : null;
  } catch {
    return null;
  }
}

/** Opens the note's file with the cursor on its (1-based) line. */
export async function openReviewNote(app: GoalpostApp, folder: string, notePath: string, line: number): Promise<boolean> {
  if (!workspaceFolder(folder)) {
    app.log.warn(`panel: a note of an unknown folder was ignored: ${folder}`);
    return false;
  }
  const file = resolveNotePath(folder, notePath);
  if (!file) {
    await app.ui.warn(vscode.l10n.t('Goalpost: {0} is not a file in {1} (it may have been moved or deleted since the review).', notePath, path.basename(folder)));
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  // Notes count lines from 1; 0 means "the file as a whole".
  const index = Math.min(Math.max(line - 1, 0), Math.max(doc.lineCount - 1, 0));
  const position = new vscode.Position(index, 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), preview: false });
  return true;
}

/** Hands a commit to the commit review (goalpost.reviewCommits takes `(folder, sha)`). */
export async function openCommitReview(app: GoalpostApp, folder: string, sha: string): Promise<void> {
  if (!workspaceFolder(folder)) {
    app.log.warn(`panel: a commit of an unknown folder was ignored: ${folder}`);
    return;
  }
  await vscode.commands.executeCommand('goalpost.reviewCommits', folder, sha);
}

/** The empty state's goal template, in an untitled Markdown editor. */
export async function openGoalTemplate(): Promise<void> {
  await openTemplate();
}
