// `goalpost run`: start a goal (or resume the folder's goal) and pursue it until it leaves `pursuing`.
// Owns the process-level concerns: the run lock, Ctrl+C / SIGTERM, `goalpost pause` requests from other
// processes, and the exit code.
import type { Goal, GoalSpec } from '../../engine/goal';
import { assessGoal } from '../../engine/goalQuality';
import { canResume, isLive } from '../../engine/stateMachine';
import { GoalController } from '../../engine/loop/controller';
import { ModelError } from '../../engine/ports';
import { resolveModelEndpoint } from '../../adapters/openaiModel';
import { describeFsFault, fsFaultOf } from '../../adapters/fsFault';
import { resolveValidation } from '../../engine/validationDetect';
import * as fs from 'node:fs';
import { acquireRunLock, replanMarkerPath, type ControlRequest, type HeldLock } from '../control';
import type { EngineSettings } from '../../engine/settings';
import { CliError, ExitCode, exitCodeFor } from '../exitCodes';
import { parseFlags, RunFlags } from '../flags';
import { readFolderSettings, SETTINGS_FILE } from '../folderSettings';
import { readGoalInput } from '../goalInput';
import type { CliIo } from '../io';
import { outputMode, Progress } from '../progress';
import { resolveProjectRoot } from '../projectRoot';
import { printSummary } from '../summary';
import { buildDeps, settingsFromFlags } from '../wiring';
import type { EngineDeps } from '../../engine/loop/deps';
import { installStops, type RunStops, type StopState } from './runStops';

function checkGoalArguments(flags: RunFlags): void {
  const hasGoal = flags.goalFile !== undefined || flags.objective !== '';
  if (flags.goalFile !== undefined && flags.objective !== '') {
    throw new CliError('Give the goal either with --goal-file or as an objective argument, not both.');
  }
  if (flags.resume && hasGoal) {
    throw new CliError('--resume continues the goal stored in the folder and takes no new goal. To start a different goal, run `goalpost clear` first.');
  }
  if (!flags.resume && !hasGoal) {
    throw new CliError('No goal given. Use `goalpost run --goal-file GOAL.md` or `goalpost run "objective"`; to continue the folder\'s goal, `goalpost run --resume`.');
  }
}

/** A missing key is reported before a goal is created, rather than as a goal paused at its first request. */
function checkEndpoint(baseUrl: string | undefined, settings: EngineSettings, env: Record<string, string | undefined>): void {
  try {
    resolveModelEndpoint({ baseUrl, provider: settings.provider, apiVersion: settings.apiVersion, model: settings.model, env });
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    if (e.kind === 'auth') {
      throw new CliError('No API key: set OPENAI_API_KEY, or point --base-url (or OPENAI_BASE_URL) at a local OpenAI-compatible server such as Ollama or LM Studio, which needs none.');
    }
    throw new CliError(e.message);
  }
}

/** Everything one `goalpost run` works with, built before the goal is touched. */
interface PreparedRun {
  flags: RunFlags;
  root: string;
  io: CliIo;
  settings: EngineSettings;
  progress: Progress;
  deps: EngineDeps;
  controller: GoalController;
  lock: HeldLock;
  stops: RunStops;
}

