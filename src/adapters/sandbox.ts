// The `workspace-write` sandbox of PRODUCT.md F10 with bubblewrap: the whole file system read-only, the
// workspace writable except its `.git/` and `.goalpost/` (Goalpost's own processes read those: anything
// planted there would run or be believed outside the sandbox), a private /tmp and /run (the host's temp
// files, agent sockets and a docker socket are out of sight), a private PID namespace with its own /proc
// (no other process's /proc/N/environ, so not Goalpost's API key), the network off unless allowed, and
// the whole sandbox killed when Goalpost dies, even by kill -9 (--die-with-parent). bwrap is probed once
// (it can be installed yet unusable, e.g. without user namespaces); when it is missing or broken, commands
// run plainly and sandboxStatus() says why so the UI can warn once.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { STATE_DIR } from '../engine/stateFiles';

/** Whether commands are confined, and a sentence for the user saying why or why not. */
export interface SandboxStatus {
  active: boolean;
  reason: string;
}

/** The sandbox setting (goalpost.sandbox) and its network switch. */
export interface SandboxOptions {
  mode: 'workspace-write' | 'off';
  network: boolean;
}

let probed: { bwrap: string | null; works: boolean; detail: string } | null = null;

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function probe(): { bwrap: string | null; works: boolean; detail: string } {
  if (probed) return probed;
  const bwrap = process.platform === 'linux' ? findOnPath('bwrap') : null;
  if (!bwrap) {
    probed = { bwrap: null, works: false, detail: process.platform === 'linux' ? 'bubblewrap (bwrap) is not installed' : `bubblewrap is Linux-only (this is ${process.platform})` };
    return probed;
  }
  const r = spawnSync(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-pid', '--proc', '/proc', '--tmpfs', '/tmp', 'true'], { timeout: 5000, encoding: 'utf8' });
  const works = r.status === 0;
  probed = { bwrap, works, detail: works ? `bubblewrap at ${bwrap}` : `bubblewrap at ${bwrap} does not work here (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})` };
  return probed;
}

/** What the sandbox does for `options` on this machine. */
export function sandboxStatus(options: SandboxOptions): SandboxStatus {
  if (options.mode === 'off') return { active: false, reason: 'The sandbox is off (setting goalpost.sandbox): commands run with your full permissions.' };
  const p = probe();
  if (!p.works) return { active: false, reason: `Commands run without a sandbox: ${p.detail}. Install bubblewrap to confine them to the workspace.` };
  return {
    active: true,
    reason: `Commands run in a sandbox (${p.detail}): only the workspace (not its .git) and a private /tmp are writable${options.network ? '' : ', and the network is off'}.`,
  };
}

/** The program and arguments that run `shellArgs` for `root` (inside bwrap when the sandbox is active). */
export function sandboxed(options: SandboxOptions, root: string, cwd: string, shell: string, shellArgs: string[]): { file: string; args: string[] } {
  const p = probe();
  if (options.mode === 'off' || !p.works || !p.bwrap) return { file: shell, args: shellArgs };
  const workspace = realpathSync(root);
  // The folder's editor settings (Goalpost's model endpoint, other extensions' program paths) must not be
  // writable from inside, not even by creating them: a missing .vscode/ is made (empty, and git does not track an
  // empty folder) so that it can be mounted read-only with the rest.
  const editorDir = path.join(workspace, '.vscode');
  if (!existsSync(editorDir)) {
    try {
      mkdirSync(editorDir);
    } catch {
      // a read-only workspace: nothing can be created in it from inside either
    }
  }
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--tmpfs', '/tmp', '--setenv', 'TMPDIR', '/tmp'];
  // /run holds sockets (docker, the session bus, ssh and gpg agents) that a read-only bind still lets a
  // process connect to; with the network on, the resolver's files stay readable so DNS works.
  if (existsSync('/run')) args.push('--tmpfs', '/run');
  if (options.network) args.push('--ro-bind-try', '/run/systemd/resolve', '/run/systemd/resolve');
  args.push('--bind', workspace, workspace);
  for (const dir of readOnlyInside(workspace)) args.push('--ro-bind', dir, dir);
  if (!options.network) args.push('--unshare-net');
  // No --new-session: the command is already a session leader without a terminal (the runner spawns it
  // detached with stdin closed), and stays in the process group the runner kills.
  args.push('--die-with-parent', '--chdir', cwd, '--', shell, ...shellArgs);
  return { file: p.bwrap, args };
}

/**
 * The folders under the writable workspace that stay read-only: Goalpost's state folder, and the git
 * directory of the repository the workspace belongs to when it lies inside the workspace (a `.git` file,
 * as in a worktree or submodule, points at it).
 */
export function readOnlyInside(workspace: string): string[] {
  const out = new Set<string>();
  const inside = (dir: string): boolean => dir === workspace || dir.startsWith(`${workspace}${path.sep}`);
  const state = path.join(workspace, STATE_DIR);
  if (isDir(state)) out.add(state);
  // The editor's settings of the folder configure other extensions too (a program path, a terminal's environment).
  const editor = path.join(workspace, '.vscode');
  if (isDir(editor)) out.add(editor);
  const dotGit = repositoryDotGit(workspace);
  if (dotGit) for (const gitDir of gitDirsOf(dotGit)) if (inside(gitDir)) out.add(gitDir);
  return [...out];
}

/** The `.git` (folder or file) of the repository `dir` belongs to: the nearest one at or above it. */
export function repositoryDotGit(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    if (existsSync(dotGit)) return dotGit;
    if (path.dirname(d) === d) return null;
  }
}

/** `.git` itself when it is a folder; the folders a `.git` file names (gitdir, and its commondir). */
function gitDirsOf(dotGit: string): string[] {
  if (isDir(dotGit)) return [realpathSync(dotGit)];
  try {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
    if (!m) return [];
    const gitDir = realpathSync(path.resolve(path.dirname(dotGit), m[1]));
    const dirs = [gitDir];
    const common = path.join(gitDir, 'commondir');
    if (existsSync(common)) dirs.push(realpathSync(path.resolve(gitDir, readFileSync(common, 'utf8').trim())));
    return dirs;
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
