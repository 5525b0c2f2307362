// A command's whole process group dies with Goalpost, even on kill -9 (PRODUCT.md F10). Two layers:
// - a watchdog per command: a tiny shell outside the command's group that holds a pipe from Goalpost and,
//   when the pipe closes because Goalpost died, kills the group and every process carrying the run marker;
// - a record per running group in .goalpost/running/<pgid>.json, so the next start ends whatever a killed
//   run left behind when the watchdog could not (it was killed too). A record is only acted on when its
//   owner process is gone, and a process is only killed when it is provably of that run: it carries the
//   run's marker, or it is the group leader with the start time recorded.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { RUN_MARKER, isAlive, killTree, processesWithMarker, startTicks } from './processTree';

/** What is known of one running command group. */
const RunningGroup = z.object({
  pgid: z.number().int().positive(),
  marker: z.string().regex(/^[0-9a-f]{8,64}$/),
  /** Start ticks of the group leader, or null where /proc is missing. */
  leaderStart: z.number().nullable(),
  owner: z.object({ pid: z.number().int().positive(), start: z.number().nullable() }),
  command: z.string(),
  startedAt: z.string(),
});
type RunningGroup = z.infer<typeof RunningGroup>;

// POSIX sh (dash's kill takes no `--`); one grep over every environ file finds the run's processes.
const WATCHDOG = [
  'read _',
  'kill -KILL "-$1" 2>/dev/null',
  `for f in $(grep -lzx "${RUN_MARKER}=$2" /proc/[0-9]*/environ 2>/dev/null); do p=\${f#/proc/}; kill -KILL "\${p%/environ}" 2>/dev/null; done`,
].join('\n');

/** Starts the watchdog of group `pgid`; kill it (SIGKILL) once the command ended normally. */
export function startWatchdog(pgid: number, marker: string): ChildProcess | null {
  if (process.platform === 'win32') return null;
  try {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' }; // never the marker itself
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'goalpost-watchdog', String(pgid), marker], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    // Neither the process nor its pipe may keep Goalpost alive: at exit the pipe closes and the dog bites.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return child;
  } catch {
    return null;
  }
}

/** The records of running groups in `dir` (one file each). */
export class RunningGroups {
  constructor(private readonly dir: string) {}

  /** Records group `pgid` of `command`, started just now by this process. */
  async add(pgid: number, marker: string, command: string): Promise<void> {
    const record: RunningGroup = {
      pgid,
      marker,
      leaderStart: startTicks(pgid),
      owner: { pid: process.pid, start: startTicks(process.pid) },
      command: command.slice(0, 200),
      startedAt: new Date().toISOString(),
    };
    try {
      await fs.mkdir(this.dir, { recursive: true });
      // Written whole then renamed: a reader never sees half a record (and never takes it for garbage).
      const tmp = `${this.file(pgid)}.${process.pid}.tmp`;
      await fs.writeFile(tmp, `${JSON.stringify(record)}\n`);
      await fs.rename(tmp, this.file(pgid));
    } catch {
      // a read-only or full state folder must not stop the command; the watchdog still guards it
    }
  }

  async remove(pgid: number): Promise<void> {
    await fs.rm(this.file(pgid), { force: true }).catch(() => undefined);
  }

  /**
   * Ends the groups of runs whose owner died, and removes their records. Returns the pids killed.
   * Records of a live owner (another Goalpost still running in the folder) are left alone.
   */
  async reap(graceMs = 500): Promise<number[]> {
    let names: string[];
    try {
      // A kill -9 between writing a record and renaming it leaves `<pgid>.json.<writer>.tmp`: its group runs
      // all the same, so it counts as a record once its writer is gone.
      names = (await fs.readdir(this.dir)).filter((n) => /^\d+\.json(\.\d+\.tmp)?$/.test(n));
    } catch {
      return [];
    }
    const killed: number[] = [];
    for (const name of names) {
      const writer = /\.(\d+)\.tmp$/.exec(name);
      if (writer && isAlive(Number(writer[1]))) continue; // still being written (by its live writer, maybe this process)
      const record = await this.read(path.join(this.dir, name));
      if (record && ownerAlive(record)) continue;
      if (record) {
        const leaderOurs = record.leaderStart !== null && isAlive(record.pgid) && startTicks(record.pgid) === record.leaderStart;
        const marked = processesWithMarker(record.marker);
        if (leaderOurs) {
          killed.push(record.pgid, ...marked);
          await killTree(record.pgid, record.marker, graceMs);
        } else {
          // The leader is gone (its pgid may belong to someone else by now): only marked processes die.
          for (const pid of marked) {
            try {
              process.kill(pid, 'SIGKILL');
              killed.push(pid);
            } catch {
              // already gone
            }
          }
        }
      }
      await fs.rm(path.join(this.dir, name), { force: true }).catch(() => undefined);
    }
    return [...new Set(killed)];
  }

  private file(pgid: number): string {
    return path.join(this.dir, `${pgid}.json`);
  }

  private async read(file: string): Promise<RunningGroup | null> {
    try {
      const parsed = RunningGroup.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null; // unreadable or garbage: nothing it says can be trusted, so nothing is killed
    }
  }
}

function ownerAlive(record: RunningGroup): boolean {
  if (record.owner.pid === process.pid) return startTicks(process.pid) === record.owner.start;
  if (!isAlive(record.owner.pid)) return false;
  return record.owner.start === null || startTicks(record.owner.pid) === record.owner.start;
}
