// The offline demo's model (PRODUCT.md F11): a real implementation of the Model port that plays a
// prepared session — plan, edits, a command, finish, review, completion audit — instead of calling a
// server. No network, no key, no billed tokens. It is stateless: each answer is chosen from the request
// itself (the role, the task named in it, how many steps the turn has taken), so pause/resume, a
// restart or a re-plan replay the right step. The real engine runs everything else: tools write real
// files, the engine runs the real checks and makes real commits.
import type { TokenUsage } from '../../engine/goal';
import { DEMO_MODEL } from '../../engine/demo';
import { ModelError, type ChatMessage, type Model, type ModelRequest, type ModelResponse, type ModelStream } from '../../engine/ports';
import { DEMO_EDITS } from './sampleFiles';

/** One scripted answer: the text the model "says" while it works, and its tool calls. */
interface DemoAnswer {
  text: string;
  calls: { name: string; args: Record<string, unknown> }[];
}

/** The demo plan's tasks; the actor and reviewer recognise a task by its title. */
export const DEMO_TASKS = [
  {
    title: 'Add multiply(a, b) to src/calc.js with a test',
    details: 'Implement multiply next to add and divide, export it, and add a node:test case for it in test/calc.test.js.',
    acceptance: 'multiply(3, 4) returns 12; `npm test` passes.',
  },
  {
    title: 'Document the calculator functions in README.md',
    details: 'Add a "Functions" section to README.md listing add, divide and multiply with what each returns.',
    acceptance: 'README.md lists add, divide and multiply.',
  },
] as const;

const ACTOR_SCRIPTS: readonly DemoAnswer[][] = [
  [
    { text: 'I will look at the calculator first.', calls: [{ name: 'read_file', args: { path: 'src/calc.js' } }] },
    { text: 'add and divide are plain functions; multiply goes beside them and into the exports.', calls: [{ name: 'write_file', args: { path: 'src/calc.js', content: DEMO_EDITS.calc } }] },
    { text: 'Now a test for multiply, with a negative and a fractional factor.', calls: [{ name: 'write_file', args: { path: 'test/calc.test.js', content: DEMO_EDITS.test } }] },
    { text: 'Running the tests to check the change.', calls: [{ name: 'run_command', args: { command: 'npm test', timeout_seconds: 120 } }] },
    { text: 'All tests pass.', calls: [{ name: 'finish_task', args: { summary: 'Added multiply(a, b) to src/calc.js and exported it; test/calc.test.js covers it (3 × 4, −2 × 0.5). npm test passes.' } }] },
  ],
  [
    { text: 'Reading the README before documenting the functions.', calls: [{ name: 'read_file', args: { path: 'README.md' } }] },
    { text: 'Adding a Functions section with one row per function.', calls: [{ name: 'write_file', args: { path: 'README.md', content: DEMO_EDITS.readme } }] },
    { text: 'The README documents add, divide and multiply.', calls: [{ name: 'finish_task', args: { summary: 'README.md has a Functions section listing add, divide and multiply with what each returns.' } }] },
  ],
];

const PLANNER_SCRIPT: readonly DemoAnswer[] = [
  { text: 'Let me see what is in the project.', calls: [{ name: 'list_files', args: { path: '.' } }] },
  { text: 'A small calculator with node:test tests. Reading src/calc.js.', calls: [{ name: 'read_file', args: { path: 'src/calc.js' } }] },
  {
    text: 'Two small tasks: the function with its test, then the documentation.',
    calls: [{ name: 'submit_plan', args: { tasks: DEMO_TASKS.map((t) => ({ ...t })), validation_commands: ['npm test'] } }],
  },
];

const REVIEWS: readonly DemoAnswer[] = [
  {
    text: 'The diff adds multiply and a test for it; the checks pass.',
    calls: [{ name: 'submit_review', args: { verdict: 'approve', summary: 'multiply is correct, exported, and tested; npm test passes.', notes: [{ path: 'test/calc.test.js', line: 16, severity: 'info', message: 'Good: the test covers a negative and a fractional factor, not only 3 × 4.' }] } }],
  },
  {
    text: 'The README now lists every exported function.',
    calls: [{ name: 'submit_review', args: { verdict: 'approve', summary: 'README.md documents add, divide and multiply accurately.', notes: [] } }],
  },
];

