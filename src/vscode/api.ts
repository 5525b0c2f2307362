// The API other extensions get from `vscode.extensions.getExtension('goalpost.goalpost').exports`.
import type * as vscode from 'vscode';
import type { Goal } from '../engine/goal';

/** What setGoal needs; every field the UI would ask for can be given here instead. */
export interface SetGoalOptions {
  objective: string;
  /** Tokens; null = unlimited; undefined = the `goalpost.defaultTokenBudget` setting. */
  budget?: number | null;
  /** Folder path (multi-root); defaults to the first folder. */
  folder?: string;
  /** What to do with uncommitted changes (default: ask, or refuse without UI). */
  dirtyTree?: 'snapshot' | 'stash' | 'refuse';
  /** Goal id (default: generated). */
  goalId?: string;
}

/** A goal change, with the folder it belongs to. */
export interface GoalChange {
  folder: string;
  goal: Goal | null;
}

export interface GoalpostApi {
  /** Starts a goal and returns it once saved (the loop keeps running in the background). */
  setGoal(options: SetGoalOptions): Promise<Goal>;
  pause(folder?: string): Promise<Goal | null>;
  resume(folder?: string): Promise<Goal | null>;
  clear(folder?: string): Promise<Goal | null>;
  getGoal(folder?: string): Goal | null;
  onDidChangeGoal: vscode.Event<GoalChange>;
  /** Resolves when the folder's running loop stops (for automation). */
  whenIdle(folder?: string): Promise<Goal | null>;
}
