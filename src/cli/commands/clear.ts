// `goalpost clear`: ends the folder's goal (state `cleared`, moved into history). Commits and
// BACKLOG.md stay. Asks first on a terminal; without one, --yes is required so scripts never clear
// a goal by accident. A live run is paused first and must exit before the goal is archived.
import * as readline from 'node:readline';
import { GoalController } from '../../engine/loop/controller';
import { readRunLock } from '../control';
import { CliError, ExitCode } from '../exitCodes';
import { ClearFlags, parseFlags } from '../flags';
import type { CliIo } from '../io';
import { resolveProjectRoot } from '../projectRoot';
import { buildOfflineDeps } from '../wiring';
import { pauseLiveRun, PAUSE_CONFIRM_MS } from './pause';

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, output: io.err as NodeJS.WritableStream });
  try {
    const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

async function waitForExit(root: string, pid: number): Promise<void> {
  const deadline = Date.now() + PAUSE_CONFIRM_MS;
  while (Date.now() < deadline) {
    const lock = readRunLock(root);
    if (lock === null || !lock.alive || lock.lock.pid !== pid) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new CliError(`The running goal (pid ${pid}) paused but has not exited within ${PAUSE_CONFIRM_MS / 1000} s; run \`goalpost clear\` again once it has.`);
}

/** Runs `goalpost clear`. */
export async function runClear(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(ClearFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const controller = new GoalController(await buildOfflineDeps(root));
  const goal = await controller.load();
  if (!goal) throw new CliError(`There is no goal in ${root} to clear.`);
  if (!flags.yes) {
    if (!io.stdin.isTTY) throw new CliError('Clearing a goal needs confirmation: pass --yes (stdin is not a terminal).');
    const ok = await confirm(io, `Clear goal ${goal.id} (${goal.status})? Its commits and BACKLOG.md stay. [y/N] `);
    if (!ok) {
      io.out.write('Not cleared.\n');
      return ExitCode.error;
    }
  }
  const lock = readRunLock(root);
  let target = controller;
  if (lock && lock.alive && lock.lock.pid !== process.pid) {
    await pauseLiveRun(root, lock.lock.pid);
    await waitForExit(root, lock.lock.pid);
    // The run saved more after we loaded: start from the stored record.
    target = new GoalController(await buildOfflineDeps(root));
    await target.load();
  }
  const cleared = await target.clear();
  io.out.write(`Cleared goal ${cleared.id}. Its record is kept in .goalpost/history/; commits and BACKLOG.md stay.\n`);
  return ExitCode.achieved;
}
