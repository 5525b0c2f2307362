// Notifications when a goal reaches achieved / unmet / budget-limited / paused by an error, each with
// the actions that fit.
import type { Goal } from '../engine/goal';
import type { Ui } from './ui';

/** Pauses the user asked for are not news; pauses by a model or network failure are. */
export function isUserPause(reason: string | null): boolean {
  return reason === null || /^(Paused by the user|Interrupted|Clearing the goal)/.test(reason);
}

/** The command each action runs. */
export const ACTION_COMMANDS: Record<string, string> = {
  'Open Panel': 'goalpost.showPanel',
  'Review Commits': 'goalpost.reviewCommits',
  'Raise Budget': 'goalpost.raiseBudget',
  Resume: 'goalpost.resume',
  'Set API Key': 'goalpost.setApiKey',
};

/** Shows the notification for a status change, returning the command to run for the chosen action. */
export async function notifyStatusChange(ui: Ui, previous: Goal['status'] | undefined, goal: Goal): Promise<string | undefined> {
  if (previous === goal.status) return undefined;
  const title = goal.spec.objective.split('\n')[0].slice(0, 80);
  let choice: string | undefined;
  switch (goal.status) {
    case 'achieved':
      choice = await ui.info(`Goalpost: goal achieved — ${title}. ${goal.reason ?? ''}`, 'Review Commits', 'Open Panel');
      break;
    case 'unmet':
      choice = await ui.warn(`Goalpost: goal unmet — ${goal.reason ?? ''}`, 'Open Panel', 'Review Commits');
      break;
    case 'budget-limited':
      choice = await ui.warn(`Goalpost: budget reached — ${goal.reason ?? ''}`, 'Raise Budget', 'Open Panel');
      break;
    case 'paused':
      if (isUserPause(goal.reason)) return undefined;
      choice = await ui.error(`Goalpost: ${goal.reason ?? 'paused'}`, ...(/API key/.test(goal.reason ?? '') ? ['Set API Key'] : []), 'Resume', 'Open Panel');
      break;
    default:
      return undefined;
  }
  return choice ? ACTION_COMMANDS[choice] : undefined;
}
