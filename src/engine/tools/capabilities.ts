// What the model-facing tools may touch. Built by the loop for one turn; tools never see the goal record.
import type { CommandRequest, CommandRunner, Workspace } from '../ports';
import { protectingPattern } from '../protectedPaths';

/** The capabilities handed to tools for one turn. */
export interface ToolCapabilities {
  workspace: Workspace;
  commands: CommandRunner;
  /** Deny/allow lists of F10, checked per sub-command before anything runs. */
  commandPolicy: { denyList: string[]; allowList: string[] };
  /** Upper bound for `run_command`'s timeout_seconds. */
  maxCommandTimeoutSeconds: number;
  /** The run's sandbox, passed with every command (CommandRequest.sandbox). */
  sandbox?: CommandRequest['sandbox'];
  /** Files the engine owns: the model is told to use add_tasks instead of editing them. */
  protectedPaths: string[];
  /** The goal's protected-path globs (F10): the model is told the file may not change at all. */
  protectedGlobs?: readonly string[];
  /** Called after a file really changed (for the no-progress guard and the attempt record). */
  onFileChanged(path: string): void;
  /** Live command output, for terminals and progress displays. */
  onCommandOutput?(chunk: string): void;
}

/** Normalises a model-given path for comparisons with protected paths (no I/O; the workspace confines). */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+/g, '/').replace(/\/$/, '');
}

/** Throws a message for the model when `path` is one the engine owns. */
export function refuseProtected(caps: ToolCapabilities, path: string): string | null {
  const p = normalisePath(path).toLowerCase();
  for (const guarded of caps.protectedPaths) {
    const g = normalisePath(guarded).toLowerCase();
    if (p === g || p.startsWith(g + '/')) {
      return `${path} is managed by Goalpost and cannot be changed with file tools. Use add_tasks to propose work, and finish_task or report_blocker to end the task.`;
    }
  }
  const pattern = protectingPattern(normalisePath(path), caps.protectedGlobs ?? []);
  if (pattern !== null) {
    return `${path} is a protected path of this goal (pattern \`${pattern}\`): it must not be changed, by file tools or by commands (a change made any other way is undone and fails the attempt). Do the task without changing it, or call report_blocker if that is impossible.`;
  }
  return null;
}
