// BACKLOG.md round trip: the engine renders it after every backlog change and reads it back before
// every iteration; the user's edits win (three-way merge against what the engine last wrote).
import { renderBacklog, parseBacklog } from '../backlog/markdown';
import { mergeBacklog } from '../backlog/merge';
import { STATE_DIR } from './toolContext';
import { reservedTaskIds } from './context';
import type { Task } from '../goal';
import type { GoalSession } from './session';

/** What the engine last wrote, kept beside the state so user deletions can be told from agent additions. */
export const BACKLOG_BASE = `${STATE_DIR}/backlog-base.md`;

/** The backlog array last written per session: an unchanged backlog is not rendered or written again. */
const lastWritten = new WeakMap<GoalSession, Task[]>();

export async function writeBacklogFile(session: GoalSession): Promise<void> {
  if (lastWritten.get(session) === session.goal.backlog) return;
  const { workspace } = session.deps;
  const path = session.settings().backlogPath;
  const text = renderBacklog(session.goal.backlog, session.goal.id);
  const onDisk = await workspace.readText(path);
  const base = await workspace.readText(BACKLOG_BASE);
  // The user edited the file since the engine last wrote it (mid-iteration): leave the edit for
  // readBacklogEdits to merge before the next iteration instead of overwriting it.
  if (onDisk !== null && base !== null && onDisk !== base && onDisk !== text) return;
  await renderBacklogFile(session, text, onDisk, base);
}

/** Writes BACKLOG.md and its base from the engine's copy (skipping files that already hold it). */
async function renderBacklogFile(
  session: GoalSession,
  text = renderBacklog(session.goal.backlog, session.goal.id),
  onDisk?: string | null,
  base?: string | null,
): Promise<void> {
  const { workspace } = session.deps;
  const path = session.settings().backlogPath;
  if ((onDisk === undefined ? await workspace.readText(path) : onDisk) !== text) await workspace.writeFile(path, text);
  if ((base === undefined ? await workspace.readText(BACKLOG_BASE) : base) !== text) await workspace.writeFile(BACKLOG_BASE, text);
  lastWritten.set(session, session.goal.backlog);
}

/** Merges the user's edits of BACKLOG.md into the goal; returns the human-readable changes. */
export async function readBacklogEdits(session: GoalSession): Promise<string[]> {
  const { workspace } = session.deps;
  const path = session.settings().backlogPath;
  const text = await workspace.readText(path);
  if (text === null) {
    // Deleted or never written: the engine's copy stands and the file is written again.
    await renderBacklogFile(session);
    return [];
  }
  const baseText = await workspace.readText(BACKLOG_BASE);
  if (baseText !== null && baseText === text) return [];
  const file = parseBacklog(text);
  const base = baseText === null ? null : parseBacklog(baseText).items;
  const merged = mergeBacklog({ agent: session.goal.backlog, file, base, reservedIds: reservedTaskIds(session.goal) });
  for (const warning of file.warnings) await session.log(session.goal.phase ?? 'iterate', `${path}: ${warning}`);
  if (merged.changes.length > 0) {
    await session.update((g) => ({ ...g, backlog: merged.backlog }));
    for (const change of merged.changes) await session.log(session.goal.phase ?? 'iterate', change);
  }
  await renderBacklogFile(session);
  return merged.changes;
}
