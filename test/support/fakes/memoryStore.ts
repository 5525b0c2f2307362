// A GoalStore in memory that behaves as the real FileGoalStore does (both run the contract suite of
// test/unit/adapters/store/goalStoreContract.test.ts): a save is checked with the Goal schema
// (StoreError 'io' when invalid), a stale revision or another active goal is refused (StoreError
// 'conflict'), a goal once archived is not saved again, and what a save keeps and returns is frozen, so
// code that changes a saved record in place fails here exactly as it would on the real store.
import { Goal } from '../../../src/engine/goal';
import { StoreError, type GoalStore, type SaveOptions } from '../../../src/engine/ports';
import { freezeNew } from '../../../src/adapters/store/recordDiff';
import { changeIssues, describeIssues } from '../../../src/adapters/store/saveCheck';

/** Options of a MemoryStore. */
export interface MemoryStoreOptions {
  /** Check every save with the Goal schema (default true; benchmarks may turn it off). */
  validate?: boolean;
  /**
   * Saves allowed before the store throws (default 5 000). A loop that spins without awaiting a timer
   * never lets mocha's timeout fire, so the store is where a runaway loop gets stopped with a message.
   */
  maxSaves?: number;
}

export class MemoryStore implements GoalStore {
  private active: Goal | null = null;
  private readonly archived: Goal[] = [];
  private readonly validate: boolean;
  private readonly maxSaves: number;
  /** Number of successful saves. */
  saves = 0;
  /** Of them, the saves the engine marked `lazy` (SaveOptions). */
  lazySaves = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.validate = options.validate ?? true;
    this.maxSaves = options.maxSaves ?? 5_000;
  }

  async load(): Promise<Goal | null> {
    return this.active;
  }

  async save(goal: Goal, options: SaveOptions = {}): Promise<Goal> {
    if (this.saves >= this.maxSaves) {
      throw new Error(`MemoryStore: more than ${this.maxSaves} saves; the loop is probably spinning without progress.`);
    }
    if (this.active !== null) {
      if (this.active.id !== goal.id) throw new StoreError('conflict', `Another goal (${this.active.id}) is active in this folder, not ${goal.id}.`);
      if (goal.revision !== this.active.revision) {
        throw new StoreError('conflict', `The goal changed elsewhere: the store is at revision ${this.active.revision}, this copy is at ${goal.revision}. Reload the goal and try again.`);
      }
    } else if (goal.revision > 0 && this.archived.some((g) => sameGoal(g, goal))) {
      throw new StoreError('conflict', `Goal ${goal.id} was already archived (it ended or was cleared), so it is not saved again.`);
    }
    const next: Goal = { ...goal, revision: goal.revision + 1 };
    if (this.validate) {
      const base = this.active !== null && this.active.createdAt === next.createdAt ? this.active : null;
      const issues = changeIssues(base, next);
      if (issues.length > 0) throw new StoreError('io', `Refusing to save an invalid goal record (${describeIssues(issues)}). This is a bug in Goalpost.`);
    }
    this.active = freezeNew(next);
    this.saves++;
    if (options.lazy === true) this.lazySaves++;
    return this.active;
  }

  async archive(goal: Goal): Promise<void> {
    const copy = freezeNew(structuredClone(goal));
    const at = this.archived.findIndex((g) => sameGoal(g, goal));
    if (at >= 0) this.archived[at] = copy;
    else this.archived.push(copy);
    if (this.active?.id === goal.id) this.active = null;
  }

  /** Newest first, as the real store lists them. */
  async history(): Promise<Goal[]> {
    return [...this.archived].sort((a, b) => endTime(b).localeCompare(endTime(a)) || b.createdAt.localeCompare(a.createdAt));
  }

  /** Test setup: stores `goal` as the active goal as if an earlier process had saved it. */
  seed(goal: Goal): void {
    this.active = freezeNew(Goal.parse(structuredClone(goal)));
  }

  /** The stored goal, for assertions (a copy the test may change). */
  peek(): Goal | null {
    return this.active === null ? null : structuredClone(this.active);
  }
}

function sameGoal(a: Goal, b: Goal): boolean {
  return a.id === b.id && a.createdAt === b.createdAt;
}

function endTime(goal: Goal): string {
  return goal.endedAt ?? goal.updatedAt;
}
