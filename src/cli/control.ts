// Cross-process control of a running `goalpost run`: the run holds `.goalpost/run.lock` so a second run
// is refused and `status` can tell a live run from a stale file; `goalpost pause` asks the running
// process to stop by writing `.goalpost/control.json`, which the run polls (fs.watch is only a hint,
// because it is unreliable on network drives and some containers).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { STATE_DIR } from '../engine/loop/toolCapabilities';
import { CliError } from './exitCodes';
import { isAlive } from '../adapters/processTree';

/** How often the running process looks for a control request. */
export const CONTROL_POLL_MS = 200;

/** The contents of `.goalpost/run.lock`. */
export const RunLock = z.object({
  pid: z.number().int().positive(),
  goalId: z.string().nullable(),
  startedAt: z.string(),
});
/** A parsed run lock. */
export type RunLock = z.infer<typeof RunLock>;

/**
 * The contents of `.goalpost/control.json`: a request to the running process. Pause stops it; edit,
 * budget and replan change the goal it runs (a second process saving the record would race it).
 */
export const ControlRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pause'), at: z.string() }),
  z.object({ action: z.literal('edit'), at: z.string(), objective: z.string().min(1) }),
  z.object({ action: z.literal('budget'), at: z.string(), tokenBudget: z.number().int().positive().nullable() }),
  z.object({ action: z.literal('replan'), at: z.string() }),
]);
/** A parsed control request. */
export type ControlRequest = z.infer<typeof ControlRequest>;

/** `<root>/.goalpost/run.lock`. */
export function lockPath(root: string): string {
  return path.join(root, STATE_DIR, 'run.lock');
}

/** `<root>/.goalpost/control.json`. */
export function controlPath(root: string): string {
  return path.join(root, STATE_DIR, 'control.json');
}

/** True when a process with this pid exists (one check for every caller: adapters/processTree). */
export { isAlive };

/** The lock on disk and whether its process still lives; null when there is none or it is unreadable. */
export function readRunLock(root: string): { lock: RunLock; alive: boolean } | null {
  let text: string;
  try {
    text = fs.readFileSync(lockPath(root), 'utf8');
  } catch {
    return null;
  }
  try {
    const lock = RunLock.parse(JSON.parse(text));
    return { lock, alive: isAlive(lock.pid) };
  } catch {
    return null;
  }
}

/** The lock the current process holds. */
export interface HeldLock {
  readonly path: string;
  /** Records the goal id once it is known (a new goal gets its id after the lock is taken). */
  setGoalId(goalId: string): void;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Takes `<root>/.goalpost/run.lock` for this process. A lock left by a dead process is taken over;
 * a live one is refused with "already running (pid N)".
 */
export function acquireRunLock(root: string, goalId: string | null): HeldLock {
  const file = lockPath(root);
  const dir = path.dirname(file);
  const createdDir = !fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  const startedAt = new Date().toISOString();
  const body = (id: string | null): string => `${JSON.stringify({ pid: process.pid, goalId: id, startedAt } satisfies RunLock)}\n`;
  for (let tries = 0; ; tries++) {
    try {
      // 'wx' fails when the file exists, so two processes racing for the lock cannot both win.
      fs.writeFileSync(file, body(goalId), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries >= 3) throw e;
      const existing = readRunLock(root);
      if (existing && existing.alive && existing.lock.pid !== process.pid) {
        throw new CliError(`Goalpost is already running (pid ${existing.lock.pid}) in ${root}${existing.lock.goalId ? ` for goal ${existing.lock.goalId}` : ''}. `
          + 'Watch it with `goalpost status`, or stop it with `goalpost pause`.');
      }
      // Stale (dead pid) or unreadable: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  let released = false;
  return {
    path: file,
    setGoalId(id: string): void {
      if (!released) writeAtomic(file, body(id));
    },
    release(): void {
      if (released) return;
      released = true;
      const current = readRunLock(root);
      try {
        if (current === null || current.lock.pid === process.pid) fs.rmSync(file, { force: true });
      } catch {
        // A folder that became read-only: the lock stays, and names a dead process the next run takes over.
      }
      // A folder we created only for the lock (the run failed early) is not left behind.
      if (createdDir) {
        try {
          fs.rmdirSync(dir);
        } catch {
          // not empty: the run wrote state there, which stays
        }
      }
    },
  };
}

/** Marker of a re-plan asked while no run was live: the next `run --resume` plans first. */
export function replanMarkerPath(root: string): string {
  return path.join(root, STATE_DIR, 'replan-requested');
}

/** Asks the running process to pause (atomic write, so the poller never reads half a request). */
export function writeControlRequest(root: string, request: ControlRequest): void {
  const file = controlPath(root);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeAtomic(file, `${JSON.stringify(request)}\n`);
}

/** Deletes a request left over from a run that ended before it could act on it. */
export function clearControlRequest(root: string): void {
  fs.rmSync(controlPath(root), { force: true });
}

/** Reads and consumes a pending request; a malformed file is deleted and reported as null. */
export function takeControlRequest(root: string): ControlRequest | null {
  const file = controlPath(root);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  fs.rmSync(file, { force: true });
  try {
    return ControlRequest.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

/**
 * Calls `onRequest` for each control request while the run lasts: polled every 200 ms, with fs.watch
 * on the state folder to react sooner where it works. Returns a function that stops watching.
 */
export function watchControlRequests(root: string, onRequest: (request: ControlRequest) => void): () => void {
  const check = (): void => {
    const request = takeControlRequest(root);
    if (request) onRequest(request);
  };
  const timer = setInterval(check, CONTROL_POLL_MS);
  timer.unref();
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(path.dirname(controlPath(root)), (_event, name) => {
      if (name === null || String(name) === 'control.json') check();
    });
    watcher.on('error', () => watcher?.close());
    watcher.unref();
  } catch {
    watcher = null;
  }
  return (): void => {
    clearInterval(timer);
    watcher?.close();
  };
}
