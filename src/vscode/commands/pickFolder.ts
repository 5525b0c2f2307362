// Which folder a command acts on: the one named, the only one, or the user's pick (multi-root).
import * as vscode from 'vscode';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';

export async function pickFolder(app: GoalpostApp, named?: unknown, options: { withGoal?: boolean } = {}): Promise<FolderGoal | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    await app.ui.warn(vscode.l10n.t('Goalpost needs a folder: open a folder (a git repository) first.'));
    return undefined;
  }
  if (typeof named === 'string' && named !== '') {
    const match = folders.find((f) => f.uri.fsPath === named || f.name === named) ?? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(named));
    if (!match) {
      await app.ui.error(vscode.l10n.t('Goalpost: {0} is not a folder of this workspace.', named));
      return undefined;
    }
    return app.folderGoal(match);
  }
  let candidates = [...folders];
  if (options.withGoal) {
    const loaded = await Promise.all(folders.map((f) => app.folderGoal(f)));
    const withGoal = loaded.filter((fg) => fg.goal !== null);
    if (withGoal.length === 0) {
      await app.ui.info(vscode.l10n.t('Goalpost: no goal is active. Set a goal first.'), vscode.l10n.t('Set Goal')).then((c) => {
        if (c) void vscode.commands.executeCommand('goalpost.setGoal');
      });
      return undefined;
    }
    if (withGoal.length === 1) return withGoal[0];
    candidates = withGoal.map((fg) => fg.folder);
  }
  if (candidates.length === 1) return app.folderGoal(candidates[0]);
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder?') });
  return picked ? app.folderGoal(picked) : undefined;
}
