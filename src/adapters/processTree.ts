// Stopping a command means stopping everything it started. The command runs in its own process group,
// but children can leave it (setsid, daemons), so the tree is also found through /proc: descendants by
// parent links, members of the group, and any process still carrying the run's marker variable in its
// environment (which survives re-parenting to init after the command itself exited).
import { readFileSync, readdirSync } from 'node:fs';

/** The environment variable every process of one run inherits. */
export const RUN_MARKER = 'GOALPOST_RUN_ID';

interface ProcInfo {
  ppid: number;
  pgrp: number;
  state: string;
}

const hasProc = ((): boolean => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

function readStat(pid: number): ProcInfo | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

/** When `pid` started (clock ticks since boot, /proc/N/stat field 22), or null: with the pid, its identity. */
export function startTicks(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Live processes carrying the run marker `marker` in their environment. */
export function processesWithMarker(marker: string): number[] {
  if (!hasProc) return [];
  return allPids().filter((pid) => pid !== process.pid && hasMarker(pid, marker) && isAlive(pid));
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(`${RUN_MARKER}=${marker}\0`);
  } catch {
    return false; // another user's process, or gone
  }
}

/**
 * True while `pid` exists and is not a zombie: the one "is this process alive" check (the store's temp
 * files, the CLI's run lock and the running groups all ask it). Without /proc: signal 0, where EPERM
 * means it exists but belongs to someone else.
 */
export function isAlive(pid: number): boolean {
  if (hasProc) {
    const info = readStat(pid);
    return info !== null && info.state !== 'Z' && info.state !== 'X';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Our own process and its ancestors: never targets, whatever /proc says. */
function protectedPids(table: Map<number, ProcInfo>): Set<number> {
  const out = new Set<number>([process.pid]);
  let p = process.ppid;
  for (let i = 0; i < 64 && p > 0 && !out.has(p); i++) {
    out.add(p);
    p = table.get(p)?.ppid ?? 0;
  }
  return out;
}

/**
 * Every live process of the tree rooted at `rootPid`: descendants, members of its process group and,
 * when `marker` is given, any process carrying it. Once the root has exited its pid may be reused, so
 * then the walk starts from the group and the marker only.
 */
export function collectTree(rootPid: number, marker: string | null, rootExited = false): number[] {
  if (!hasProc) return rootExited ? [] : [rootPid];
  const table = new Map<number, ProcInfo>();
  for (const pid of allPids()) {
    const info = readStat(pid);
    if (info) table.set(pid, info);
  }
  const children = new Map<number, number[]>();
  for (const [pid, info] of table) {
    const list = children.get(info.ppid) ?? [];
    list.push(pid);
    children.set(info.ppid, list);
  }
  const found = new Set<number>();
  const queue = rootExited ? [] : [rootPid];
  for (const [pid, info] of table) {
    if (info.pgrp === rootPid || (marker !== null && hasMarker(pid, marker))) queue.push(pid);
  }
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (found.has(pid)) continue;
    found.add(pid);
    for (const child of children.get(pid) ?? []) queue.push(child);
  }
  const never = protectedPids(table);
  return [...found].filter((pid) => !never.has(pid) && isAlive(pid));
}

function signal(pids: Iterable<number>, groupLeader: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-groupLeader, sig);
  } catch {
    // the group is already gone
  }
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

function groupAlive(groupLeader: number, known: Set<number>): boolean {
  if (hasProc) return [...known].some(isAlive);
  try {
    process.kill(-groupLeader, 0);
    return true;
  } catch {
    return false;
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM to the whole tree of `rootPid` (found before the first signal), SIGKILL to whatever is left
 * after `graceMs`. Resolves once nothing of the tree is alive (or after a last short wait).
 */
export async function killTree(rootPid: number, marker: string | null, graceMs: number, rootExited = false): Promise<void> {
  const known = new Set(collectTree(rootPid, marker, rootExited));
  signal(known, rootPid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let rescan = 0;
  while (Date.now() < deadline) {
    await delay(50);
    if (++rescan % 5 === 0) {
      // Children forked while the tree was shutting down.
      const late = collectTree(rootPid, marker, rootExited).filter((pid) => !known.has(pid));
      for (const pid of late) known.add(pid);
      if (late.length > 0) signal(late, rootPid, 'SIGTERM');
    }
    if (!groupAlive(rootPid, known)) return;
  }
  for (const pid of collectTree(rootPid, marker, rootExited)) known.add(pid);
  signal(known, rootPid, 'SIGKILL');
  for (let i = 0; i < 20 && groupAlive(rootPid, known); i++) await delay(50);
}
