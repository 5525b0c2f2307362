// `goalpost report`: one page per goal (F13) — objective, outcome and its evidence, tasks with their
// commits, checks and review notes, tokens and dollars per role, a timeline — as Markdown (default) or a
// self-contained HTML page, for the current goal, the latest ended one, or --goal-id.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileGoalStore } from '../../adapters/fileGoalStore';
import { pickGoal, renderGoalReport } from '../../adapters/goalReport';
import { EngineSettings } from '../../engine/settings';
import { CliError, ExitCode } from '../exitCodes';
import { parseFlags, ReportFlags } from '../flags';
import { readFolderSettings } from '../folderSettings';
import type { CliIo } from '../io';
import { resolveProjectRoot } from '../projectRoot';

/** Runs `goalpost report`. */
export async function runReport(raw: Record<string, unknown>, io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(ReportFlags, raw);
  const root = resolveProjectRoot(flags.projectRoot, io.cwd);
  const { statusLogPath } = EngineSettings.parse(readFolderSettings(root).engine);
  const store = new FileGoalStore(root);
  const goal = pickGoal(await store.load(), await store.history(), flags.goalId);
  if (!goal) {
    throw new CliError(flags.goalId
      ? `There is no goal ${flags.goalId} in ${root}. \`goalpost history\` lists the folder's goals.`
      : `There is no goal in ${root} to report on. Start one with \`goalpost run --goal-file GOAL.md\`.`);
  }
  const page = await renderGoalReport(goal, path.resolve(root, statusLogPath), flags.format);
  if (flags.output) {
    const file = path.resolve(io.cwd, flags.output);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, page);
    io.err.write(`Report of goal ${goal.id} written to ${file}\n`);
  } else {
    io.out.write(page);
  }
  return ExitCode.achieved;
}
