// The tools that end a role's turn (submit_plan, finish_task, report_blocker, submit_review) and
// add_tasks. They only validate and hand a typed payload back to the loop, which decides what it means:
// completion is never taken on the model's word.
import { plural } from '../text';
import * as z from 'zod';
import { defineTool } from './defineTool';
import type { ToolCapabilities } from './capabilities';

/** A task as the planner or actor proposes it. */
export const TaskDraft = z.object({
  title: z.string().trim().min(1).max(200).describe('Short imperative title, one line.'),
  details: z.string().describe('What to do and where, precise enough for someone new to the code.'),
  acceptance: z.string().describe('How to tell the task is done (observable, checkable).'),
});
export type TaskDraft = z.infer<typeof TaskDraft>;

/** What a submit tool hands back to the loop (ToolOutcome.data). */
export type Submission =
  | { kind: 'plan'; tasks: TaskDraft[]; validationCommands: string[] }
  | { kind: 'add-tasks'; tasks: TaskDraft[] }
  | { kind: 'finish'; summary: string }
  | { kind: 'blocker'; reason: string }
  | { kind: 'review'; verdict: 'approve' | 'request_changes'; summary: string; notes: ReviewNoteDraft[] };

const ReviewNoteDraft = z.object({
  path: z.string().describe('File path relative to the workspace root.'),
  line: z.number().int().min(0).describe('Line in the new version of the file (0 when not line-specific).'),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string().min(1).describe('What is wrong and what to do.'),
});
export type ReviewNoteDraft = z.infer<typeof ReviewNoteDraft>;

export const submitPlanTool = defineTool({
  name: 'submit_plan',
  description: 'Submit the backlog: small, ordered, independently verifiable tasks, and the validation commands that prove the goal (only when none are given). Ends your turn.',
  schema: z.object({
    tasks: z.array(TaskDraft).min(1).max(60),
    validation_commands: z.array(z.string().min(1)).describe('Shell commands that verify the goal, e.g. ["npm test"]. Empty when the goal already names them.'),
  }),
  async run(args, _caps: ToolCapabilities) {
    const data: Submission = { kind: 'plan', tasks: args.tasks, validationCommands: args.validation_commands };
    return { content: `Plan received: ${args.tasks.length} tasks.`, data };
  },
});

export const addTasksTool = defineTool({
  name: 'add_tasks',
  description: 'Add follow-up tasks to the end of the backlog (for work discovered outside the current task). Does not end your turn.',
  schema: z.object({ tasks: z.array(TaskDraft).min(1).max(20) }),
  async run(args, _caps: ToolCapabilities) {
    const data: Submission = { kind: 'add-tasks', tasks: args.tasks };
    return { content: `Added ${plural(args.tasks.length, 'task')} to the backlog.`, data };
  },
});

export const finishTaskTool = defineTool({
  name: 'finish_task',
  description: 'Declare the current task done. The engine then runs the validation commands and a reviewer audits the change; failures come back to you. Ends your turn.',
  schema: z.object({ summary: z.string().min(1).describe('What you changed and how you checked it.') }),
  async run(args, _caps: ToolCapabilities) {
    const data: Submission = { kind: 'finish', summary: args.summary };
    return { content: 'Finish recorded; the engine will verify it.', data };
  },
});

export const reportBlockerTool = defineTool({
  name: 'report_blocker',
  description: 'Report that the current task cannot be done (missing access, contradictory requirements…), with the reason. Ends your turn.',
  schema: z.object({ reason: z.string().min(1).describe('What blocks the task and what would unblock it.') }),
  async run(args, _caps: ToolCapabilities) {
    const data: Submission = { kind: 'blocker', reason: args.reason };
    return { content: 'Blocker recorded.', data };
  },
});

export const submitReviewTool = defineTool({
  name: 'submit_review',
  description: 'Submit your review verdict with notes on specific lines. Ends your turn.',
  schema: z.object({
    verdict: z.enum(['approve', 'request_changes']),
    summary: z.string().min(1),
    notes: z.array(ReviewNoteDraft).max(50),
  }),
  async run(args, _caps: ToolCapabilities) {
    const data: Submission = { kind: 'review', verdict: args.verdict, summary: args.summary, notes: args.notes };
    return { content: 'Review recorded.', data };
  },
});

/** Narrows a tool outcome's payload to a Submission (the payload comes from our own tools). */
export function asSubmission(data: unknown): Submission | null {
  if (typeof data !== 'object' || data === null || !('kind' in data)) return null;
  const kind = (data as { kind: unknown }).kind;
  return kind === 'plan' || kind === 'add-tasks' || kind === 'finish' || kind === 'blocker' || kind === 'review'
    ? (data as Submission)
    : null;
}
