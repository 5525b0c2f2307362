// A GoalStore in memory that enforces what the real store does: every saved goal parses with the Goal
// schema, a write with a stale revision is refused (StoreError 'conflict'), and saved copies are
// detached from the caller's objects so a mutation after save cannot change the stored state.
import { Goal } from '../../../src/engine/goal';
import { StoreError, type GoalStore } from '../../../src/engine/ports';

/** Options of a MemoryStore. */
export interface MemoryStoreOptions {
  /** Parse every save with the Goal schema (default true; benchmarks may turn it off). */
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

  constructor(options: MemoryStoreOptions = {}) {
    this.validate = options.validate ?? true;
    this.maxSaves = options.maxSaves ?? 5_000;
  }

  async load(): Promise<Goal | null> {
    return this.active === null ? null : structuredClone(this.active);
  }

  async save(goal: Goal): Promise<Goal> {
    if (this.saves >= this.maxSaves) {
      throw new Error(`MemoryStore: more than ${this.maxSaves} saves; the loop is probably spinning without progress.`);
    }
    const storedRevision = this.active?.revision ?? 0;
    if (goal.revision !== storedRevision) {
      throw new StoreError(
        'conflict',
        `Goal ${goal.id} was changed elsewhere (stored revision ${storedRevision}, this write is based on ${goal.revision}). Reload it and try again.`,
      );
    }
    if (this.active !== null && this.active.id !== goal.id) {
      throw new StoreError('conflict', `Another goal (${this.active.id}) is active in this folder.`);
    }
    const next = { ...goal, revision: goal.revision + 1 };
    const checked = this.validate ? Goal.parse(next) : next;
    this.active = structuredClone(checked);
    this.saves++;
    return structuredClone(checked);
  }

  async archive(goal: Goal): Promise<void> {
    this.archived.push(structuredClone(goal));
    if (this.active?.id === goal.id) this.active = null;
  }

  async history(): Promise<Goal[]> {
    return this.archived.map((g) => structuredClone(g));
  }

  /** Test setup: stores `goal` as the active goal as if an earlier process had saved it. */
  seed(goal: Goal): void {
    this.active = structuredClone(Goal.parse(goal));
  }

  /** The stored goal, for assertions (a copy). */
  peek(): Goal | null {
    return this.active === null ? null : structuredClone(this.active);
  }
}
