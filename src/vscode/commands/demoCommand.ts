// `Goalpost: Try the Offline Demo` (F11): a scripted session on the sample project, labelled DEMO, with
// real files, real checks and real commits on a `goalpost/demo-…` branch — no key, no network. In a
// window without the sample it creates one in the extension's storage and opens it; the demo then
// starts there by itself once the folder is open and trusted.
import * as vscode from 'vscode';
import { createSampleWorkspace, DemoFolderError, looksLikeSample, prepareDemoFolder } from '../../adapters/demo/sampleWorkspace';
import { isDemoGoal } from '../../engine/demo';
import type { Goal } from '../../engine/goal';
import type { GoalpostApp } from '../app';
import { statusName } from '../statusName';
import { requireTrust } from '../trust';

/** globalState key: the sample folder a demo should start in once it is opened. */
const PENDING_KEY = 'goalpost.demoPendingFolder';

const ENDED = new Set<Goal['status']>(['achieved', 'unmet', 'cleared']);

async function sampleFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file' && (await looksLikeSample(folder.uri.fsPath))) return folder;
  }
  return undefined;
}

/** Creates a fresh sample under the extension's storage and opens it in this window. */
async function openNewSample(app: GoalpostApp): Promise<undefined> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const dir = vscode.Uri.joinPath(app.context.globalStorageUri, `sample-${stamp}`);
  await createSampleWorkspace(dir.fsPath);
  await app.context.globalState.update(PENDING_KEY, dir.fsPath);
  await vscode.commands.executeCommand('vscode.openFolder', dir, { forceNewWindow: false });
  return undefined;
}

/** Runs the demo in `folder` (the sample). Resolves to the started goal, or undefined when cancelled. */
async function runDemoIn(app: GoalpostApp, folder: vscode.WorkspaceFolder): Promise<Goal | undefined> {
  const fg = await app.folderGoal(folder);
  const existing = fg.goal;
  if (existing && !ENDED.has(existing.status)) {
    if (!isDemoGoal(existing)) {
      const ok = await app.ui.confirm(vscode.l10n.t('A goal is still {0} in {1}. Clear it to play the demo here? Its commits and BACKLOG.md stay.', statusName(existing.status), folder.name), vscode.l10n.t('Clear and Play Demo'));
      if (!ok) return undefined;
    }
    await fg.controller.clear();
    app.goalChanged(fg, null);
  }
  try {
    await prepareDemoFolder(fg.root);
  } catch (e) {
    if (!(e instanceof DemoFolderError)) throw e;
    const fresh = vscode.l10n.t('Open a Fresh Sample');
    const choice = await app.ui.error(vscode.l10n.t('Goalpost: {0}', e.message), fresh);
    if (choice === fresh) await openNewSample(app);
    return undefined;
  }
  const goal = await fg.startDemo();
  app.log.info(`[${folder.name}] DEMO goal ${goal.id} started on ${goal.git.branch ?? 'the current branch'}: a scripted session, no model, no network`);
  void vscode.commands.executeCommand('goalpost.showPanel');
  void fg.controller.run().catch((e: unknown) => app.log.error(`[${folder.name}] DEMO: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  return goal;
}

export async function startDemo(app: GoalpostApp): Promise<Goal | undefined> {
  if (!(await requireTrust(app.ui))) return undefined;
  const folder = await sampleFolder();
  if (folder) return runDemoIn(app, folder);
  const open = await app.ui.confirm(
    vscode.l10n.t('DEMO: Goalpost plays a prepared session on its small sample project — no model, no network, no tokens billed; the files, checks and commits are real. The sample is not open in this window: create it and open it here?'),
    vscode.l10n.t('Open Sample Project'),
  );
  if (open) await openNewSample(app);
  return undefined;
}

/** In the sample project (`npm start`, or a sample the demo opened), the panel opens by itself. */
export async function showPanelInSample(): Promise<void> {
  if (await sampleFolder()) await vscode.commands.executeCommand('goalpost.showPanel');
}

/** After the window opened a sample for the demo (and it is trusted): start the demo there once. */
export async function startPendingDemo(app: GoalpostApp): Promise<void> {
  const pending = app.context.globalState.get<string>(PENDING_KEY);
  if (!pending || !vscode.workspace.isTrusted) return;
  const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.fsPath === pending);
  if (!folder) return;
  await app.context.globalState.update(PENDING_KEY, undefined);
  await runDemoIn(app, folder);
}
