// The goal's folder: --project-root or the current directory, checked before anything is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from './exitCodes';

/** The absolute, existing folder a command works in; a CliError when it is missing or not a folder. */
export function resolveProjectRoot(flag: string | undefined, cwd: string = process.cwd()): string {
  const root = path.resolve(cwd, flag ?? '.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new CliError(`The project folder ${root} does not exist. Pass an existing folder with --project-root.`);
  }
  if (!stat.isDirectory()) throw new CliError(`${root} is not a folder. Pass the repository's folder with --project-root.`);
  // Real path, so the lock, the goal record and the resume hint all name the same folder.
  return fs.realpathSync(root);
}
