// Notifications when a goal reaches achieved / unmet / budget-limited / paused by an error, each with
// the actions that fit.
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

/** The command each action runs. */
export const ACTION_COMMANDS: Record<string, string> = {
  'Open Panel': 'goalpost.showPanel',
  'Review Commits': 'goalpost.reviewCommits',
  'Raise Budget': 'goalpost.raiseBudget',
  Resume: 'goalpost.resume',
  'Set API Key': 'goalpost.setApiKey',
  'Open Settings': 'goalpost.openModelSettings',
};

/** Every notification offers its own action first and "Open Panel" last, in this order. */
export const ACTION_ORDER = ['Set API Key', 'Open Settings', 'Review Commits', 'Raise Budget', 'Resume', 'Open Panel'];

/** Shows the notification for a status change, returning the command to run for the chosen action. */
export async function notifyStatusChange(ui: Ui, previous: Goal['status'] | undefined, goal: Goal): Promise<string | undefined> {
  if (previous === goal.status) return undefined;
  const title = shorten(goal.spec.objective, 80);
  let choice: string | undefined;
  switch (goal.status) {
    case 'achieved':
      choice = await ui.info(`Goalpost: goal achieved — ${title}. ${goal.reason ?? ''}`, 'Review Commits', 'Open Panel');
      break;
    case 'unmet':
      choice = await ui.warn(`Goalpost: goal unmet — ${title}. ${goal.reason ?? ''}`, 'Review Commits', 'Open Panel');
      break;
    case 'budget-limited':
      choice = await ui.warn(`Goalpost: budget reached — ${title}. ${goal.reason ?? ''}`, 'Raise Budget', 'Open Panel');
      break;
    case 'paused':
      if (isUserPause(goal)) return undefined;
      // A model error: the way to the key or the endpoint settings comes first, then Resume.
      choice = await ui.error(`Goalpost: “${title}” paused — ${goal.reason ?? 'paused'}`, needsKey(goal) ? 'Set API Key' : 'Open Settings', 'Resume', 'Open Panel');
      break;
    default:
      return undefined;
  }
  return choice ? ACTION_COMMANDS[choice] : undefined;
}
