// What the process-group, sandbox and hardening tests look for in /proc, and whether bubblewrap can run here,
// in one place: each test used to carry its own copy.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** Whether bubblewrap runs on this machine with the namespaces the sandbox uses (a container may forbid them). */
export function bwrapWorks(): boolean {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-pid', '--proc', '/proc', '--tmpfs', '/tmp', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Live (non-zombie) processes, other than this one, whose command line contains `token` (Linux /proc). */
export function liveWith(token: string): number[] {
  if (!fs.existsSync('/proc')) return [];
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (cmdline.includes(token) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live processes that are exactly `sleep <t>` (not a shell whose command line names them). */
export function exactSleeps(t: string): number[] {
  return liveWith(t).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${t}\0`;
    } catch {
      return false;
    }
  });
}

/**
 * SIGKILLs each pid, ignoring one that ended meanwhile (ESRCH): a pid read from /proc a moment ago may already be
 * gone, killed by Goalpost's own watchdog, and a cleanup that throws then fails the test or skips the rest.
 */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}
