// After every attempt, before tests or review (F10): a change under a protected path, however it was
// made (a file tool refused it, so: a command, a script, a tool the agent built), is undone from HEAD
// (the attempt's base: commits happen only when a task finishes) and fails the attempt with the reason.
import { protectedPatterns, protectingPattern } from '../protectedPaths';
import type { GoalSession } from './session';
import { STATE_DIR } from './toolCapabilities';

/** The reason the attempt failed, or null when no protected path changed. */
export async function undoProtectedChanges(session: GoalSession): Promise<string | null> {
  const patterns = protectedPatterns(session.goal.spec.protectedPaths, session.settings().protectedPaths);
  if (patterns.length === 0) return null;
  const { git } = session.deps;
  const settings = session.settings();
  // The engine's own files change on every attempt (BACKLOG.md shows the task IN PROGRESS): a pattern
  // such as `*.md` must not make the engine undo itself.
  const own = [settings.backlogPath, settings.statusLogPath].map((p) => p.replace(/^\.\//, ''));
  const hits = (await git.changedFiles())
    .filter((path) => !own.includes(path) && path !== STATE_DIR && !path.startsWith(`${STATE_DIR}/`))
    .map((path) => ({ path, pattern: protectingPattern(path, patterns) }))
    .filter((h): h is { path: string; pattern: string } => h.pattern !== null);
  if (hits.length === 0) return null;
  await git.restoreFromHead(hits.map((h) => h.path));
  const list = hits.slice(0, 10).map((h) => `${h.path} (pattern \`${h.pattern}\`)`).join(', ');
  const more = hits.length > 10 ? ` and ${hits.length - 10} more` : '';
  const reason = `The attempt changed protected path(s) ${list}${more}; the change was undone and the attempt failed before tests and review. Protected paths must not be changed by any means: do the task without changing them, or call report_blocker if that is impossible.`;
  session.deps.observer?.warning?.(`Goal ${session.goal.id}: ${reason}`);
  return reason;
}
