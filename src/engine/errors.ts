// Errors the engine raises to its callers (CLI, extension). Messages say what happened and what to do.

export type EngineErrorCode =
  | 'not-a-repo'
  | 'dirty-tree'
  | 'no-commits'
  | 'goal-exists'
  | 'no-goal'
  | 'busy'
  | 'bad-input';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/**
 * A command deleted or moved the repository's .git (F10): nothing can be diffed or committed any more,
 * so the goal pauses with this message until the user restores it.
 */
export class RepositoryLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepositoryLost';
  }
}

/**
 * Thrown by a turn when its next request no longer fits the token budget. Like Aborted, it unwinds every
 * phase (act, review, plan, audit) at once, and runLoop alone ends the goal: wrap-up, then budget-limited.
 */
export class BudgetExhausted extends Error {
  constructor() {
    super('the token budget is used up');
    this.name = 'BudgetExhausted';
  }
}

/** Thrown inside the loop when the run's AbortSignal fired (pause, Ctrl+C, window closing). */
export class Aborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Aborted();
}