/** Runs `goalpost run`; resolves to the process exit code. */
export async function runRun(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(RunFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  checkGoalArguments(flags);
  // The goal is read and checked before anything is written, so a bad goal file changes nothing.
  const spec: GoalSpec | null = flags.resume ? null : readGoalInput(flags, io.cwd);
  const run = await prepareRun(flags, root, io);
  const { controller, progress, stops } = run;
  try {
    const existing = await controller.load();
    const goal = flags.resume ? await resumeGoal(run, existing) : await startGoal(run, existing, spec as GoalSpec);
    const request = stops.state.stop;
    const code = request?.interrupt ? ExitCode.interrupted : exitCodeFor(goal.status);
    if (request?.interrupt) progress.raw('done.\n');
    printSummary(progress, goal, root, code, io.out, flags.json);
    return code;
  } catch (e) {
    if (stops.state.stop?.interrupt && !stops.state.started) {
      // Interrupted before a goal existed: nothing to save.
      progress.raw('done.\n');
      return ExitCode.interrupted;
    }
    const fault = fsFaultOf(e);
    if (fault) throw await stopOnFsFault(controller, describeFsFault(fault));
    throw e;
  } finally {
    stops.dispose();
    progress.stop();
    run.lock.release();
  }
}

/** Settings (flags over the folder's file), the output, the wired engine, the lock and the stop handlers. */
async function prepareRun(flags: RunFlags, root: string, io: CliIo): Promise<PreparedRun> {
  const folder = readFolderSettings(root);
  const baseUrl = flags.baseUrl ?? folder.baseUrl;
  const settings = settingsFromFlags(flags, folder.engine);
  checkEndpoint(baseUrl, settings, io.env);
  const secrets = [io.env.OPENAI_API_KEY ?? ''].filter((s) => s.trim() !== '');
  const progress = new Progress({ mode: outputMode(flags.json, io.out), logLevel: settings.logLevel, out: io.out, err: io.err, secrets });
  if (folder.file) progress.info(`Settings from ${folder.file}${flags.json ? '' : ' (flags win)'}`);
  for (const key of folder.unknownKeys) progress.warn(`${folder.file ?? SETTINGS_FILE}: unknown setting ${key} (ignored)`);
  for (const key of folder.ignoredKeys) progress.warn(`${folder.file ?? SETTINGS_FILE}: ${key} is ignored (the agent can write this file, and the setting loosens the sandbox): use --${key === 'goalpost.sandbox' ? 'sandbox' : 'sandbox-network'} instead`);
  const { deps, sandbox } = await buildDeps({
    root,
    settings,
    env: io.env,
    baseUrl,
    observer: progress.observer(),
    onRetry: (message) => progress.info(message),
  });
  if (!sandbox.active) progress.warn(sandbox.reason);
  const controller = new GoalController(deps);
  const lock = acquireRunLock(root, null);
  const stops = installStops(root, controller, lock, progress, (request) => applyLiveChange(controller, request));
  return { flags, root, io, settings, progress, deps, controller, lock, stops };
}

/** `--resume`: the folder's goal (the one named by --goal-id, if given), raised budget and re-plan applied. */
async function resumeGoal(run: PreparedRun, existing: Goal | null): Promise<Goal> {
  const { flags, root, controller, progress, stops } = run;
  if (!existing) {
    if (flags.goalId !== undefined) throw await notThatGoal(controller, flags.goalId, null, root);
    throw new CliError(`There is no goal to resume in ${root}. Start one with \`goalpost run --goal-file GOAL.md\`.`);
  }
  if (flags.goalId !== undefined && existing.id !== flags.goalId) throw await notThatGoal(controller, flags.goalId, existing, root);
  if (!canResume(existing.status)) {
    throw new CliError(`Goal ${existing.id} is already ${existing.status}; there is nothing to resume. Start a new goal with \`goalpost run --goal-file GOAL.md\`.`);
  }
  run.lock.setGoalId(existing.id);
  if (flags.budget !== undefined) await controller.raiseBudget(flags.budget);
  progress.info(`Resuming goal ${existing.id} (${existing.status}) in ${root}`);
  stops.state.started = true;
  const replan = fs.existsSync(replanMarkerPath(root));
  if (replan) progress.info('Re-planning first (asked with `goalpost replan`).');
  const goal = stops.state.stop ? await pauseBeforeRun(controller, stops.state) : await controller.resume({ replan });
  // The planner ran only if a request was made; otherwise the request waits for the next resume.
  if (replan && goal.usage.total.requests > existing.usage.total.requests) fs.rmSync(replanMarkerPath(root), { force: true });
  return goal;
}

/** A new goal: refused over a live one; validation resolved and the goal's quality warned about first. */
async function startGoal(run: PreparedRun, existing: Goal | null, spec: GoalSpec): Promise<Goal> {
  const { flags, root, settings, controller, progress, stops } = run;
  if (existing && isLive(existing.status)) {
    throw new CliError(`Goal ${existing.id} is still ${existing.status} in ${root}. Continue it with \`goalpost run --resume\`, or end it with \`goalpost clear\` before starting a new goal.`);
  }
  // --protect is kept with the goal, so a later --resume without it still protects the same paths.
  const goalSpec: GoalSpec = flags.protect.length > 0
    ? { ...spec, protectedPaths: [...new Set([...(spec.protectedPaths ?? []), ...flags.protect])] }
    : spec;
  const validation = await resolveValidation({ spec: goalSpec, settingsCommands: settings.validationCommands, files: run.deps.workspace });
  for (const warning of assessGoal(goalSpec, validation)) progress.warn(warning.message);
  const tokenBudget = flags.budget !== undefined ? flags.budget : settings.defaultTokenBudget === 0 ? null : settings.defaultTokenBudget;
  const created = await controller.start({
    spec: goalSpec,
    tokenBudget,
    id: flags.goalId,
    dirtyTree: flags.snapshot ? 'snapshot' : 'refuse',
  });
  run.lock.setGoalId(created.id);
  stops.state.started = true;
  progress.info(`Goal ${created.id} started in ${root}${created.git.branch ? ` on branch ${created.git.branch}` : ''}`);
  return stops.state.stop ? pauseBeforeRun(controller, stops.state) : controller.run();
}

/** Applies `goalpost edit` / `budget` / `replan` sent to this run from another process. */
async function applyLiveChange(controller: GoalController, request: Exclude<ControlRequest, { action: 'pause' }>): Promise<void> {
  if (request.action === 'edit') await controller.editObjective(request.objective);
  else if (request.action === 'budget') await controller.raiseBudget(request.tokenBudget);
  else controller.requestReplan();
}

/** Why `--resume --goal-id ID` cannot resume ID: it is archived, or unknown here. Never resumes another goal. */
async function notThatGoal(controller: GoalController, id: string, current: Goal | null, root: string): Promise<CliError> {
  const past = (await controller.deps.store.history()).find((g) => g.id === id);
  const now = current ? ` The folder's current goal is ${current.id} (${current.status}); resume it with \`goalpost run --resume\`.` : '';
  if (past) {
    return new CliError(`Goal ${id} ended as ${past.status} and is archived in .goalpost/history/, so it cannot be resumed.${now} To pursue it again, start a new goal with its objective (\`goalpost report --goal-id ${id}\` shows it).`);
  }
  return new CliError(`There is no goal ${id} in ${root}.${now || ' There is no goal to resume here.'} \`goalpost history\` lists the folder's goals.`);
}

/**
 * A disk that is full or read-only (or a folder Goalpost may not write) stops the run with what happened
 * and what to do. The goal is paused when that can still be saved; otherwise its last saved state stands
 * (an interrupted goal), and either way `--resume` continues it once the cause is fixed.
 */
async function stopOnFsFault(controller: GoalController, what: string): Promise<CliError> {
  let paused = false;
  if (controller.goal?.status === 'pursuing') {
    // The pause is saved before it is logged: a log that cannot be written still leaves it paused.
    await controller.pause(`Paused: ${what}, then resume.`, 'fault').catch(() => undefined);
    // pause() changed the status; TypeScript still narrows it to the check above.
    paused = (controller.goal?.status as string | undefined) === 'paused';
  }
  const state = controller.goal
    ? paused ? `Goal ${controller.goal.id} is paused.` : `Goal ${controller.goal.id} keeps its last saved state.`
    : 'No goal was started.';
  return new CliError(`stopped: ${what}, then continue with \`goalpost run --resume\`. ${state} Nothing that was saved is lost.`, paused ? ExitCode.paused : ExitCode.error);
}

/** A stop request that came before the loop started: pause the goal without running a step. */
async function pauseBeforeRun(controller: GoalController, state: StopState): Promise<Goal> {
  const goal = controller.goal;
  state.pauseIssued = true;
  if (goal?.status === 'pursuing') return controller.pause(state.stop?.reason ?? 'Paused.', state.stop?.interrupt === true ? 'interrupted' : 'user');
  if (goal) return goal;
  throw new CliError('No goal was loaded.');
}
