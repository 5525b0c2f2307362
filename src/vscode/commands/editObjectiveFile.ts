// Edit Goal for a multi-line objective (F1.6): a one-line input box would drop its line breaks, so the
// objective opens in a real editor (a file under .goalpost/, never committed); saving it applies the
// edit, and the next turn is told the new objective supersedes the old one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { STATE_DIR } from '../../engine/loop/toolCapabilities';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';

const HEADER = '<!-- Goalpost: edit the objective below, then save (Ctrl+S / Cmd+S) to apply it. Close without saving to keep the current one. -->\n';

/** The objective as saved in the editing file (the instruction line removed). */
export function objectiveFromEditFile(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/^<!-- Goalpost:[^\n]*-->\n?/, '').trim();
}

/** Opens the objective in an editor; resolves once it is shown (the edit applies on save). */
export async function editObjectiveInEditor(app: GoalpostApp, fg: FolderGoal, objective: string): Promise<vscode.TextEditor> {
  const file = path.join(fg.root, STATE_DIR, 'objective.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${HEADER}${objective}\n`);
  const uri = vscode.Uri.file(file);
  const saved = vscode.workspace.onDidSaveTextDocument(async (doc) => {
    if (doc.uri.fsPath !== uri.fsPath) return;
    const text = objectiveFromEditFile(doc.getText());
    const current = fg.goal?.spec.objective;
    if (text === '' || text === current) return;
    try {
      await fg.controller.editObjective(text);
      await app.ui.info('Goalpost: objective updated. The next turn is told it supersedes the old one.');
    } catch (e) {
      await app.ui.error(`Goalpost: the objective was not changed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const closed = vscode.workspace.onDidCloseTextDocument((doc) => {
    if (doc.uri.fsPath !== uri.fsPath) return;
    saved.dispose();
    closed.dispose();
  });
  app.register({ dispose: () => { saved.dispose(); closed.dispose(); } });
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}
