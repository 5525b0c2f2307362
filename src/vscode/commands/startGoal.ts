// The shared start flow of Set Goal, Set Goal from File and the API: key check, budget, quality
// warnings, git readiness (repository, dirty tree), then start and run in the background.
import * as vscode from 'vscode';
import type { Goal, GoalSpec } from '../../engine/goal';
import { EngineError } from '../../engine/errors';
import { assessGoal, GOAL_TEMPLATE } from '../../engine/goalQuality';
import { resolveValidation } from '../../engine/validationDetect';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';
import { readBaseUrl, readSettings } from '../config';
import { isLocalUrl } from '../../adapters/openaiModel';
import { reportError } from './reportError';
import { shorten } from '../../engine/text';
import { statusName } from '../statusName';

export interface StartOptions {
  budget?: number | null;
  dirtyTree?: 'snapshot' | 'stash' | 'refuse';
  goalId?: string;
  /** Skip the quality warnings' question (automation). */
  startAnyway?: boolean;
  /** No UI at all: anything that would ask fails with a clear error (the API). */
  noUi?: boolean;
}

/** True when a key is set or not needed; otherwise leads the user to set one. */
export async function ensureModelAccess(app: GoalpostApp, noUi = false): Promise<boolean> {
  const baseUrl = readBaseUrl() || process.env.OPENAI_BASE_URL || '';
  if (baseUrl !== '' && isLocalUrl(baseUrl)) return true;
  if ((await app.keys.get()) || process.env.OPENAI_API_KEY) return true;
  if (noUi) throw new EngineError('bad-input', 'No API key: run "Goalpost: Set API Key", or set goalpost.baseUrl to a local OpenAI-compatible server.');
  // Asked before the objective (a modal, so it cannot vanish): once a key is set, Set Goal goes on.
  const [setKey, local, demo] = [vscode.l10n.t('Set API Key'), vscode.l10n.t('Use Local Server'), vscode.l10n.t('Try the Offline Demo')];
  const choice = await app.ui.message(
    'warning',
    vscode.l10n.t('Goalpost needs a model: an OpenAI API key, or a local OpenAI-compatible server such as Ollama or LM Studio (no key needed). The offline demo needs neither.'),
    [setKey, local, demo],
    true,
  );
  if (choice === setKey) return (await vscode.commands.executeCommand('goalpost.setApiKey')) === true;
  if (choice === local) await vscode.commands.executeCommand('goalpost.showPanel');
  if (choice === demo) await vscode.commands.executeCommand('goalpost.startDemo');
  return false;
}

export async function askBudget(fg: FolderGoal): Promise<number | null | undefined> {
  const fallback = readSettings(fg.folder.uri).defaultTokenBudget;
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Goalpost: token budget'),
    prompt: vscode.l10n.t('Tokens the goal may spend, counted as (input − cached input) + output over every role. 0 = unlimited.'),
    value: String(fallback),
    // The objective was typed a moment ago: a focus change (a view loading late, a click elsewhere) must not
    // dismiss this box and silently throw it away.
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d+$/.test(v.trim()) ? null : vscode.l10n.t('A whole number of tokens (0 = unlimited).')),
  });
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return n === 0 ? null : n;
}

