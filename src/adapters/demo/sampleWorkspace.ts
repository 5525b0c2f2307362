// Creates the sample workspace the offline demo plays on, and gets an existing copy ready for another
// demo (back on its own branch, unchanged). Real files in a real git repository.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { GitRepo } from '../gitRepo';
import { SAMPLE_FILES } from './sampleFiles';

const run = promisify(execFile);

/** The branch the sample starts on; each demo branches `goalpost/demo-…` from it. */
export const SAMPLE_BRANCH = 'main';

/** Why a folder cannot host the demo, in words the user can act on. */
export class DemoFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoFolderError';
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

/** Writes the sample into `dir` (missing or empty) and commits it on `main`. */
export async function createSampleWorkspace(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const [rel, text] of Object.entries(SAMPLE_FILES)) {
    const file = path.join(dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }
  const git = new GitRepo(dir, { env });
  await git.init();
  await git.checkoutBranch(SAMPLE_BRANCH);
  await git.commit('Sample workspace for the Goalpost demo');
}

/** True when `dir` holds the sample project (by its package name), whatever its branch. */
export async function looksLikeSample(dir: string): Promise<boolean> {
  try {
    const pkg = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === 'sample-calc';
  } catch {
    return false;
  }
}

/** Git with hooks and fsmonitor off: the folder may have been changed by an earlier demo's agent. */
async function gitOut(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', ...args], { cwd: dir, encoding: 'utf8' });
  return stdout.trim();
}

/**
 * Makes `dir` ready for a demo: a missing or empty folder gets a fresh sample; a sample left on an
 * earlier demo's branch goes back to `main`. Anything else is refused, because the demo's scripted
 * edits only fit the sample. Resolves to true when the sample was created.
 */
export async function prepareDemoFolder(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (await isEmptyOrMissing(dir)) {
    await createSampleWorkspace(dir, env);
    return true;
  }
  if (!(await looksLikeSample(dir))) {
    throw new DemoFolderError(`The demo plays a prepared session on Goalpost's sample project, and ${dir} is not it. Give an empty or new folder (the sample is created there), or leave the folder out to use a temporary one.`);
  }
  const git = new GitRepo(dir, { env });
  if (!(await git.isRepo())) throw new DemoFolderError(`${dir} holds the sample project but is not a git repository. Remove it, or give an empty folder.`);
  if (await git.isDirty()) throw new DemoFolderError(`${dir} has uncommitted changes. Commit or discard them, or give an empty folder for the demo.`);
  const branch = await git.currentBranch();
  if (branch !== SAMPLE_BRANCH) {
    const hasMain = await gitOut(dir, ['rev-parse', '--verify', '-q', `refs/heads/${SAMPLE_BRANCH}`]).then(() => true, () => false);
    if (!hasMain) throw new DemoFolderError(`${dir} is on ${branch ?? 'a detached HEAD'} and has no ${SAMPLE_BRANCH} branch to start the demo from.`);
    await git.checkoutBranch(SAMPLE_BRANCH);
  }
  const calc = await fs.readFile(path.join(dir, 'src', 'calc.js'), 'utf8').catch(() => null);
  if (calc !== SAMPLE_FILES['src/calc.js']) {
    throw new DemoFolderError(`src/calc.js in ${dir} is not the sample's original, so the demo's scripted edits would not fit. Give an empty folder for a fresh sample.`);
  }
  return false;
}
