// The extension's GoalStore: the goal record lives in .goalpost/ (the file store: a snapshot plus a
// journal of changes, every save durable before it returns) and a copy in workspaceState. The copy is
// refreshed only when the file store writes a new snapshot (a change of status, or the journal grown to
// the snapshot's size), not on every save: updating workspaceState serializes the whole record, which
// would make each save cost O(goal) again. On load the copy with the higher revision wins, and the file
// is never behind the copy (it is written first), so a crash that loses VS Code's last storage flush
// loses nothing; the copy only stands in when .goalpost/ is gone (deleted, or a restored workspace), and
// then it is at most one snapshot old. A goal run by the CLI in the same folder is seen by the editor
// (and the other way round).
import type * as vscode from 'vscode';
import { FileGoalStore } from '../adapters/fileGoalStore';
import { Goal } from '../engine/goal';
import type { GoalStore, SaveOptions } from '../engine/ports';

const HISTORY_LIMIT = 50;

export class EditorGoalStore implements GoalStore {
  private readonly file: FileGoalStore;
  private readonly key: string;
  private readonly historyKey: string;

  constructor(
    private readonly memento: vscode.Memento,
    folder: string,
  ) {
    this.file = new FileGoalStore(folder);
    this.key = `goalpost.goal:${folder}`;
    this.historyKey = `goalpost.history:${folder}`;
  }

  async load(): Promise<Goal | null> {
    // A corrupt or newer-schema file throws with a clear message and stays untouched.
    const fromFile = await this.file.load();
    const parsed = Goal.safeParse(this.memento.get<unknown>(this.key));
    const fromState = parsed.success ? parsed.data : null;
    if (fromFile && (!fromState || fromState.id !== fromFile.id || fromFile.revision >= fromState.revision)) {
      if (!fromState || fromState.revision !== fromFile.revision || fromState.id !== fromFile.id) await this.memento.update(this.key, fromFile);
      return fromFile;
    }
    if (fromState) {
      // The file is missing or older (deleted .goalpost/, or a restored workspace): write it again.
      const restored = await this.file.save({ ...fromState, revision: fromFile?.revision ?? fromState.revision });
      await this.memento.update(this.key, restored);
      return restored;
    }
    return null;
  }

  async save(goal: Goal, options?: SaveOptions): Promise<Goal> {
    const saved = await this.file.save(goal, options);
    if (this.file.lastSaveWroteSnapshot) await this.memento.update(this.key, saved);
    return saved;
  }

  async archive(goal: Goal): Promise<void> {
    await this.file.archive(goal);
    const history = this.memento.get<unknown[]>(this.historyKey, []);
    const kept = [goal, ...history.filter((g) => (g as { id?: unknown }).id !== goal.id)].slice(0, HISTORY_LIMIT);
    await this.memento.update(this.historyKey, kept);
    await this.memento.update(this.key, undefined);
  }

  async history(): Promise<Goal[]> {
    const byId = new Map<string, Goal>();
    for (const g of await this.file.history()) byId.set(g.id, g);
    for (const item of this.memento.get<unknown[]>(this.historyKey, [])) {
      const parsed = Goal.safeParse(item);
      if (parsed.success && !byId.has(parsed.data.id)) byId.set(parsed.data.id, parsed.data);
    }
    return [...byId.values()].sort((a, b) => (b.endedAt ?? b.updatedAt).localeCompare(a.endedAt ?? a.updatedAt));
  }
}
