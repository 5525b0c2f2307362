// `goalpost edit "objective"`, `goalpost budget N` and `goalpost replan`: change the folder's goal
// without resuming it (F8). With a live `goalpost run` in the folder, the change is sent to that process
// (.goalpost/control.json), because two processes saving one record would refuse each other's writes;
// otherwise the stored goal is changed directly and stays in its state.
import * as fs from 'node:fs';
import { FileGoalStore } from '../../adapters/fileGoalStore';
import type { Goal } from '../../engine/goal';
import { GoalController } from '../../engine/loop/controller';
import { acceptsChanges } from '../../engine/stateMachine';
import { controlPath, readRunLock, replanMarkerPath, writeControlRequest, type ControlRequest } from '../control';
import { CliError, ExitCode } from '../exitCodes';
import { BudgetFlags, EditFlags, parseFlags, ReplanFlags } from '../flags';
import { formatBudget } from '../format';
import { readGoalInput } from '../goalInput';
import type { CliIo } from '../io';
import { resolveProjectRoot } from '../projectRoot';
import { resumeCommand } from '../summary';
import { buildOfflineDeps } from '../wiring';
import { PAUSE_CONFIRM_MS } from './pause';


/** The pid of a live `goalpost run` in `root` (not this process), or null. */
function liveRun(root: string): number | null {
  const lock = readRunLock(root);
  return lock && lock.alive && lock.lock.pid !== process.pid ? lock.lock.pid : null;
}

/**
 * Sends `request` to the live run and waits until it has taken it (the request file is consumed) and,
 * when `applied` is given, until the stored goal shows the change, so the next command sees it.
 */
async function sendToRun(root: string, pid: number, request: ControlRequest, applied?: (goal: Goal) => boolean): Promise<void> {
  writeControlRequest(root, request);
  const store = new FileGoalStore(root);
  const deadline = Date.now() + PAUSE_CONFIRM_MS;
  for (;;) {
    const taken = !fs.existsSync(controlPath(root));
    if (taken && !applied) return;
    if (taken && applied) {
      const goal = await store.load().catch(() => null);
      if (goal && applied(goal)) return;
    }
    if (Date.now() > deadline) {
      throw new CliError(`The running goal (pid ${pid}) has not applied the ${request.action} request within ${PAUSE_CONFIRM_MS / 1000} s; it applies it at its next step. Check with \`goalpost status\`.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The stored goal, checked to be changeable. */
async function changeableGoal(root: string): Promise<GoalController> {
  const controller = new GoalController(await buildOfflineDeps(root));
  const goal = await controller.load();
  if (!goal) throw new CliError(`There is no goal in ${root}. Start one with \`goalpost run --goal-file GOAL.md\`.`);
  if (!acceptsChanges(goal.status)) {
    throw new CliError(`Goal ${goal.id} is ${goal.status}; it can no longer change. Start a new goal with \`goalpost run --goal-file GOAL.md\`.`);
  }
  return controller;
}

/** Runs `goalpost edit "objective"`. */
export async function runEdit(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(EditFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  if (flags.goalFile === undefined && flags.objective === '') throw new CliError('Give the new objective as text (`goalpost edit "…"`) or with --goal-file.');
  // The same checks as a new goal's (empty, binary, huge file); only the objective changes.
  const objective = readGoalInput(flags, io.cwd).objective;
  const controller = await changeableGoal(root);
  const pid = liveRun(root);
  if (pid !== null) {
    await sendToRun(root, pid, { action: 'edit', at: new Date().toISOString(), objective }, (g) => g.spec.objective === objective);
    io.out.write(`Objective of the running goal (pid ${pid}) updated; its next turn is told the new objective supersedes the old one.\n`);
    return ExitCode.achieved;
  }
  const goal = await controller.editObjective(objective);
  io.out.write(`Objective of goal ${goal.id} (${goal.status}) updated; the next turn is told it supersedes the old one.\n`);
  if (goal.status !== 'pursuing') io.out.write(`Continue with: ${resumeCommand(root)}\n`);
  return ExitCode.achieved;
}

/** Runs `goalpost budget N`: sets the token budget without resuming. */
export async function runBudget(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(BudgetFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const controller = await changeableGoal(root);
  const pid = liveRun(root);
  if (pid !== null) {
    await sendToRun(root, pid, { action: 'budget', at: new Date().toISOString(), tokenBudget: flags.tokens }, (g) => g.budget.tokenBudget === flags.tokens);
    io.out.write(`Budget of the running goal (pid ${pid}) set to ${flags.tokens === null ? 'unlimited' : `${flags.tokens.toLocaleString('en-US')} tokens`}.\n`);
    return ExitCode.achieved;
  }
  const current = controller.goal as Goal;
  if (flags.tokens !== null && flags.tokens <= current.usage.total.tokens) {
    io.err.write(`warning: goal ${current.id} has already used ${current.usage.total.tokens.toLocaleString('en-US')} tokens; a budget of ${flags.tokens.toLocaleString('en-US')} leaves nothing to spend.\n`);
  }
  const goal = await controller.raiseBudget(flags.tokens);
  io.out.write(`Budget of goal ${goal.id} (${goal.status}) set: ${formatBudget(goal.usage.total.tokens, goal.budget.tokenBudget)}. It was not resumed.\n`);
  if (goal.status !== 'pursuing') io.out.write(`Continue with: ${resumeCommand(root)}\n`);
  return ExitCode.achieved;
}

/** Runs `goalpost replan`: the planner re-plans before the next iteration. */
export async function runReplan(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(ReplanFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const controller = await changeableGoal(root);
  const pid = liveRun(root);
  if (pid !== null) {
    await sendToRun(root, pid, { action: 'replan', at: new Date().toISOString() });
    io.out.write(`The running goal (pid ${pid}) re-plans its backlog before its next iteration.\n`);
    return ExitCode.achieved;
  }
  fs.writeFileSync(replanMarkerPath(root), `${new Date().toISOString()}\n`);
  const goal = controller.goal as Goal;
  await controller.deps.statusLog.append({ at: new Date(), goalId: goal.id, phase: 'goal', message: 're-plan requested; the planner runs first when the goal resumes' });
  io.out.write(`Goal ${goal.id} (${goal.status}) re-plans first when it resumes: ${resumeCommand(root)}\n`);
  return ExitCode.achieved;
}
