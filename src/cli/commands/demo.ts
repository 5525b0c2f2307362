// `goalpost demo`: the offline demo of PRODUCT.md F11 in a terminal. A scripted model plays a prepared
// session on the sample project — plan, edits, a command, reviews, the completion audit — while the real
// engine writes the files, runs the real checks and makes real commits on a `goalpost/demo-…` branch.
// No key, no network, no billed tokens.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';
import { DemoModel } from '../../adapters/demo/demoModel';
import { demoObserver, DemoStatusLog } from '../../adapters/demo/labelledLog';
import { DemoFolderError, prepareDemoFolder, SAMPLE_BRANCH } from '../../adapters/demo/sampleWorkspace';
import { systemClock } from '../../adapters/systemClock';
import { DEMO_SPEC, DEMO_TOKEN_BUDGET, demoGoalId, demoSettings, isDemoGoal } from '../../engine/demo';
import { GoalController } from '../../engine/loop/controller';
import { EngineSettings } from '../../engine/settings';
import { acquireRunLock } from '../control';
import { CliError, ExitCode, exitCodeFor } from '../exitCodes';
import { parseFlags } from '../flags';
import type { CliIo } from '../io';
import { outputMode, Progress } from '../progress';
import { shellArg } from '../format';
import { installSignalHandlers } from '../signals';
import { printSummary } from '../summary';
import { buildDeps } from '../wiring';

/** `goalpost demo` flags after validation. */
export const DemoFlags = z.object({
  projectRoot: z.string().trim().min(1, 'must not be empty').optional(),
  json: z.boolean().default(false),
  stepDelayMs: z.string().trim().regex(/^\d+$/, 'expected a whole number of milliseconds').transform(Number)
    .pipe(z.number().int().max(10_000, 'must be at most 10000')).optional(),
});

/** The default pace: slow enough to follow, and the whole demo still ends well within a minute. */
export const DEFAULT_STEP_DELAY_MS = 400;

export const DEMO_HELP = `
Plays a prepared session on Goalpost's sample project (a tiny calculator with node:test tests): the
planner splits the goal into two tasks, the actor edits real files and runs \`npm test\`, the engine runs
the checks itself, the reviewer approves each task, one commit per task lands on a goalpost/demo-…
branch, and the completion audit verifies the goal. Everything printed and logged is labelled DEMO.

Needs no API key and no network: the model is scripted. Nothing is billed.

Without --project-root the sample is created in a new temporary folder (its path is printed). With
--project-root DIR, DIR must be empty or new (the sample is created there) or a sample from an earlier
demo (it goes back to its ${SAMPLE_BRANCH} branch first).

Examples:
  $ goalpost demo
  $ goalpost demo --project-root ./goalpost-sample
`;

/** Runs `goalpost demo`; resolves to the exit code (0 when the demo goal was achieved). */
export async function runDemo(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(DemoFlags, raw);
  const root = flags.projectRoot !== undefined
    ? path.resolve(io.cwd, flags.projectRoot)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-demo-'));
  try {
    await prepareDemoFolder(root, io.env as NodeJS.ProcessEnv);
  } catch (e) {
    if (e instanceof DemoFolderError) throw new CliError(e.message);
    throw e;
  }
  const realRoot = fs.realpathSync(root);
  const progress = new Progress({ mode: outputMode(flags.json, io.out), logLevel: 'info', out: io.out, err: io.err });
  const settings = demoSettings(EngineSettings.parse({}));
  const model = new DemoModel({ stepDelayMs: flags.stepDelayMs ?? DEFAULT_STEP_DELAY_MS, sleep: systemClock.sleep });
  const { deps, sandbox } = await buildDeps({
    root: realRoot, settings, env: io.env, model, observer: demoObserver(progress.observer()), statusLog: (log) => new DemoStatusLog(log),
  });
  const controller = new GoalController(deps);

  const existing = await controller.load();
  if (existing && !isDemoGoal(existing) && (existing.status === 'pursuing' || existing.status === 'paused' || existing.status === 'budget-limited')) {
    throw new CliError(`Goal ${existing.id} is still ${existing.status} in ${realRoot}; the demo will not replace it. Give the demo an empty folder.`);
  }
  const lock = acquireRunLock(realRoot, null);
  const removeSignals = installSignalHandlers(lock, () => {
    progress.info('DEMO interrupted: pausing.');
    void controller.pause('Interrupted (Ctrl+C).').catch(() => undefined);
  });
  try {
    // An earlier demo left unfinished in this sample is ended first: a demo always starts from the top.
    if (existing && isDemoGoal(existing) && existing.status !== 'achieved' && existing.status !== 'unmet' && existing.status !== 'cleared') {
      await controller.clear();
    }
    if (!flags.json) {
      io.out.write(`DEMO — a scripted session on the sample project in ${realRoot}\n`);
      io.out.write('DEMO — no model, no network, no tokens billed; the files, checks and commits are real.\n');
    }
    if (!sandbox.active) progress.warn(sandbox.reason);
    const started = await controller.start({ spec: DEMO_SPEC, tokenBudget: DEMO_TOKEN_BUDGET, id: demoGoalId(deps.clock.now()) });
    lock.setGoalId(started.id);
    progress.info(`DEMO goal ${started.id} started on branch ${started.git.branch ?? '(current)'}`);
    const goal = await controller.run();
    const code = exitCodeFor(goal.status);
    printSummary(progress, goal, realRoot, code, io.out, flags.json);
    if (!flags.json && goal.git.branch) {
      io.out.write(`DEMO — see its commits: git -C ${shellArg(realRoot)} log --oneline ${SAMPLE_BRANCH}..${goal.git.branch}\n`);
    }
    return code;
  } finally {
    removeSignals();
    progress.stop();
    lock.release();
  }
}
