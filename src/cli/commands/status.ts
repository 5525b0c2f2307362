// `goalpost status`: the folder's goal at a glance (or as a stable JSON object), including whether a
// `goalpost run` process is working on it right now and the last lines of goal_status.log.
import { plural, shorten } from '../../engine/text';
import * as path from 'node:path';
import { forecast } from '../../engine/budget';
import { FileGoalStore } from '../../adapters/fileGoalStore';
import { FileStatusLog } from '../../adapters/fileStatusLog';
import { EngineSettings } from '../../engine/settings';
import { readRunLock } from '../control';
import { readFolderSettings } from '../folderSettings';
import { ExitCode } from '../exitCodes';
import { parseFlags, StatusFlags } from '../flags';
import { formatBudget, formatTokens, formatUsd } from '../format';
import type { CliIo } from '../io';
import { resolveProjectRoot } from '../projectRoot';
import { resumeCommand } from '../summary';
import { toStatusJson } from '../statusJson';
import { formatTime } from '../../timeFormat';

/** How many goal_status.log lines `status` shows. */
const LOG_LINES = 8;

/** Runs `goalpost status`; resolves to the exit code (0 whenever the state could be read). */
export async function runStatus(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(StatusFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const store = new FileGoalStore(root);
  const goal = await store.load();
  const lock = readRunLock(root);
  const running = lock !== null && lock.alive;
  const pid = running ? lock.lock.pid : null;
  const json = toStatusJson(goal, root, { running, pid });
  if (flags.json) {
    io.out.write(`${JSON.stringify(json, null, 2)}\n`);
    return ExitCode.achieved;
  }

  const out: string[] = [];
  if (!goal) {
    const history = await store.history();
    out.push(`No active goal in ${root}.`);
    if (history.length > 0) out.push(`Last goal: ${history[0].id} — ${history[0].status}${history[0].reason ? ` (${history[0].reason})` : ''}`);
    out.push('Start one with: goalpost run --goal-file GOAL.md');
    io.out.write(`${out.join('\n')}\n`);
    return ExitCode.achieved;
  }
  const runText = running
    ? `running (pid ${pid})`
    : goal.status === 'pursuing'
      ? `not running: interrupted; resume with ${resumeCommand(root)}`
      : 'not running';
  const f = forecast(goal);
  out.push(`Goal      ${goal.id}${goal.git.branch ? ` on ${goal.git.branch}` : ''}`);
  out.push(`Objective ${shorten(goal.spec.objective, 120)}`);
  out.push(`State     ${goal.status}${goal.status === 'pursuing' && goal.phase ? ` · ${goal.phase}` : ''} · iteration ${goal.iteration} · ${runText}`);
  if (goal.reason) out.push(`Reason    ${goal.reason}`);
  out.push(`Tasks     ${json.tasks.todo} todo · ${json.tasks.inProgress} in progress · ${json.tasks.done} done · ${json.tasks.blocked} blocked`);
  out.push(`Usage     ${formatBudget(goal.usage.total.tokens, goal.budget.tokenBudget)} · ${formatUsd(goal.usage.total.costUsd)} · ${plural(goal.usage.total.requests, 'request')}`);
  if (f) {
    out.push(`Forecast  ~${formatTokens(f.tokensToFinish)} tokens (${formatUsd(f.costToFinish)}) for ${plural(f.tasksLeft, 'task')} left${f.willExceedBudget ? ' — likely to pass the budget' : ''}`);
  }
  out.push(`Commits   ${goal.commits.length}`);
  const log = new FileStatusLog(path.join(root, EngineSettings.parse(readFolderSettings(root).engine).statusLogPath));
  const events = await log.tail(LOG_LINES);
  if (events.length > 0) {
    out.push('Recent activity (goal_status.log):');
    const now = new Date();
    for (const e of events) out.push(`  ${formatTime(e.at, now)} ${e.phase.padEnd(7)} ${e.message.split('\n')[0]}`);
  }
  io.out.write(`${out.join('\n')}\n`);
  return ExitCode.achieved;
}
