// One role's turn: the request ↔ tool-call exchange until the role calls its submit/finish tool.
// Guards live here: the reminder when a turn ends without submitting, the step cap, the repetition
// guard, compaction, the budget check before every request, and context-length recovery.
import { ModelError, type ChatMessage, type ModelRequest, type ModelResponse, type ToolSpec } from '../ports';
import type { Role } from '../goal';
import { renderPrompt } from '../prompts';
import { modelFor } from '../settings';
import { Aborted, BudgetExhausted, RepositoryLost, throwIfAborted } from '../errors';
import { dispatchToolCall, toToolSpec } from '../tools/defineTool';
import { asSubmission, type Submission, type TaskDraft } from '../tools/submitTools';
import type { ToolCapabilities } from '../tools/capabilities';
import type { Toolset } from '../tools/toolsets';
import { compact, needsCompaction, shrinkOversized } from './compaction';
import { estimateRequestTokens, estimateToolTokens } from './tokens';
import type { GoalSession } from './session';

/** Same call this many times in a turn: a warning goes back with the result. */
export const REPEAT_WARN = 3;
/** …and at this many the attempt ends. */
export const REPEAT_STOP = 5;
/** A request is not sent unless at least this much output still fits in the budget. */
export const MIN_OUTPUT_TOKENS = 256;
/** Safety factor on the character-based token estimate (real tokenizers count up to ~15 % more). */
export const ESTIMATE_MARGIN = 1.15;
/** Output cap per request when the budget is what limits it. */
export const MAX_OUTPUT_TOKENS = 16_000;
/** The largest share of the context window one answer may take (it is part of the next prompt). */
export const OUTPUT_SHARE_OF_WINDOW = 0.25;

export interface TurnSpec {
  role: Exclude<Role, 'compaction'>;
  system: string;
  user: string;
  toolset: Toolset;
  caps: ToolCapabilities;
  maxSteps: number;
  /** Called as soon as add_tasks succeeds, so discovered work is saved even if the turn fails later. */
  onAddTasks?(tasks: TaskDraft[]): Promise<void>;
  /** Called after the first successful response (e.g. to clear the objective-updated notice). */
  onFirstResponse?(): Promise<void>;
}

export type TurnResult =
  | { kind: 'submitted'; submission: Submission; steps: number }
  /** `toolCalls`: how many tool calls the turn made (0: the model only ever answered in text). */
  | { kind: 'no-submit'; steps: number; toolCalls: number }
  | { kind: 'step-cap'; steps: number }
  | { kind: 'repetition'; call: string; steps: number };

// Tool definitions are static: their JSON schemas are built once, not on every turn.
const toolSpecs = new WeakMap<object, ToolSpec>();
function cachedToolSpec(tool: Toolset['tools'][number]): ToolSpec {
  let spec = toolSpecs.get(tool);
  if (!spec) {
    spec = toToolSpec(tool);
    toolSpecs.set(tool, spec);
  }
  return spec;
}

function callSignature(name: string, args: string): string {
  let normalised = args.trim();
  try {
    normalised = JSON.stringify(JSON.parse(args));
  } catch {
    // keep the raw text: invalid JSON repeated is still a repetition
  }
  return `${name} ${normalised}`;
}

/**
 * The output cap of a request: prompt + cap fit the context window (servers such as vLLM refuse a
 * request whose sum does not), and the cap never passes what is left of the budget.
 */
export function outputCap(session: GoalSession, promptEstimate: number, remaining: number): number {
  // At most a quarter of the window: the answer goes back in the next prompt, which must still fit.
  const window = session.contextWindow();
  const inWindow = Math.max(MIN_OUTPUT_TOKENS, Math.min(window - promptEstimate, Math.floor(window * OUTPUT_SHARE_OF_WINDOW)));
  const inBudget = Number.isFinite(remaining) ? Math.max(1, Math.floor(remaining - promptEstimate)) : Number.POSITIVE_INFINITY;
  return Math.min(MAX_OUTPUT_TOKENS, inWindow, inBudget);
}

/** What a tool call works on, for the live view: its path, query or command ('' when none). */
export function callTarget(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed === null || typeof parsed !== 'object') return '';
    const o = parsed as Record<string, unknown>;
    for (const key of ['path', 'query', 'command']) {
      if (typeof o[key] === 'string') return o[key];
    }
  } catch {
    // not JSON: the tool reports that to the model; the live view shows no target
  }
  return '';
}

