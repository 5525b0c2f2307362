// Every goal record a folder has: the editor's live goal and history, plus what the CLI left in
// .goalpost/goal.json and .goalpost/history/ (a goal run by `goalpost run` in the same folder).
import { FileGoalStore } from '../../adapters/fileGoalStore';
import type { Goal } from '../../engine/goal';
import type { FolderGoal } from '../folderGoal';

/** The folder's goals, one per goal (the newest revision wins), newest first. Unreadable files are skipped. */
export async function folderGoals(fg: FolderGoal): Promise<Goal[]> {
  const files = new FileGoalStore(fg.root);
  const found: Goal[] = [];
  const add = (goal: Goal | null | undefined): void => {
    if (goal) found.push(goal);
  };
  add(fg.goal);
  // A CLI run may be ahead of the editor's copy, so the file is read afresh.
  add(await files.load().catch(() => null));
  for (const g of await files.history().catch((): Goal[] => [])) add(g);
  for (const g of await fg.controller.deps.store.history().catch((): Goal[] => [])) add(g);
  const byKey = new Map<string, Goal>();
  for (const goal of found) {
    const key = `${goal.id}\0${goal.createdAt}`;
    const seen = byKey.get(key);
    if (!seen || goal.revision > seen.revision) byKey.set(key, goal);
  }
  return [...byKey.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
