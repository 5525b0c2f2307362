// Shared scripting for the loop tests: a sample goal, the model steps every role ends its turn with,
// and a started controller over the in-memory fakes.
import type { Goal, GoalSpec, Task } from '../../../../src/engine/goal';
import { GoalController } from '../../../../src/engine/loop/controller';
import type { ChatMessage, ModelRequest } from '../../../../src/engine/ports';
import { makeDeps, type DepsOptions, type TestRig } from '../../../support/fakes/makeDeps';
import { call, reply, type ScriptStep } from '../../../support/fakes/scriptedModel';

/** A goal with one validation command, so the engine runs checks after every task. */
export const SPEC: GoalSpec = {
  objective: 'Add a greet(name) function to src/greet.js that returns "Hello, <name>!".',
  acceptanceCriteria: ['greet("Ada") returns "Hello, Ada!"'],
  nonGoals: ['No command-line interface.'],
  constraints: [],
  validationCommands: ['npm test'],
};

/** A planner draft with a recognisable title. */
export function draft(title: string): { title: string; details: string; acceptance: string } {
  return { title, details: `Details of ${title}.`, acceptance: `${title} is done.` };
}

/** The planner submits these task titles (and optional validation commands). */
export function plan(titles: string[], validationCommands: string[] = []): ScriptStep {
  return reply(call('submit_plan', { tasks: titles.map(draft), validation_commands: validationCommands }));
}

/** The actor declares the task finished. */
export function finish(summary = 'Implemented and tested.'): ScriptStep {
  return reply(call('finish_task', { summary }));
}

/** The actor writes one file. */
export function write(path: string, content: string): ScriptStep {
  return reply(call('write_file', { path, content }));
}

/** The actor writes a file and finishes: one attempt that changes the tree. */
export function writeAndFinish(path: string, content: string, summary = `Wrote ${path}.`): ScriptStep[] {
  return [write(path, content), finish(summary)];
}

/** The actor reports a blocker. */
export function blocker(reason: string): ScriptStep {
  return reply(call('report_blocker', { reason }));
}

/** The reviewer approves. */
export function approve(summary = 'The change meets the acceptance notes.'): ScriptStep {
  return reply(call('submit_review', { verdict: 'approve', summary, notes: [] }));
}

/** One review note as submit_review takes it. */
export interface NoteInput {
  path: string;
  line: number;
  severity: 'info' | 'warning' | 'error';
  message: string;
}

/** The reviewer requests changes. */
export function requestChanges(summary: string, notes: NoteInput[] = []): ScriptStep {
  return reply(call('submit_review', { verdict: 'request_changes', summary, notes }));
}

/** A rig plus a controller whose goal has been started (not run). */
export interface Started {
  rig: TestRig;
  controller: GoalController;
  goal: Goal;
}

/** Builds the fakes, starts a goal with id `g1` and returns before running it. */
export async function startGoal(
  options: DepsOptions & { spec?: GoalSpec; tokenBudget?: number | null; id?: string } = {},
): Promise<Started> {
  const rig = await makeDeps(options);
  const controller = new GoalController(rig.deps);
  const goal = await controller.start({
    spec: options.spec ?? SPEC,
    tokenBudget: options.tokenBudget === undefined ? null : options.tokenBudget,
    id: options.id ?? 'g1',
  });
  return { rig, controller, goal };
}

/** The text of a message (tool calls rendered as name(args)). */
export function messageText(m: ChatMessage): string {
  if (m.role === 'assistant') return `${m.content ?? ''}${m.toolCalls.map((c) => `${c.name}(${c.arguments})`).join('')}`;
  return m.content;
}

/** The whole request as one string, for `includes` assertions. */
export function requestText(r: ModelRequest): string {
  return r.messages.map(messageText).join('\n\n');
}

/** The first user message of a request: the fresh context built from the goal record. */
export function firstUserMessage(r: ModelRequest): string {
  const m = r.messages.find((x) => x.role === 'user');
  return m ? m.content : '';
}

/** Tool results of a request, in order. */
export function toolResults(r: ModelRequest): string[] {
  return r.messages.filter((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool').map((m) => m.content);
}

/** The task with `id`, or a thrown error naming the backlog (clearer than `undefined` failures). */
export function taskById(goal: Goal, id: string): Task {
  const t = goal.backlog.find((x) => x.id === id);
  if (!t) throw new Error(`no task ${id} in backlog: ${goal.backlog.map((x) => `${x.id}:${x.status}`).join(', ')}`);
  return t;
}

/** Actor requests that start an attempt (a fresh conversation: system + one user message). */
export function attemptStarts(requests: ModelRequest[]): ModelRequest[] {
  return requests.filter((r) => r.messages.length === 2);
}
