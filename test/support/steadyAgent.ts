// A scripted model that always does the right thing, whatever it is asked and however often: the
// planner plans STEADY_TASKS, the actor writes its task's file and then finishes, the reviewer approves.
// It keeps no state between requests, so a CLI killed at any instant and resumed is served correctly
// (the crash tests and the crash soak rely on that).
import type { RecordedRequest, ScriptStep } from './scriptedServer';
import { toolCall } from './scriptedServer';

/** The tasks the planner submits and the file each one writes (t1 fixes the sample project's math.js). */
export const STEADY_TASKS: readonly { title: string; path: string; content: string }[] = [
  { title: 'Fix add in math.js', path: 'math.js', content: 'function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n' },
  { title: 'Document the math module', path: 'NOTES.md', content: '# math\n\n`add(a, b)` returns the sum.\n' },
  { title: 'Add a changelog', path: 'CHANGES.md', content: '# Changes\n\n- add() adds.\n' },
];

function text(req: RecordedRequest): string {
  return req.body.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
}

/** Options of a steady agent. */
export interface SteadyOptions {
  /** A command the actor runs with run_command before writing the first task's file (e.g. a slow one). */
  firstTaskCommand?: string;
}

/** A steady agent; with `firstTaskCommand`, the first task also runs that command first. */
export function makeSteadyAgent(options: SteadyOptions = {}): (req: RecordedRequest) => ScriptStep {
  return (req) => {
    switch (req.role) {
      case 'planner':
        return toolCall('submit_plan', {
          tasks: STEADY_TASKS.map((t) => ({ title: t.title, details: `Write ${t.path}.`, acceptance: '`npm test` passes' })),
          validation_commands: [],
        });
      case 'actor': {
        const id = /<untrusted_task>\n\[t(\d+)\]/.exec(text(req))?.[1];
        const task = id === undefined ? undefined : STEADY_TASKS[Number(id) - 1];
        if (!task) return toolCall('report_blocker', { reason: 'no task I know' });
        // The turn's steps so far are its tool results: (command,) write, then finish.
        const steps: ScriptStep[] = [
          ...(options.firstTaskCommand && id === '1' ? [toolCall('run_command', { command: options.firstTaskCommand })] : []),
          toolCall('write_file', { path: task.path, content: task.content }),
          toolCall('finish_task', { summary: `Wrote ${task.path}.` }),
        ];
        const done = req.body.messages.filter((m) => m.role === 'tool').length;
        return steps[Math.min(done, steps.length - 1)];
      }
      case 'reviewer':
        return toolCall('submit_review', { verdict: 'approve', summary: 'The change is right.', notes: [] });
      default:
        return { content: 'Summary: work in progress.' };
    }
  };
}

/** The answer of a steady agent to `req` (no extra command). */
export const steadyAgent: (req: RecordedRequest) => ScriptStep = makeSteadyAgent();
