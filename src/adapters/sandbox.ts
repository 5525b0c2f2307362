// The `workspace-write` sandbox of PRODUCT.md F10 with bubblewrap: the whole file system read-only, the
// workspace and the temp folder writable, the network off unless allowed. bwrap is probed once (it can
// be installed yet unusable, e.g. without user namespaces); when it is missing or broken, commands run
// plainly and sandboxStatus() says why so the UI can warn once.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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
  const r = spawnSync(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', 'true'], { timeout: 5000, encoding: 'utf8' });
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
    reason: `Commands run in a sandbox (${p.detail}): only the workspace and the temp folder are writable${options.network ? '' : ', and the network is off'}.`,
  };
}

/** The program and arguments that run `shellArgs` for `root` (inside bwrap when the sandbox is active). */
export function sandboxed(options: SandboxOptions, root: string, cwd: string, shell: string, shellArgs: string[]): { file: string; args: string[] } {
  const p = probe();
  if (options.mode === 'off' || !p.works || !p.bwrap) return { file: shell, args: shellArgs };
  const writable = new Set([realpathSync(root), '/tmp', realpathSync(os.tmpdir())]);
  const args = ['--ro-bind', '/', '/', '--dev', '/dev'];
  for (const dir of writable) args.push('--bind', dir, dir);
  if (!options.network) args.push('--unshare-net');
  // No --new-session: the command must stay in the process group the runner kills.
  args.push('--die-with-parent', '--chdir', cwd, '--', shell, ...shellArgs);
  return { file: p.bwrap, args };
}
