// "Send to agent": a review note becomes a TODO task of the folder's live goal, carrying the file, the
// lines, the hunk and the note, through the engine (GoalController.addUserTask renders BACKLOG.md too).
// A goal that is not pursuing is offered a resume, never resumed without asking.
import * as vscode from 'vscode';
import type { TaskDraftInput } from '../../engine/backlog/tasks';
import { EngineError } from '../../engine/errors';
import { canTransition } from '../../engine/stateMachine';
import type { Goal } from '../../engine/goal';
import type { GoalpostApp } from '../app';
import type { FolderGoal } from '../folderGoal';
import { hunkLines } from './diffHunks';
import type { LiveThread } from './reviewThreads';
import { statusName } from '../statusName';

/** What sending a note did. */
export interface SentNote {
  taskId: string;
  title: string;
  /** The goal's status after the answer to the resume question. */
  status: Goal['status'];
  resumed: boolean;
}

const MAX_HUNK_CHARS = 4000;

/** The task a note becomes: its title names the file and line; its details hold the hunk and the note (English: the agent reads it). */
export function noteTaskDraft(live: LiveThread): TaskDraftInput {
  const { placed, commit, info } = live;
  const message = info.message.replace(/\s+/g, ' ').trim();
  const shortMessage = message.length > 80 ? `${message.slice(0, 79)}…` : message;
  const where = info.originalLine > 0 ? `${info.originalPath}:${info.originalLine}` : info.originalPath;
  const lines = placed.hunk ? hunkLines(placed.hunk) : null;
  const lineText = lines
    ? `lines ${lines.first}–${lines.last} (the note is on line ${info.originalLine})`
    : info.originalLine > 0 ? `line ${info.originalLine}` : 'the whole file';
  const hunk = placed.hunk ? placed.hunk.text.slice(0, MAX_HUNK_CHARS) : null;
  const details = [
    `From the review of commit ${commit.sha.slice(0, 8)} “${commit.title}” (task ${commit.taskId}, review ${info.reviewId}, ${info.severity}).`,
    `File: ${info.originalPath}, ${lineText}.`,
    `Reviewer's note: ${info.message.trim()}`,
    ...(hunk ? ['', 'The hunk of that commit:', '```diff', hunk, '```'] : []),
  ].join('\n');
  return {
    title: `Review note: ${shortMessage} (${where})`,
    details,
    acceptance: `The reviewer's note on ${where} is addressed in the code, or the task summary explains why it needs no change.`,
  };
}

/** Adds the note as a TODO task of the folder's goal and offers to resume a goal that is not running. */
export async function sendNoteToAgent(app: GoalpostApp, fg: FolderGoal, live: LiveThread): Promise<SentNote> {
  const goal = fg.goal ?? (await fg.controller.load());
  if (!goal || goal.status === 'cleared') {
    throw new EngineError('no-goal', vscode.l10n.t('No goal is active in {0}, so the note has no agent to go to. Set a goal first (its backlog takes the note).', fg.folder.name));
  }
  const task = await fg.controller.addUserTask(noteTaskDraft(live));
  let status = fg.goal?.status ?? goal.status;
  let resumed = false;
  // The state machine answers (an achieved goal too: the note is new work for it).
  if (canTransition(status, 'resume')) {
    const resume = vscode.l10n.t('Resume');
    const answer = await app.ui.info(vscode.l10n.t('Goalpost: the note is task {0} in the backlog. The goal is {1}: resume it so the agent works on the note?', task.id, statusName(status)), resume, vscode.l10n.t('Not Now'));
    if (answer === resume) {
      await vscode.commands.executeCommand('goalpost.resume', fg.root);
      resumed = true;
      status = fg.goal?.status ?? status;
    }
  } else {
    void app.ui.info(vscode.l10n.t('Goalpost: the note is task {0}; the agent takes it up after its current task.', task.id));
  }
  return { taskId: task.id, title: task.title, status, resumed };
}