/** Opens the goal template (with `objective` filled in) in an untitled Markdown editor (English: its headings are what the goal-file parser reads). */
export async function openTemplate(objective = ''): Promise<void> {
  const content = objective ? GOAL_TEMPLATE.replace(/^# .*$/m, `# ${objective.split('\n')[0]}`) : GOAL_TEMPLATE;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc);
  void vscode.window.showInformationMessage(vscode.l10n.t('Write the goal, then run "{0}" with this editor active.', vscode.l10n.t('Goalpost: Set Goal from File')));
}

/**
 * Makes the folder ready for commits: a repository with a first commit and a clean tree (asking). The
 * folder's own git client and the engine's dirty check answer, so the editor asks exactly when the CLI
 * would refuse (a subfolder goal sees only its subfolder; Goalpost's own files never count).
 */
async function prepareGit(app: GoalpostApp, fg: FolderGoal, options: StartOptions): Promise<'snapshot' | 'refuse' | undefined> {
  const { git } = fg;
  if (!(await git.isRepo())) {
    if (options.noUi) throw new EngineError('not-a-repo', `${fg.root} is not a git repository. Run git init and commit first.`);
    const init = vscode.l10n.t('Initialize Repository');
    const choice = await app.ui.message('warning', vscode.l10n.t('Goalpost commits every finished task, so {0} must be a git repository.', fg.folder.name), [init], true);
    if (choice !== init) return undefined;
    await git.init();
    options = { ...options, dirtyTree: 'snapshot' };
  }
  if (!(await fg.controller.hasUncommittedChanges())) return 'refuse';
  let answer = options.dirtyTree;
  if (!answer) {
    if (options.noUi) return 'refuse';
    const [snapshot, stash] = [vscode.l10n.t('Commit Snapshot'), vscode.l10n.t('Stash Changes')];
    const choice = await app.ui.message(
      'warning',
      vscode.l10n.t('{0} has uncommitted changes. Commit them as a snapshot, stash them, or cancel — so the agent\'s commits stay reviewable.', fg.folder.name),
      [snapshot, stash],
      true,
    );
    answer = choice === snapshot ? 'snapshot' : choice === stash ? 'stash' : undefined;
  }
  if (answer === 'stash') {
    await git.stash('Goalpost: stashed before goal');
    return 'refuse';
  }
  return answer;
}

export async function startGoal(app: GoalpostApp, fg: FolderGoal, spec: GoalSpec, options: StartOptions): Promise<Goal | undefined> {
  if (!(await ensureModelAccess(app, options.noUi))) return undefined;
  const existing = await fg.controller.reload();
  if (existing && !['achieved', 'unmet', 'cleared'].includes(existing.status)) {
    if (options.noUi) throw new EngineError('goal-exists', `Goal ${existing.id} is still ${existing.status} in ${fg.folder.name}. Clear it first.`);
    // Questions that decide something are modal (with Cancel): a toast that vanishes made Set Goal look dead.
    const clear = vscode.l10n.t('Clear and Continue');
    const question = vscode.l10n.t('A goal is still {0} in {1}: “{2}”. Clear it to set the new one? Its commits and BACKLOG.md stay.', statusName(existing.status), fg.folder.name, shorten(existing.spec.objective, 60));
    const choice = await app.ui.message('warning', question, [clear], true);
    if (choice !== clear) return undefined;
    await fg.controller.clear();
  }
  let budget = options.budget;
  if (budget === undefined) {
    budget = options.noUi ? readSettings(fg.folder.uri).defaultTokenBudget || null : await askBudget(fg);
    if (budget === undefined) {
      app.log.info('Set Goal: the budget prompt was dismissed; no goal was set.');
      return undefined;
    }
  }
  const settings = readSettings(fg.folder.uri);
  const validation = await resolveValidation({ spec, settingsCommands: settings.validationCommands, files: fg.controller.deps.workspace });
  const warnings = assessGoal(spec, validation);
  if (warnings.length > 0 && !options.startAnyway && !options.noUi) {
    // The warnings are the engine's goal-quality checks (English, shared with the CLI).
    const [anyway, edit] = [vscode.l10n.t('Start Anyway'), vscode.l10n.t('Edit')];
    const choice = await app.ui.message('warning', vscode.l10n.t('Goalpost: {0}', warnings.map((w) => w.message).join(' ')), [anyway, edit], true);
    if (choice === edit) await openTemplate(spec.objective);
    if (choice !== anyway) return undefined;
  }
  const dirty = await prepareGit(app, fg, options);
  if (dirty === undefined) return undefined;
  const goal = await fg.controller.start({ spec, tokenBudget: budget, id: options.goalId, dirtyTree: dirty });
  const warning = fg.sandboxWarning();
  if (warning && settings.sandbox !== 'off') void app.ui.warn(warning);
  // A loop that stops on an error (a full disk…) is told to the user, not only logged.
  void fg.controller.run().catch((e: unknown) => reportError(app, `[${fg.folder.name}] goal run`, e));
  return goal;
}
