// The one object the CLI and the extension drive: start, run, pause, resume, clear, edit, raise budget,
// re-plan. It owns the running loop's AbortController and serialises every change through the session.
import { shorten } from '../text';
import { newGoal, type Goal, type GoalSpec, type PauseCause, type Task } from '../goal';
import { isLive } from '../stateMachine';
import { addTasks, setStatus, type TaskDraftInput } from '../backlog/tasks';
import { renderBacklog } from '../backlog/markdown';
import { budgetLevel } from '../budget';
import { EngineError } from '../errors';
import { newGoalId } from '../ids';
import { resolveValidation } from '../validationDetect';
import type { EngineDeps } from './deps';
import { GoalSession } from './session';
import { runLoop } from './runLoop';
import { reservedTaskIds } from './promptBlocks';
import { STATE_DIR } from '../stateFiles';

/** Everything needed to start a goal; the adapters gather it from the user. */
export interface StartGoalInput {
  spec: GoalSpec;
  /** null: unlimited (only when the user asked for it). */
  tokenBudget: number | null;
  id?: string;
  /** What to do with uncommitted changes: refuse (default) or commit them as a snapshot first. */
  dirtyTree?: 'refuse' | 'snapshot';
}

/** Below this many tokens left, a goal is not resumed without raising its budget. */
export const RESUME_MIN_TOKENS = 4000;

export class GoalController {
  private session: GoalSession | null = null;
  private running: Promise<Goal> | null = null;
  private abort: AbortController | null = null;
  /** null: the run was detached (window closing), so the goal stays `pursuing`. */
  private pauseReason: string | null = 'Paused by the user.';
  private pauseCause: PauseCause = 'user';
  private replanRequested = false;
  /** When the running loop started (null while none runs): the live part of the goal's active time. */
  runningSince: Date | null = null;

  constructor(readonly deps: EngineDeps) {}