const AUDIT: DemoAnswer = {
  text: 'Every acceptance criterion is met and the fresh checks pass.',
  calls: [{ name: 'submit_review', args: { verdict: 'approve', summary: 'Goal met: multiply(3, 4) returns 12 and is tested, npm test passes in a fresh run, and README.md lists add, divide and multiply.', notes: [] } }],
};

/** How long each answer takes, so a person can follow the live view (the CLI's tests use 0). */
export interface DemoModelOptions {
  stepDelayMs: number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function userText(request: ModelRequest): string {
  return request.messages.filter((m): m is Extract<ChatMessage, { role: 'user' }> => m.role === 'user').map((m) => m.content).join('\n');
}

/** Steps the turn has taken so far: one per assistant message already in the request. */
function stepIndex(request: ModelRequest): number {
  return request.messages.filter((m) => m.role === 'assistant').length;
}

/** Which demo task the request is about: the first demo title after the "current task" marker. */
function taskIndex(text: string, marker: string): number {
  const at = text.indexOf(marker);
  const rest = at >= 0 ? text.slice(at) : text;
  let best = -1;
  let bestAt = Number.POSITIVE_INFINITY;
  DEMO_TASKS.forEach((t, i) => {
    const found = rest.indexOf(t.title);
    if (found >= 0 && found < bestAt) {
      best = i;
      bestAt = found;
    }
  });
  return best;
}

function answerFor(request: ModelRequest): DemoAnswer {
  const text = userText(request);
  const step = stepIndex(request);
  switch (request.role) {
    case 'planner':
      return PLANNER_SCRIPT[Math.min(step, PLANNER_SCRIPT.length - 1)];
    case 'actor': {
      if (request.tools.length === 0) {
        // The budget wrap-up: a short state / done / next summary.
        return { text: 'State: the demo stopped at its budget.\nDone: see the DONE tasks.\nNext: resume to finish the remaining tasks.', calls: [] };
      }
      const task = taskIndex(text, 'Your task now');
      const script = task >= 0 ? ACTOR_SCRIPTS[task] : null;
      if (!script) return { text: 'The demo has no script for this task.', calls: [{ name: 'finish_task', args: { summary: 'Nothing scripted for this task in the demo.' } }] };
      return script[Math.min(step, script.length - 1)];
    }
    case 'reviewer': {
      if (text.includes('# Completion audit')) return AUDIT;
      const task = taskIndex(text, 'Task:');
      return REVIEWS[task >= 0 ? task : 0];
    }
    case 'compaction':
      return { text: 'Earlier steps: read the files named in the task and made the edits shown in the diff.', calls: [] };
  }
}

/** A rough token count (about four characters a token), so the budget gauge moves as it would. */
function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export class DemoModel implements Model {
  private callSeq = 0;

  constructor(private readonly options: DemoModelOptions) {}

  async complete(request: ModelRequest, signal?: AbortSignal, stream?: ModelStream): Promise<ModelResponse> {
    const answer = answerFor(request);
    // The text "streams" word by word over the step's delay, like a real model's answer.
    const words = answer.text.split(/(?<=\s)/);
    const pause = words.length > 0 ? this.options.stepDelayMs / words.length : 0;
    for (const word of words) {
      await this.wait(pause, signal);
      stream?.onText?.(word);
    }
    if (signal?.aborted) throw new ModelError('aborted', 'The request was aborted.');
    const toolCalls = answer.calls.map((c) => ({ id: `demo_call_${++this.callSeq}`, name: c.name, arguments: JSON.stringify(c.args) }));
    const usage: TokenUsage = {
      inputTokens: estimate(JSON.stringify(request.messages)),
      cachedInputTokens: 0,
      outputTokens: estimate(answer.text + JSON.stringify(toolCalls)),
      reasoningTokens: 0,
    };
    return { content: answer.text, toolCalls, usage, finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop', model: DEMO_MODEL };
  }

  private async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new ModelError('aborted', 'The request was aborted.');
    if (ms <= 0) return;
    try {
      await this.options.sleep(ms, signal);
    } catch {
      throw new ModelError('aborted', 'The request was aborted.');
    }
  }
}
