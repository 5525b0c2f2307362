// BACKLOG.md round trip: GoalSession.update renders it after every backlog change (the one writer;
// commit.ts also renders the copy a commit is about to make true) and the loop reads it back before
// every iteration; the user's edits win (three-way merge against what the engine last wrote, the base:
// backlogBase.ts, read once per session and kept in memory, written as a journal of changes).
import { renderBacklog, parseBacklog } from '../backlog/markdown';
import { mergeBacklog } from '../backlog/merge';
import { backlogProblem } from '../backlog/validity';
import { STATE_DIR } from '../stateFiles';
import { reservedTaskIds } from './promptBlocks';
import type { Task } from '../goal';
import type { GoalSession } from './session';
import { loadBase, sameRendering, sameShownBacklog, writeBase, type BacklogBase } from './backlogBase';

/** The backlog array last written per session: an unchanged backlog is not rendered or written again. */
const lastWritten = new WeakMap<GoalSession, readonly Task[]>();
/** The base per session, once read (null: unknown). Only this session's writes change it. */
const bases = new WeakMap<GoalSession, BacklogBase | null>();

async function baseOf(session: GoalSession): Promise<BacklogBase | null> {
  if (bases.has(session)) return bases.get(session) ?? null;
  const base = await loadBase(session.deps.workspace, session.goal.id);
  bases.set(session, base);
  return base;
}

export async function writeBacklogFile(session: GoalSession): Promise<void> {
  await writeBacklogFor(session, session.goal.backlog);
}

/**
 * Renders `backlog` (the engine's copy, or the copy a commit is about to make true) to BACKLOG.md,
 * unless the user's valid edit waits there to be merged. An invalid file is set aside first, so it is
 * never committed.
 */
export async function writeBacklogFor(session: GoalSession, backlog: readonly Task[]): Promise<void> {
  const last = lastWritten.get(session);
  // Attempts, commits and commands are not shown: a change of only those renders the same file.
  if (last !== undefined && sameShownBacklog(last, backlog)) {
    lastWritten.set(session, backlog);
    return;
  }
  const { workspace } = session.deps;
  const path = session.settings().backlogPath;
  const text = renderBacklog(backlog, session.goal.id);
  let onDisk = await workspace.readText(path);
  const base = (await baseOf(session))?.text ?? null;
  // The file as the engine last wrote it is a backlog: only another text is checked (a whole-file scan).
  if (onDisk !== null && onDisk !== base && (await setAsideIfInvalid(session, onDisk))) onDisk = null;
  // The user edited the file since the engine last wrote it (mid-iteration): leave the edit for
  // readBacklogEdits to merge before the next iteration instead of overwriting it.
  if (onDisk !== null && base !== null && onDisk !== base && onDisk !== text) return;
  await renderBacklogFile(session, backlog, text, onDisk, base);
}

/** Writes BACKLOG.md and its base from `backlog` (skipping files that already hold it). */
async function renderBacklogFile(
  session: GoalSession,
  backlog: readonly Task[] = session.goal.backlog,
  text = renderBacklog(backlog, session.goal.id),
  onDisk?: string | null,
  base?: string | null,
): Promise<void> {
  const { workspace } = session.deps;
  const path = session.settings().backlogPath;
  const current = onDisk === undefined ? await workspace.readText(path) : onDisk;
  const known = await baseOf(session);
  // Usually the file holds the base: then it holds `text` exactly when the base's tasks render alike,
  // which a pass over the tasks tells without comparing (and so first flattening) the new text.
  const fileHolds = known !== null && !known.legacy && known.goalId === session.goal.id && current === known.text
    ? sameRendering(known.items, backlog)
    : current === text;
  if (!fileHolds) await workspace.writeFile(path, text);
  const baseText = base === undefined ? known?.text ?? null : base;
  // Usually the file is the base (the engine's last write): one comparison of the whole text, not two.
  if ((baseText === current ? !fileHolds : baseText !== text) || known?.legacy) {
    bases.set(session, await writeBase(workspace, known, session.goal.id, backlog, text));
  }
  lastWritten.set(session, backlog);
}

/**
 * A BACKLOG.md that is no backlog (binary, empty, no section heading) is moved under .goalpost/ with a
 * warning instead of being merged as "every task deleted"; returns true when it was set aside.
 */
async function setAsideIfInvalid(session: GoalSession, text: string): Promise<boolean> {
  const problem = backlogProblem(text);
  if (problem === null) return false;
  const path = session.settings().backlogPath;
  const stamp = session.deps.clock.now().toISOString().replace(/[:.]/g, '-');
  const aside = `${STATE_DIR}/${path.split('/').pop() ?? 'BACKLOG.md'}.invalid-${stamp}`;
  await session.deps.workspace.moveFile(path, aside);
  const message = `${path} was not read: ${problem}. It was moved to ${aside} and rewritten from the goal's record; copy back any edits you meant to keep.`;
  session.deps.observer?.warning?.(message);
  await session.log(session.goal.phase ?? 'iterate', message);
  return true;
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
  const known = await baseOf(session);
  if (known !== null && known.text === text) return [];
  if (await setAsideIfInvalid(session, text)) {
    await renderBacklogFile(session);
    return [];
  }
  const file = parseBacklog(text);
  const base = known === null ? null : known.items;
  const merged = mergeBacklog({ agent: session.goal.backlog, file, base, reservedIds: reservedTaskIds(session.goal) });
  for (const warning of file.warnings) await session.log(session.goal.phase ?? 'iterate', `${path}: ${warning}`);
  if (merged.changes.length > 0) {
    await session.update((g) => ({ ...g, backlog: merged.backlog }));
    for (const change of merged.changes) await session.log(session.goal.phase ?? 'iterate', change);
  }
  await renderBacklogFile(session);
  return merged.changes;
}