  /** The active goal as last saved, or null. */
  get goal(): Goal | null {
    return this.session?.goal ?? null;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Loads the folder's active goal from the store (a corrupt store throws StoreError). */
  async load(): Promise<Goal | null> {
    if (this.session) return this.session.goal;
    const goal = await this.deps.store.load();
    this.session = goal ? new GoalSession(goal, this.deps) : null;
    return goal;
  }

  /**
   * Re-reads the folder's goal unless a loop runs here: with none running, the store is the truth, and
   * another process (the CLI) may have moved the goal on since it was loaded (for example, to achieved).
   */
  async reload(): Promise<Goal | null> {
    if (this.running) return this.goal;
    this.session = null;
    return this.load();
  }

  async start(input: StartGoalInput): Promise<Goal> {
    const { deps } = this;
    const existing = await this.reload();
    if (existing && isLive(existing.status)) {
      throw new EngineError('goal-exists', `Goal ${existing.id} is still ${existing.status} in this folder. Resume it, or clear it before setting a new goal.`);
    }
    if (existing) await this.archiveCurrent();
    const settings = deps.settings();
    const { git } = deps;
    if (!(await git.isRepo())) {
      throw new EngineError('not-a-repo', `${deps.workspace.root} is not a git repository. Goalpost commits every finished task: run \`git init\` there and commit, then set the goal again.`);
    }
    if (await this.hasUncommittedChanges()) {
      if (input.dirtyTree !== 'snapshot') {
        throw new EngineError('dirty-tree', 'The working tree has uncommitted changes. Commit or stash them, or start with a snapshot commit (CLI: --snapshot), so the agent\'s commits stay reviewable.');
      }
      await git.snapshot('Goalpost: snapshot before goal');
    }
    if ((await git.headSha()) === null) {
      throw new EngineError('no-commits', 'The repository has no commits yet. Make a first commit, then set the goal again.');
    }
    const now = deps.clock.now();
    const id = input.id ?? newGoalId(now);
    let baseBranch = await git.currentBranch();
    if (settings.branchMode === 'goal-branch') {
      // Still on an earlier goal's branch: the new goal starts from the branch the user was on then.
      if (baseBranch?.startsWith('goalpost/')) {
        const earlier = (await deps.store.history()).find((g) => g.git.branch === baseBranch && g.git.baseBranch);
        if (earlier?.git.baseBranch) {
          await git.checkoutBranch(earlier.git.baseBranch);
          baseBranch = earlier.git.baseBranch;
        }
      }
      await git.checkoutBranch(`goalpost/${id}`);
    }
    const validation = await resolveValidation({ spec: input.spec, settingsCommands: settings.validationCommands, files: deps.workspace });
    const goal = newGoal({ id, folder: deps.workspace.root, spec: input.spec, tokenBudget: input.tokenBudget, validation, now: now.toISOString() });
    goal.git = { branch: await git.currentBranch(), baseCommit: await git.headSha(), baseBranch };
    const saved = await deps.store.save(goal);
    this.session = new GoalSession(saved, deps);
    deps.observer?.goalChanged?.(saved);
    await this.session.log('goal', `started: ${firstLine(input.spec.objective)} (budget ${input.tokenBudget === null ? 'unlimited' : input.tokenBudget.toLocaleString('en-US')} tokens, validation: ${validation.commands.join(' ; ') || 'none yet'} [${validation.source}])`);
    return saved;
  }

  /**
   * The dirty-tree question of `start`, asked the same way by the editor's Set Goal before it starts: changes
   * in the folder (a subfolder goal sees only its subfolder). Goalpost's own files never count (F8): its state
   * and status log are excluded here, and the last goal's BACKLOG.md, left modified when it ended unmet or was
   * cleared, is rewritten by the new goal anyway.
   */
  async hasUncommittedChanges(): Promise<boolean> {
    const settings = this.deps.settings();
    await this.deps.git.ensureExcluded([`${STATE_DIR}/`, settings.statusLogPath]);
    return this.deps.git.isDirty([settings.backlogPath]);
  }

  /**
   * Runs the loop until the goal leaves `pursuing`. Only one run at a time; a second call returns the
   * first run's promise.
   */
  run(options: { replan?: boolean } = {}): Promise<Goal> {
    if (this.running) return this.running;
    const session = this.requireSession();
    if (session.goal.status !== 'pursuing') return Promise.resolve(session.goal);
    const abort = new AbortController();
    this.abort = abort;
    this.pauseReason = 'Paused by the user.';
    const since = this.deps.clock.now();
    this.runningSince = since;
    // Elapsed time counts only the time a loop ran, not the time the goal sat paused or interrupted.
    let recorded = false;
    const recordActive = async (): Promise<void> => {
      if (recorded) return;
      recorded = true;
      const ran = Math.max(0, this.deps.clock.now().getTime() - since.getTime());
      await session.update((g) => ({ ...g, activeMs: (g.activeMs ?? 0) + ran })).catch(() => undefined);
    };
    this.pauseCause = 'user';
    session.pinRunSettings();
    const run = (async (): Promise<Goal> => {
      try {
        const exit = await runLoop(session, {
          signal: abort.signal,
          replan: options.replan,
          takeReplanRequest: () => {
            const asked = this.replanRequested;
            this.replanRequested = false;
            return asked;
          },
        });
        // Recorded before the pause transition: once the goal reads `paused`, nothing of this run is left
        // to await, so a resume right after it sees no running loop.
        await recordActive();
        if (exit === 'aborted' && session.goal.status === 'pursuing' && this.pauseReason !== null) {
          await session.transition('pause', this.pauseReason, { cause: this.pauseCause, errorKind: null });
        }
        return session.goal;
      } finally {
        if (!recorded) await recordActive();
        session.unpinRunSettings();
        this.runningSince = null;
        this.running = null;
        this.abort = null;
        this.deps.observer?.step?.({ kind: 'idle' });
      }
    })();
    this.running = run;
    return run;
  }

  /** Soft stop: aborts the in-flight request and command, checkpoints, state `paused`. */
  async pause(reason = 'Paused by the user.', cause: PauseCause = 'user'): Promise<Goal> {
    const session = this.requireSession();
    if (this.running && this.abort) {
      this.pauseReason = reason;
      this.pauseCause = cause;
      this.abort.abort();
      return this.running;
    }
    if (session.goal.status === 'pursuing') await session.transition('pause', reason, { cause, errorKind: null });
    return session.goal;
  }

  /**
   * Stops the running loop at once but leaves the goal `pursuing` (VS Code is closing): the next start
   * sees an interrupted goal and asks whether to resume, exactly as after a crash.
   */
  async detach(): Promise<void> {
    if (!this.running || !this.abort) return;
    this.pauseReason = null;
    this.abort.abort();
    await this.running.catch(() => undefined);
  }

  /** Continues from the checkpoint; a goal over budget goes straight back to `budget-limited`. Resolves when the run ends. */
  async resume(options: { replan?: boolean } = {}): Promise<Goal> {
    return (await this.beginResume(options)).finished;
  }

  /**
   * Resume in two steps, for callers that must answer as soon as the state has changed (a command): resolves once
   * the goal has left `paused` (or went `budget-limited`), with `finished` resolving when the run ends.
   */
  async beginResume(options: { replan?: boolean } = {}): Promise<{ goal: Goal; finished: Promise<Goal> }> {
    const session = this.requireSession();
    const status = session.goal.status;
    if (status === 'pursuing') return { goal: session.goal, finished: this.run(options) };
    // Nearly used up counts as used up: resuming would only spend another wrap-up request.
    const level = budgetLevel(session.goal);
    if (level.level === 'exhausted' || (level.budget !== null && level.budget - level.used < RESUME_MIN_TOKENS)) {
      if (status === 'paused') await session.transition('exhaust-budget', 'The token budget is used up. Raise the budget to continue.');
      return { goal: session.goal, finished: Promise.resolve(session.goal) };
    }
    await session.transition('resume', null);
    return { goal: session.goal, finished: this.run(options) };
  }

  /** The planner re-plans before the next iteration (the running loop picks it up). */
  requestReplan(): void {
    this.replanRequested = true;
  }

  /** Ends the goal (state `cleared` in history); commits and BACKLOG.md stay. */
  async clear(): Promise<Goal> {
    const session = this.requireSession();
    if (this.running) await this.pause('Clearing the goal.');
    // An achieved or unmet goal has its outcome already: history keeps it, clearing only files it away.
    const decided = session.goal.status === 'achieved' || session.goal.status === 'unmet';
    if (session.goal.status !== 'cleared' && !decided) await session.transition('clear', 'Cleared by the user.');
    if (decided) await session.log('goal', `filed in the history as ${session.goal.status} (cleared from the panel)`);
    const goal = session.goal;
    await this.archiveCurrent();
    return goal;
  }

  /** F1.6: the next turn is told the new objective supersedes the old one. */
  async editObjective(objective: string): Promise<Goal> {
    const session = this.requireSession();
    const text = objective.trim();
    if (text === '') throw new EngineError('bad-input', 'The objective cannot be empty.');
    const goal = await session.update((g) => ({
      ...g,
      previousObjective: g.previousObjective ?? g.spec.objective,
      spec: { ...g.spec, objective: text },
    }));
    await session.log(goal.phase ?? 'goal', `objective edited: ${firstLine(text)}`);
    return goal;
  }

  /** Takes effect immediately: the running loop reads the budget before every request. */
  async raiseBudget(tokenBudget: number | null): Promise<Goal> {
    const session = this.requireSession();
    if (tokenBudget !== null && (!Number.isInteger(tokenBudget) || tokenBudget <= 0)) {
      throw new EngineError('bad-input', 'The budget must be a positive whole number of tokens.');
    }
    const goal = await session.update((g) => {
      const next = { ...g, budget: { ...g.budget, tokenBudget } };
      return { ...next, budget: { ...next.budget, warned80: budgetLevel(next).level !== 'ok' && g.budget.warned80 } };
    });
    await session.log(goal.phase ?? 'goal', `budget set to ${tokenBudget === null ? 'unlimited' : tokenBudget.toLocaleString('en-US')} tokens`);
    return goal;
  }

  /**
   * Adds a task written by the user (a review note sent to the agent) and re-renders BACKLOG.md. A TODO
   * task goes first among the TODO tasks, because the user asked for it; `done` records a note (a revert).
   */
  async addUserTask(draft: TaskDraftInput, status: 'todo' | 'done' = 'todo'): Promise<Task> {
    const session = this.requireSession();
    let added: Task | null = null;
    await session.update((g) => {
      const appended = addTasks(g.backlog, [draft], 'user', reservedTaskIds(g));
      const task = appended[appended.length - 1];
      added = status === 'done' ? { ...task, status: 'done' } : task;
      const rest = setStatus(appended, task.id, status).filter((t) => t.id !== task.id);
      const at = status === 'todo' ? rest.findIndex((t) => t.status === 'todo') : -1;
      const backlog = at < 0 ? [...rest, added] : [...rest.slice(0, at), added, ...rest.slice(at)];
      return { ...g, backlog };
    });
    const task = added as Task | null;
    if (!task) throw new EngineError('bad-input', 'The task was not added.');
    await session.log(session.goal.phase ?? 'goal', `${task.id} added by the user (${status}): ${firstLine(task.title)}`);
    return task;
  }

  /**
   * Records something the user did to the goal's work outside the loop (a reverted commit) the way the loop
   * records its steps: a status log line that the live activity shows too. It goes to the folder's goal when
   * one is loaded, else it names `goalId` (the goal whose work it was).
   */
  async recordUserAction(message: string, goalId: string): Promise<void> {
    await this.load();
    if (this.session) return this.session.log(this.session.goal.phase ?? 'goal', message);
    const event = { at: this.deps.clock.now(), goalId, phase: 'goal' as const, message };
    this.deps.observer?.status?.(event);
    await this.deps.statusLog.append(event);
  }

  /** True when BACKLOG.md holds the goal's backlog exactly as the engine renders it: no edit of the user's waits there. */
  async backlogUnedited(): Promise<boolean> {
    const session = this.session;
    if (!session) return false;
    const onDisk = await this.deps.workspace.readText(session.settings().backlogPath);
    return onDisk === renderBacklog(session.goal.backlog, session.goal.id);
  }

  private async archiveCurrent(): Promise<void> {
    const goal = this.session?.goal;
    if (!goal) return;
    await this.deps.store.archive(goal);
    this.session = null;
  }

  private requireSession(): GoalSession {
    if (!this.session) throw new EngineError('no-goal', 'No goal is active in this folder. Set a goal first.');
    return this.session;
  }
}

function firstLine(text: string): string {
  return shorten(text, 100);
}
