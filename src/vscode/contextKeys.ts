// The context keys behind the `when` clauses of Pause, Resume and Revert Commit (pure, so it is tested
// without an editor): a command is offered in the palette only in the states where it does something.
import type { Goal } from '../engine/goal';
import { canResume } from '../engine/stateMachine';

/** One folder's goal and whether its loop is running. */
export interface FolderState {
  goal: Goal | null;
  running: boolean;
}

/** `goalpost.canPause`, `goalpost.canResume`, `goalpost.hasAgentCommits` over every loaded folder. */
export function contextKeys(folders: readonly FolderState[]): Record<string, boolean> {
  const live = folders.filter((f): f is { goal: Goal; running: boolean } => f.goal !== null && f.goal.status !== 'cleared');
  return {
    'goalpost.canPause': live.some((f) => f.goal.status === 'pursuing' && f.running),
    // The state machine answers which states resume (a pursuing goal only when no loop runs it here).
    'goalpost.canResume': live.some((f) => canResume(f.goal.status) && !(f.goal.status === 'pursuing' && f.running)),
    'goalpost.hasAgentCommits': live.some((f) => f.goal.commits.length > 0),
  };
}
