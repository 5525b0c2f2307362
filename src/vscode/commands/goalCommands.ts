// Set Goal, Set Goal from File, Edit Goal, Raise Budget, Re-plan.
import * as vscode from 'vscode';
import * as z from 'zod';
import { decodeGoalFile, GoalFileError, parseGoalFile, parseInlineObjective } from '../../engine/goalFile';
import type { GoalpostApp } from '../app';
import { pickFolder } from './pickFolder';
import { ensureModelAccess, openTemplate, startGoal } from './startGoal';
import { requireTrust } from '../trust';
import { commandRegistrar } from './registerCommand';
import { editObjectiveInEditor } from './editObjectiveFile';

/** Arguments automation may pass to `goalpost.setGoal` instead of answering prompts. */
const SetGoalArgs = z.object({
  objective: z.string().optional(),
  budget: z.number().int().nonnegative().nullable().optional(),
  folder: z.string().optional(),
  dirtyTree: z.enum(['snapshot', 'stash', 'refuse']).optional(),
  goalId: z.string().optional(),
  startAnyway: z.boolean().optional(),
}).strict();

async function setGoal(app: GoalpostApp, raw: unknown): Promise<unknown> {
  if (!(await requireTrust(app.ui))) return undefined;
  const parsed = SetGoalArgs.safeParse(raw ?? {});
  if (!parsed.success) {
    await app.ui.error(vscode.l10n.t('Goalpost: Set Goal got invalid arguments: {0}', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    return undefined;
  }
  const args = parsed.data;
  const fg = await pickFolder(app, args.folder);
  if (!fg) return undefined;
  let objective = args.objective;
  if (objective === undefined) {
    // The model is settled first, so a typed objective is never thrown away for a missing key.
    if (!(await ensureModelAccess(app))) return undefined;
    objective = await vscode.window.showInputBox({
      title: vscode.l10n.t('Goalpost: objective'),
      prompt: vscode.l10n.t('What should be true when the goal is achieved? Leave empty and press Enter to write a multi-line goal from a template.'),
      placeHolder: vscode.l10n.t('e.g. Make the date parser accept ISO week dates; all tests pass'),
      ignoreFocusOut: true,
    });
    if (objective === undefined) return undefined;
    if (objective.trim() === '') {
      await openTemplate();
      return undefined;
    }
  }
  return startGoal(app, fg, parseInlineObjective(objective), {
    budget: args.budget === 0 ? null : args.budget,
    dirtyTree: args.dirtyTree,
    goalId: args.goalId,
    startAnyway: args.startAnyway,
  });
}

async function setGoalFromFile(app: GoalpostApp, uri: unknown, raw: unknown): Promise<unknown> {
  if (!(await requireTrust(app.ui))) return undefined;
  let text: string | undefined;
  let target = uri instanceof vscode.Uri ? uri : undefined;
  if (!target) {
    const editor = vscode.window.activeTextEditor;
    if (editor && ['markdown', 'plaintext'].includes(editor.document.languageId)) {
      // Unsaved edits are taken as the editor shows them; a saved file is read as bytes (UTF-8 check).
      if (editor.document.isDirty || editor.document.isUntitled) text = editor.document.getText();
      target = editor.document.uri;
    } else {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Goal files')]: ['md', 'txt'] }, title: vscode.l10n.t('Goal file') });
      target = picked?.[0];
    }
  }
  if (!target) return undefined;
  const bytes = text === undefined ? await vscode.workspace.fs.readFile(target) : null;
  let spec;
  try {
    // The bytes, not an editor's decoding of them: a file that is not UTF-8 is refused with the offset.
    spec = parseGoalFile(bytes ? decodeGoalFile(bytes) : (text ?? ''));
  } catch (e) {
    if (e instanceof GoalFileError) {
      // The reason is the goal-file parser's (English, shared with the CLI).
      await app.ui.error(target.scheme === 'file'
        ? vscode.l10n.t('Goalpost: {0} cannot be used: {1}', target.fsPath, e.message)
        : vscode.l10n.t('Goalpost: this goal cannot be used: {0}', e.message));
      return undefined;
    }
    throw e;
  }
  const args = SetGoalArgs.safeParse(raw ?? {});
  const folderHint = args.success && args.data.folder ? args.data.folder : target.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath : undefined;
  const fg = await pickFolder(app, folderHint);
  if (!fg) return undefined;
  return startGoal(app, fg, spec, args.success ? { budget: args.data.budget === 0 ? null : args.data.budget, dirtyTree: args.data.dirtyTree, goalId: args.data.goalId, startAnyway: args.data.startAnyway } : {});
}

async function editGoal(app: GoalpostApp, folder: unknown, objectiveArg: unknown): Promise<unknown> {
  if (!(await requireTrust(app.ui))) return undefined;
  const fg = await pickFolder(app, folder, { withGoal: true });
  const goal = fg?.goal;
  if (!fg || !goal) return undefined;
  if (typeof objectiveArg !== 'string' && goal.spec.objective.includes('\n')) {
    // Several lines: edit them in an editor (a one-line box would glue the lines together).
    await editObjectiveInEditor(app, fg, goal.spec.objective);
    return undefined;
  }
  const objective = typeof objectiveArg === 'string' ? objectiveArg : await vscode.window.showInputBox({
    title: vscode.l10n.t('Goalpost: edit objective'),
    prompt: vscode.l10n.t('The next turn is told that the new objective supersedes the old one.'),
    value: goal.spec.objective,
    ignoreFocusOut: true,
  });
  if (objective === undefined || objective.trim() === '' || objective === goal.spec.objective) return undefined;
  return fg.controller.editObjective(objective);
}

/** A token count in the display language's number format (en-US when Intl does not know the language tag). */
function tokenCount(n: number): string {
  try {
    return n.toLocaleString(vscode.env.language);
  } catch {
    return n.toLocaleString('en-US');
  }
}

async function raiseBudget(app: GoalpostApp, folder: unknown, amount: unknown): Promise<unknown> {
  if (!(await requireTrust(app.ui))) return undefined;
  const fg = await pickFolder(app, folder, { withGoal: true });
  const goal = fg?.goal;
  if (!fg || !goal) return undefined;
  let budget: number | null;
  if (typeof amount === 'number' && Number.isInteger(amount) && amount >= 0) {
    budget = amount === 0 ? null : amount;
  } else {
    const current = goal.budget.tokenBudget ?? goal.usage.total.tokens;
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Goalpost: raise budget'),
      prompt: vscode.l10n.t('Used {0} tokens of {1}. New budget (0 = unlimited):', tokenCount(goal.usage.total.tokens), goal.budget.tokenBudget === null ? vscode.l10n.t('unlimited') : tokenCount(goal.budget.tokenBudget)),
      value: String(Math.max(current * 2, goal.usage.total.tokens + 100_000)),
      validateInput: (v) => (/^\d+$/.test(v.trim()) ? null : vscode.l10n.t('A whole number of tokens (0 = unlimited).')),
    });
    if (text === undefined) return undefined;
    budget = Number(text) === 0 ? null : Number(text);
  }
  const updated = await fg.controller.raiseBudget(budget);
  if (updated.status === 'budget-limited' || updated.status === 'paused') {
    const resumeLabel = vscode.l10n.t('Resume');
    const resume = typeof amount === 'number' ? resumeLabel : await app.ui.info(vscode.l10n.t('Goalpost: budget raised. Resume the goal now?'), resumeLabel);
    if (resume === resumeLabel) void fg.controller.resume();
  }
  return updated;
}

async function replan(app: GoalpostApp, folder: unknown): Promise<unknown> {
  if (!(await requireTrust(app.ui))) return undefined;
  const fg = await pickFolder(app, folder, { withGoal: true });
  if (!fg?.goal) return undefined;
  fg.controller.requestReplan();
  if (fg.goal.status === 'pursuing' && !fg.controller.isRunning) void fg.controller.run();
  await app.ui.info(vscode.l10n.t('Goalpost: the planner will re-plan the backlog before the next iteration.'));
  return fg.goal;
}

export function registerGoalCommands(app: GoalpostApp): void {
  const reg = commandRegistrar(app);
  reg('goalpost.setGoal', (a) => setGoal(app, a));
  reg('goalpost.setGoalFromFile', (uri, a) => setGoalFromFile(app, uri, a));
  reg('goalpost.editGoal', (f, o) => editGoal(app, f, o));
  reg('goalpost.raiseBudget', (f, n) => raiseBudget(app, f, n));
  reg('goalpost.replan', (f) => replan(app, f));
}