async function request(
  session: GoalSession,
  req: ModelRequest,
  signal: AbortSignal | undefined,
): Promise<ModelResponse> {
  const step = session.deps.observer?.step;
  const role = req.role;
  step?.({ kind: 'request', role });
  try {
    return await session.deps.model.complete(req, signal, step ? {
      onText: (delta) => step({ kind: 'text', role, delta }),
      onRetry: (info) => step({ kind: 'retry', role, ...info }),
    } : undefined);
  } catch (e) {
    if (e instanceof ModelError && e.kind === 'aborted') throw new Aborted();
    throw e;
  }
}

/** What one turn carries between its steps. */
interface TurnState {
  messages: ChatMessage[];
  readonly tools: ToolSpec[];
  /** estimateToolTokens(tools), counted once for the turn. */
  readonly toolTokens: number;
  /** How often each exact call was made (the repetition guard). */
  readonly seen: Map<string, number>;
  reminded: boolean;
  firstResponse: boolean;
}

export async function runTurn(session: GoalSession, spec: TurnSpec, signal?: AbortSignal): Promise<TurnResult> {
  const tools = spec.toolset.tools.map(cachedToolSpec);
  const turn: TurnState = {
    messages: [{ role: 'system', content: spec.system }, { role: 'user', content: spec.user }],
    tools,
    toolTokens: estimateToolTokens(tools),
    seen: new Map<string, number>(),
    reminded: false,
    firstResponse: true,
  };
  for (let step = 1; step <= spec.maxSteps; step++) {
    throwIfAborted(signal);
    const req = await nextRequest(session, spec, turn, signal);
    const response = await requestWithRecovery(session, turn, req, signal);
    await recordResponse(session, spec, step, req.model, response);
    if (turn.firstResponse) {
      turn.firstResponse = false;
      await spec.onFirstResponse?.();
    }
    turn.messages = [...turn.messages, { role: 'assistant', content: response.content, toolCalls: response.toolCalls }];

    if (response.toolCalls.length === 0) {
      if (turn.reminded) return { kind: 'no-submit', steps: step, toolCalls: [...turn.seen.values()].reduce((a, b) => a + b, 0) };
      turn.reminded = true;
      turn.messages = [...turn.messages, { role: 'user', content: renderPrompt(session.deps.prompts, 'reminder', { tool: spec.toolset.reminderTool }) }];
      continue;
    }
    const ended = await runToolCalls(session, spec, turn, response, step, signal);
    if (ended) return ended;
  }
  return { kind: 'step-cap', steps: spec.maxSteps };
}

/**
 * The next request, compacted when needed. Input is estimated; output is capped to what is left, so a
 * request can never run far past the budget (the only planned overshoot is the wrap-up request); one
 * that does not fit throws BudgetExhausted.
 */
async function nextRequest(session: GoalSession, spec: TurnSpec, turn: TurnState, signal?: AbortSignal): Promise<ModelRequest> {
  if (needsCompaction(session, turn.messages, turn.tools, turn.toolTokens)) turn.messages = await compact(session, turn.messages, signal);
  // A margin over the estimate: an undercount must not let a request pass the budget.
  const estimate = Math.ceil(estimateRequestTokens(turn.messages, turn.tools, turn.toolTokens) * ESTIMATE_MARGIN) + 32;
  const remaining = session.remainingTokens();
  if (estimate + MIN_OUTPUT_TOKENS > remaining) throw new BudgetExhausted();
  return {
    role: spec.role,
    model: modelFor(session.settings(), spec.role),
    messages: turn.messages,
    tools: turn.tools,
    toolChoice: 'auto',
    maxTokens: outputCap(session, estimate, remaining),
  };
}

/** Sends the request; on a context-length refusal, compacts (or shrinks) once and tries again. */
async function requestWithRecovery(session: GoalSession, turn: TurnState, req: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
  try {
    return await request(session, req, signal);
  } catch (e) {
    if (!(e instanceof ModelError) || e.kind !== 'context-length') throw e;
    // The window is smaller than configured (the server said how small), or the estimate was off.
    if (e.context.windowTokens) session.learnContextWindow(e.context.windowTokens);
    let shorter = await compact(session, turn.messages, signal);
    // Nothing old to compact: the recent messages themselves are too long (one huge answer).
    if (shorter === turn.messages) shorter = shrinkOversized(turn.messages, Math.floor(session.contextWindow() * OUTPUT_SHARE_OF_WINDOW * 3.5));
    if (shorter === turn.messages) throw e;
    turn.messages = shorter;
    const shorterEstimate = Math.ceil(estimateRequestTokens(turn.messages, turn.tools, turn.toolTokens) * ESTIMATE_MARGIN) + 32;
    return request(session, { ...req, messages: turn.messages, maxTokens: outputCap(session, shorterEstimate, session.remainingTokens()) }, signal);
  }
}

