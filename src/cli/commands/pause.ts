// `goalpost pause`: a soft stop. With a live `goalpost run` in the folder it asks that process (through
// .goalpost/control.json) and waits for it to confirm; with none, it sets the stored goal to paused.
import { FileGoalStore } from '../../adapters/fileGoalStore';
import type { Goal } from '../../engine/goal';
import { GoalController } from '../../engine/loop/controller';
import { controlPath, readRunLock, writeControlRequest } from '../control';
import { CliError, ExitCode } from '../exitCodes';
import { PauseFlags, parseFlags } from '../flags';
import type { CliIo } from '../io';
import { resolveProjectRoot } from '../projectRoot';
import { resumeCommand } from '../summary';
import { buildOfflineDeps } from '../wiring';
import * as fs from 'node:fs';

/** How long `pause` waits for the running process to confirm. */
export const PAUSE_CONFIRM_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the live run in `root` (pid `pid`) to pause and waits until it has: the request consumed and the
 * goal no longer pursuing, or the process gone. Returns the goal as it was left, or throws on timeout.
 */
export async function pauseLiveRun(root: string, pid: number): Promise<Goal | null> {
  writeControlRequest(root, { action: 'pause', at: new Date().toISOString() });
  const store = new FileGoalStore(root);
  const deadline = Date.now() + PAUSE_CONFIRM_MS;
  while (Date.now() < deadline) {
    await sleep(50);
    const lock = readRunLock(root);
    const gone = lock === null || !lock.alive || lock.lock.pid !== pid;
    if (fs.existsSync(controlPath(root)) && !gone) continue;
    const goal = await store.load().catch(() => null);
    if (gone || (goal && goal.status !== 'pursuing')) return goal;
  }
  throw new CliError(`Asked the running goal (pid ${pid}) to pause, but it has not confirmed within ${PAUSE_CONFIRM_MS / 1000} s. It will stop at its next step; check with \`goalpost status\`.`);
}

/** Runs `goalpost pause`. */
export async function runPause(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(PauseFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const lock = readRunLock(root);
  if (lock && lock.alive && lock.lock.pid !== process.pid) {
    const goal = await pauseLiveRun(root, lock.lock.pid);
    io.out.write(`Paused ${goal ? `goal ${goal.id}` : 'the running goal'} (pid ${lock.lock.pid}).${goal?.reason ? ` ${goal.reason}` : ''}\n`);
    io.out.write(`Resume with: ${resumeCommand(root)}\n`);
    return ExitCode.achieved;
  }
  const controller = new GoalController(await buildOfflineDeps(root));
  const goal = await controller.load();
  if (!goal) throw new CliError(`There is no goal in ${root} to pause.`);
  if (goal.status !== 'pursuing') {
    io.out.write(`Goal ${goal.id} is ${goal.status}; nothing to pause.\n`);
    return ExitCode.achieved;
  }
  const paused = await controller.pause('Paused by `goalpost pause`.');
  io.out.write(`Paused goal ${paused.id} (no process was running it).\nResume with: ${resumeCommand(root)}\n`);
  return ExitCode.achieved;
}
