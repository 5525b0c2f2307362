// Where Goalpost keeps its own state inside a goal's folder: the one definition of `.goalpost/` and of
// the names in it. Everything that reads or writes there (engine, adapters, CLI, editor, scripts and test
// helpers) takes the names from here, so the layout cannot drift between them.
// Paths are folder-relative with forward slashes (the Workspace port's form); Node code joins them onto
// the folder with path.join, which accepts '/' on every platform.

/** Goalpost's state folder inside a goal's folder: never listed to the agent, read-only in the sandbox. */
export const STATE_DIR = '.goalpost';

/** The files and folders under STATE_DIR. */
export const STATE_FILES = {
  /** The record's snapshot (the file store). */
  goal: 'goal.json',
  /** One line per save since the snapshot. */
  journal: 'goal.journal',
  /** The previous snapshot. */
  goalBackup: 'goal.json.bak',
  /** Ended goals, one `<id>.json` each. */
  history: 'history',
  /** One `<goal>.jsonl` per goal: every model request and response. */
  transcripts: 'transcripts',
  /** Full output of every command. */
  logs: 'logs',
  /** A record per running command group, so the next start ends what a killed run left behind. */
  running: 'running',
  /** Held by a running `goalpost run`. */
  runLock: 'run.lock',
  /** A request from another process to the running one (pause, edit, budget, re-plan). */
  control: 'control.json',
  /** A re-plan asked while no run was live. */
  replanRequested: 'replan-requested',
  /** The objective as the editor's Edit Goal opens it. */
  objective: 'objective.md',
  /** BACKLOG.md as the engine last wrote it (the base of the three-way merge), as a journal of changes. */
  backlogBase: 'backlog-base.journal',
  /** The whole-text base of earlier versions, read once and replaced by the journal. */
  legacyBacklogBase: 'backlog-base.md',
} as const;

/** The name of one entry of STATE_FILES. */
export type StateFile = keyof typeof STATE_FILES;

/** `.goalpost/<name>`, relative to the goal's folder. */
export function statePath(name: StateFile): string {
  return `${STATE_DIR}/${STATE_FILES[name]}`;
}

/** True when a folder-relative path (forward slashes) is STATE_DIR or lies under it. */
export function isStatePath(rel: string): boolean {
  return rel === STATE_DIR || rel.startsWith(`${STATE_DIR}/`);
}