/** Usage, transcript and observer for one response. */
async function recordResponse(session: GoalSession, spec: TurnSpec, step: number, model: string, response: ModelResponse): Promise<void> {
  const { deps } = session;
  if (response.contextWindow) session.learnContextWindow(response.contextWindow);
  await session.recordUsage(spec.role, response.usage);
  await deps.transcript.append({
    at: deps.clock.now().toISOString(),
    goal: session.goal.id,
    role: spec.role,
    step,
    response: { content: response.content, toolCalls: response.toolCalls, usage: response.usage, finishReason: response.finishReason },
  });
  deps.observer?.modelResponse?.({ role: spec.role, model, step, usage: response.usage, toolCalls: response.toolCalls.map((c) => c.name) });
}

/** Runs the response's tool calls in order; the turn's end (submitted, repetition) or null to go on. */
async function runToolCalls(session: GoalSession, spec: TurnSpec, turn: TurnState, response: ModelResponse, step: number, signal?: AbortSignal): Promise<TurnResult | null> {
  const { deps } = session;
  let submission: Submission | null = null;
  const before = turn.messages.length;
  for (const call of response.toolCalls) {
    if (submission) {
      turn.messages = [...turn.messages, { role: 'tool', toolCallId: call.id, content: 'Not run: your turn already ended.' }];
      continue;
    }
    const signature = callSignature(call.name, call.arguments);
    const count = (turn.seen.get(signature) ?? 0) + 1;
    turn.seen.set(signature, count);
    if (count >= REPEAT_STOP) {
      await session.log(session.goal.phase ?? 'act', `repetition guard: ${call.name} called ${count} times with the same arguments; attempt ended`);
      return { kind: 'repetition', call: signature, steps: step };
    }
    const live = deps.observer?.step;
    const target = callTarget(call.arguments);
    const isCommand = call.name === 'run_command';
    live?.(isCommand ? { kind: 'command', command: target, origin: 'agent', running: true } : { kind: 'tool', role: spec.role, name: call.name, target });
    const result = await dispatchToolCall(spec.toolset.tools, call, spec.caps, signal);
    deps.observer?.toolCall?.({ role: spec.role, name: call.name, arguments: call.arguments, ok: result.ok });
    if (isCommand) live?.({ kind: 'command', command: target, origin: 'agent', running: false });
    throwIfAborted(signal);
    const lost = repositoryLoss(result.outcome?.data);
    if (lost) throw new RepositoryLost(lost);
    let content = result.content;
    if (count >= REPEAT_WARN) {
      content += `\n\nWarning: you have made this exact ${call.name} call ${count} times in this turn. It will not give a different result; change your approach. At ${REPEAT_STOP} the attempt ends.`;
    }
    turn.messages = [...turn.messages, { role: 'tool', toolCallId: call.id, content }];
    if (!result.ok) continue;
    const sub = asSubmission(result.outcome?.data);
    if (sub?.kind === 'add-tasks') await spec.onAddTasks?.(sub.tasks);
    else if (sub && spec.toolset.terminal.includes(call.name)) submission = sub;
  }
  // The transcript keeps what the model saw back, not only what it said.
  await deps.transcript.append({
    at: deps.clock.now().toISOString(),
    goal: session.goal.id,
    role: spec.role,
    step,
    toolResults: turn.messages.slice(before).map((m) => (m.role === 'tool' ? { toolCallId: m.toolCallId, content: m.content } : m)),
  });
  return submission ? { kind: 'submitted', submission, steps: step } : null;
}

/** The message of a run_command whose command removed the repository's .git, or null. */
function repositoryLoss(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || !('repositoryLost' in data)) return null;
  const lost = (data as { repositoryLost: unknown }).repositoryLost;
  return typeof lost === 'string' && lost !== '' ? lost : null;
}
