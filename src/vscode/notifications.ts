// Notifications when a goal reaches achieved / unmet / budget-limited / paused by an error, each with
// the actions that fit.
// The pure half of the editor's notifications (unit-tested without VS Code), so its strings go through
// @vscode/l10n, which extension.ts configures with the bundle VS Code loaded (vscode.l10n.bundle).
import * as l10n from '@vscode/l10n';
import { shorten } from '../engine/text';
import type { Goal } from '../engine/goal';
import type { Ui } from './ui';

/**
 * Pauses the user asked for are not news; pauses by a model failure or a fault are. Decided from the pause's
 * cause (data the engine records, PRODUCT.md F3; a record from before causes existed gets one at load).
 */
function isUserPause(goal: Pick<Goal, 'pause'>): boolean {
  return goal.pause?.cause === 'user' || goal.pause?.cause === 'interrupted';
}

/** The model refused the key: the way on is Set API Key, not the endpoint settings. */
function needsKey(goal: Pick<Goal, 'pause'>): boolean {
  return goal.pause?.cause === 'model-error' && goal.pause.errorKind === 'auth';
}

/** The actions the notifications offer, each with the command it runs. */
const ACTIONS = {
  setApiKey: { command: 'goalpost.setApiKey', label: () => l10n.t('Set API Key') },
  openSettings: { command: 'goalpost.openModelSettings', label: () => l10n.t('Open Settings') },
  reviewCommits: { command: 'goalpost.reviewCommits', label: () => l10n.t('Review Commits') },
  raiseBudget: { command: 'goalpost.raiseBudget', label: () => l10n.t('Raise Budget') },
  resume: { command: 'goalpost.resume', label: () => l10n.t('Resume') },
  openPanel: { command: 'goalpost.showPanel', label: () => l10n.t('Open Panel') },
} as const;
type ActionId = keyof typeof ACTIONS;

/** Every notification offers its own action first and "Open Panel" last, in this order. */
export const ACTION_ORDER: readonly ActionId[] = ['setApiKey', 'openSettings', 'reviewCommits', 'raiseBudget', 'resume', 'openPanel'];

/** The button text of an action, in the user's language. */
export function actionLabel(id: ActionId): string {
  return ACTIONS[id].label();
}

interface Notice {
  level: 'info' | 'warn' | 'error';
  text: string;
  offered: ActionId[];
}

/** What to say about a goal that reached its status, or null when it is no news. */
function notice(goal: Goal): Notice | null {
  const title = shorten(goal.spec.objective, 80);
  // The reason comes from the engine and stays English (it is also the CLI's and the log's).
  const reason = goal.reason ?? '';
  switch (goal.status) {
    case 'achieved':
      return { level: 'info', text: l10n.t('Goalpost: goal achieved — {0}. {1}', title, reason), offered: ['reviewCommits', 'openPanel'] };
    case 'unmet':
      return { level: 'warn', text: l10n.t('Goalpost: goal unmet — {0}. {1}', title, reason), offered: ['reviewCommits', 'openPanel'] };
    case 'budget-limited':
      return { level: 'warn', text: l10n.t('Goalpost: budget reached — {0}. {1}', title, reason), offered: ['raiseBudget', 'openPanel'] };
    case 'paused':
      if (isUserPause(goal)) return null;
      // A model error: the way to the key or the endpoint settings comes first, then Resume.
      return {
        level: 'error',
        text: l10n.t('Goalpost: “{0}” paused — {1}', title, goal.reason ?? l10n.t('paused')),
        offered: [needsKey(goal) ? 'setApiKey' : 'openSettings', 'resume', 'openPanel'],
      };
    default:
      return null;
  }
}

/** Shows the notification for a status change, returning the command to run for the chosen action. */
export async function notifyStatusChange(ui: Ui, previous: Goal['status'] | undefined, goal: Goal): Promise<string | undefined> {
  if (previous === goal.status) return undefined;
  const n = notice(goal);
  if (!n) return undefined;
  const choice = await ui[n.level](n.text, ...n.offered.map(actionLabel));
  const chosen = n.offered.find((id) => actionLabel(id) === choice);
  return chosen ? ACTIONS[chosen].command : undefined;
}
