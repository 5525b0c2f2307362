// Reads the goal the user gave `goalpost run`: a goal file or an inline objective. Every problem
// (missing, empty, binary, huge file) is a CliError before anything is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GoalSpec } from '../engine/goal';
import { decodeGoalFile, GoalFileError, MAX_GOAL_FILE_BYTES, parseGoalFile, parseInlineObjective } from '../engine/goalFile';
import { CliError } from './exitCodes';

/** Parses `--goal-file` (relative to `cwd`) or the inline objective into a GoalSpec. */
export function readGoalInput(input: { goalFile?: string; objective: string }, cwd: string = process.cwd()): GoalSpec {
  if (input.goalFile !== undefined) return readGoalFile(path.resolve(cwd, input.goalFile));
  try {
    return parseInlineObjective(input.objective);
  } catch (e) {
    if (e instanceof GoalFileError) throw new CliError(e.message);
    throw e;
  }
}

function readGoalFile(file: string): GoalSpec {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new CliError(`Goal file ${file} does not exist. Check the path given to --goal-file.`);
  }
  if (stat.isDirectory()) throw new CliError(`Goal file ${file} is a folder. Pass a Markdown or text file to --goal-file.`);
  // Checked before reading, so a huge file is refused without loading it into memory.
  if (stat.size > MAX_GOAL_FILE_BYTES) {
    throw new CliError(`Goal file ${file} is ${Math.ceil(stat.size / 1024)} KiB; the limit is ${MAX_GOAL_FILE_BYTES / 1024} KiB. Put the objective and its sections in a short file.`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`Goal file ${file} cannot be read: ${(e as Error).message}`);
  }
  try {
    return parseGoalFile(decodeGoalFile(bytes));
  } catch (e) {
    if (e instanceof GoalFileError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
}
