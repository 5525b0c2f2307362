// One live goal and the ports around it. Every change to the goal goes through `update`, which
// serialises writers (loop, pause, edit, raise budget) and persists atomically at each step boundary.
import { shorten } from '../text';
import type { Goal, Phase, Role, TokenUsage } from '../goal';
import { budgetLevel, recordUsage, shouldWarn } from '../budget';
import { priceFor } from '../prices';
import { transition, type GoalEvent } from '../stateMachine';
import type { GoalPause } from '../goal';
import { writeBacklogFile } from './backlogSync';
import { modelFor, RUN_PINNED_SETTINGS, type EngineSettings } from '../settings';
import type { EngineDeps } from './deps';
import type { SaveOptions } from '../ports';

/** A save of the engine's own progress, durable with the next durable save (see update). */
export const LAZY: SaveOptions = Object.freeze({ lazy: true });

export class GoalSession {
  private queue: Promise<unknown> = Promise.resolve();
  /** The server's real window, once a context-length error named it (smaller than the setting). */
  private learnedWindow: number | null = null;
  /** RUN_PINNED_SETTINGS as they were when the running loop started; null while no loop runs. */
  private pinned: Partial<EngineSettings> | null = null;

  constructor(
    private current: Goal,
    readonly deps: EngineDeps,
  ) {}

  get goal(): Goal {
    return this.current;
  }

  /** The settings now, except those pinned for the running loop (RUN_PINNED_SETTINGS). */
  settings(): EngineSettings {
    const live = this.deps.settings();
    return this.pinned ? { ...live, ...this.pinned } : live;
  }

  /**
   * Takes the settings the agent could loosen by writing the file they come from (the sandbox, the command
   * lists, protected paths) as they are now, for the run that starts: a change applies at the next run.
   */
  pinRunSettings(): void {
    const live = this.deps.settings();
    this.pinned = Object.fromEntries(RUN_PINNED_SETTINGS.map((key) => [key, live[key]])) as Partial<EngineSettings>;
  }

  /** The run ended: every setting is read live again until the next one starts. */
  unpinRunSettings(): void {
    this.pinned = null;
  }

  /** The context window requests must fit: the setting, or the server's real window when smaller. */
  contextWindow(): number {
    const setting = this.settings().contextWindowTokens;
    return this.learnedWindow === null ? setting : Math.min(setting, this.learnedWindow);
  }

  /** Remembers the window a server named in a context-length error. */
  learnContextWindow(tokens: number): void {
    if (Number.isFinite(tokens) && tokens > 0) this.learnedWindow = Math.min(this.learnedWindow ?? tokens, tokens);
  }

  /**
   * Applies `change` to the latest goal and saves it; concurrent callers run one after another.
   * `lazy` marks the engine's own progress inside an iteration, which it can redo: the store may leave
   * its fdatasync to the next durable save (the iteration's end), so an iteration costs one or two
   * (SaveOptions): a save that moves a task to IN PROGRESS or BLOCKED is never lazy (iteration.ts).
   */
  update(change: (goal: Goal) => Goal, options?: SaveOptions): Promise<Goal> {
    const run = async (): Promise<Goal> => {
      const next = change(this.current);
      if (next === this.current) return this.current;
      const stamped = { ...next, updatedAt: this.deps.clock.now().toISOString() };
      const backlogBefore = this.current.backlog;
      this.current = await this.deps.store.save(stamped, options);
      this.deps.observer?.goalChanged?.(this.current);
      // BACKLOG.md follows the backlog from here, the one place every backlog change passes through.
      if (this.current.backlog !== backlogBefore) await writeBacklogFile(this);
      return this.current;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async log(phase: Phase | 'goal', message: string): Promise<void> {
    const event = { at: this.deps.clock.now(), goalId: this.current.id, phase, message };
    this.deps.observer?.status?.(event);
    await this.deps.statusLog.append(event);
  }

  async setPhase(phase: Phase): Promise<void> {
    if (this.current.phase === phase) return;
    await this.update((g) => ({ ...g, phase }), LAZY);
  }

  async transition(event: GoalEvent, reason: string | null, pause?: GoalPause): Promise<void> {
    const now = this.deps.clock.now();
    await this.update((g) => transition(g, event, reason, now, pause));
    await this.log('goal', `${this.current.status}${reason ? `: ${reason}` : ''}`);
  }

  /** Adds one response's usage to the goal (and saves), warning once at 80 %. */
  async recordUsage(role: Role, usage: TokenUsage): Promise<void> {
    const settings = this.settings();
    const price = priceFor(modelFor(settings, role), settings.prices);
    let warn = false;
    // One save for the usage and the warning flag together.
    await this.update((g) => {
      const next = { ...g, usage: recordUsage(g.usage, role, usage, price) };
      warn = shouldWarn(next);
      return warn ? { ...next, budget: { ...next.budget, warned80: true } } : next;
    }, LAZY);
    if (warn) {
      const level = budgetLevel(this.current);
      const message = `The goal “${shorten(this.current.spec.objective, 60)}” has used ${Math.round((level.fraction ?? 0) * 100)} % of its token budget (${level.used.toLocaleString('en-US')} of ${(level.budget ?? 0).toLocaleString('en-US')}).`;
      this.deps.observer?.warning?.(message);
      await this.log(this.current.phase ?? 'goal', message);
    }
  }

  /** True when a request of about `estimatedTokens` still fits in the budget. */
  budgetAllows(estimatedTokens: number): boolean {
    return estimatedTokens <= this.remainingTokens();
  }

  /** Tokens left in the budget (Infinity when unlimited). */
  remainingTokens(): number {
    const level = budgetLevel(this.current);
    return level.budget === null ? Number.POSITIVE_INFINITY : Math.max(0, level.budget - level.used);
  }

  budgetExhausted(): boolean {
    return budgetLevel(this.current).level === 'exhausted';
  }
}
