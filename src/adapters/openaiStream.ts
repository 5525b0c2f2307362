// Reassembles a streamed chat completion whatever the server's habits (PRODUCT.md F9.1): tool calls
// split over many deltas or sent whole, with or without `index` and `id`, the name repeated in every
// delta or streamed a piece at a time, arguments as a string or as an object; finish_reason "stop"
// after tool calls, [DONE] without a finish reason, reasoning fields, content-filter chunks without a
// delta, usage on the finish chunk, on its own chunk, zeroed or missing (then estimated).
import * as z from 'zod';
import type { ModelResponse, ToolCall } from '../engine/ports';
import type { TokenUsage } from '../engine/goal';
import { StreamFault } from './openaiErrors';

const Args = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const ToolCallDelta = z.looseObject({
  index: z.number().int().nullish(),
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: Args.nullish() }).nullish(),
});
const Delta = z.looseObject({
  content: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
  tool_calls: z.array(ToolCallDelta).nullish(),
});
const Usage = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});
/** One `data:` payload of a chat completion stream, as loosely as servers send it. */
export const StreamChunk = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(z.looseObject({ index: z.number().nullish(), delta: Delta.nullish(), finish_reason: z.string().nullish() })).nullish(),
  usage: Usage.nullish(),
});
/** A parsed stream chunk. */
export type StreamChunk = z.infer<typeof StreamChunk>;
type ToolCallDelta = z.infer<typeof ToolCallDelta>;

interface PartialCall {
  /** The server's index, else the order of arrival: calls are returned in this order. */
  order: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * Rough token count for servers that report no usage (a zero would make the budget lie) and for the
 * output cut-off; 3.5 characters a token, as the engine's estimate, errs on the side of the budget.
 */
export function estimateTokensFromChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

const CHARS_PER_TOKEN = 3.5;

function isCompleteJson(text: string): boolean {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

let idCounter = 0;
/** Ids for calls the server sent without one: unique across the run, since they go back in the history. */
function madeUpId(): string {
  idCounter += 1;
  return `call_gp${Date.now().toString(36)}${idCounter}`;
}

/** A tool call the model wrote as text because the server did not parse it (JSON, <tool_call>, ```json). */
export function toolCallInText(content: string, toolNames: readonly string[]): string | null {
  const candidates: string[] = [];
  const tagged = /<tool_call>\s*([\s\S]*?)\s*(?:<\/tool_call>|$)/.exec(content);
  if (tagged) candidates.push(tagged[1]);
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  if (fenced) candidates.push(fenced[1]);
  const bare = content.replace(/^\s*(\[TOOL_CALLS\]|<\|python_tag\|>)/, '');
  // Several calls often come one JSON object per line.
  candidates.push(bare, ...bare.split('\n').filter((line) => line.trim().startsWith('{')));
  for (const text of candidates) {
    let value: unknown;
    try {
      value = JSON.parse(text.trim());
    } catch {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'object' || item === null) continue;
      const o = item as Record<string, unknown>;
      const fn = typeof o.function === 'object' && o.function !== null ? (o.function as Record<string, unknown>) : o;
      if (typeof fn.name === 'string' && toolNames.includes(fn.name) && ('arguments' in fn || 'parameters' in fn)) return fn.name;
    }
  }
  return null;
}

const Completion = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(z.looseObject({
    message: z.looseObject({ content: z.string().nullish(), reasoning_content: z.string().nullish(), tool_calls: z.array(ToolCallDelta).nullish() }),
    finish_reason: z.string().nullish(),
  })).min(1),
  usage: Usage.nullish(),
});

/** A non-streamed completion (a server that ignored `stream`) as the one chunk that carries all of it; null if it is not one. */
export function completionAsChunk(json: unknown): StreamChunk | null {
  const parsed = Completion.safeParse(json);
  if (!parsed.success) return null;
  const c = parsed.data;
  const choice = c.choices[0];
  const toolCalls = (choice.message.tool_calls ?? []).map((tc, i) => ({ ...tc, index: i }));
  return {
    model: c.model,
    choices: [{ index: 0, delta: { content: choice.message.content, reasoning_content: choice.message.reasoning_content, tool_calls: toolCalls }, finish_reason: choice.finish_reason ?? 'stop' }],
    usage: c.usage,
  };
}

/** What finish() reports besides the response. */
export interface StreamOutcome {
  response: ModelResponse;
  /** The name of a tool call that came back as plain text, when no real tool call came. */
  toolCallAsText: string | null;
}

/** Collects the chunks of one streamed response. */
export class StreamAccumulator {
  private content = '';
  private sawContent = false;
  private reasoningChars = 0;
  private readonly calls: PartialCall[] = [];
  private readonly byIndex = new Map<number, PartialCall>();
  private finishReason: string | null = null;
  private usage: TokenUsage | null = null;
  private model: string | null = null;
  private done = false;
  private cut = false;

  /**
   * `toolNames`: the tools offered, which tell a name streamed in pieces from a name repeated. `onText`: told each
   * content delta as it arrives (the panel's live view).
   */
  constructor(private readonly toolNames: readonly string[] = [], private readonly onText?: (delta: string) => void) {}

  add(chunk: StreamChunk): void {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) this.takeUsage(chunk.usage);
    for (const choice of chunk.choices ?? []) {
      if (typeof choice.index === 'number' && choice.index !== 0) continue;
      // Content-filter annotations (Azure) come as choices without a delta.
      const delta = choice.delta;
      if (delta?.content) {
        this.content += delta.content;
        this.sawContent = true;
        this.onText?.(delta.content);
      }
      this.reasoningChars += (delta?.reasoning_content ?? '').length + (delta?.reasoning ?? '').length;
      (delta?.tool_calls ?? []).forEach((tc, position) => this.addToolDelta(tc, position));
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /** The server sent `data: [DONE]`: the stream is complete even without a finish reason. */
  markDone(): void {
    this.done = true;
  }

  /**
   * The stream was cut off because its output passed the cap (the server ignored it): what came
   * beyond the cap is dropped, even when it all came in one huge delta.
   */
  markCut(capTokens: number): void {
    this.cut = true;
    let left = Math.max(0, Math.floor(capTokens * CHARS_PER_TOKEN));
    const take = (text: string): string => {
      const kept = text.slice(0, left);
      left -= kept.length;
      return kept;
    };
    left = Math.max(0, left - this.reasoningChars);
    this.content = take(this.content);
    for (const call of this.calls) {
      call.name = take(call.name);
      call.arguments = take(call.arguments);
    }
  }

  /** Output so far, in estimated tokens (content, reasoning, tool names and arguments). */
  outputTokens(): number {
    return estimateTokensFromChars(this.outputChars());
  }

  private outputChars(): number {
    return this.content.length + this.reasoningChars + this.calls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  }

  private takeUsage(u: z.infer<typeof Usage>): void {
    const input = u.prompt_tokens ?? 0;
    const output = u.completion_tokens ?? 0;
    // Some servers send a usage object of zeros: that is no usage, and a zero would make the budget lie.
    if (input === 0 && output === 0) return;
    this.usage = {
      inputTokens: input,
      cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
      outputTokens: output,
      reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
    };
  }

  private addToolDelta(tc: ToolCallDelta, position: number): void {
    const id = tc.id ?? '';
    const name = tc.function?.name ?? '';
    let call: PartialCall | undefined;
    if (typeof tc.index === 'number') {
      call = this.byIndex.get(tc.index);
      // Some servers number every call 0: a new id after a complete call starts another call.
      if (call && id && call.id && id !== call.id && isCompleteJson(call.arguments)) call = undefined;
    } else {
      const last = this.calls.at(-1);
      if (position === 0 && last && this.continues(last, id, name)) call = last;
    }
    if (!call) {
      call = { order: typeof tc.index === 'number' ? tc.index : this.calls.length, id: '', name: '', arguments: '' };
      this.calls.push(call);
      if (typeof tc.index === 'number') this.byIndex.set(tc.index, call);
    }
    if (id && !call.id) call.id = id;
    this.mergeName(call, name);
    const args = tc.function?.arguments;
    if (typeof args === 'string') call.arguments += args;
    else if (args !== null && args !== undefined) call.arguments = JSON.stringify(args);
  }

  /** Whether an index-less delta continues the last call rather than starting a new one. */
  private continues(last: PartialCall, id: string, name: string): boolean {
    if (id && last.id) return id === last.id;
    // A name after complete arguments is the next call; before them it is a repeat or a piece.
    if (name && last.name && isCompleteJson(last.arguments)) return false;
    return true;
  }

  private mergeName(call: PartialCall, piece: string): void {
    if (!piece) return;
    if (!call.name) {
      call.name = piece;
      return;
    }
    const joined = call.name + piece;
    if (this.toolNames.some((n) => n.startsWith(joined))) call.name = joined;
    else if (piece === call.name || this.toolNames.includes(call.name)) return;
    else call.name = joined;
  }

  /** The response; throws StreamFault when the stream ended before the model finished. */
  finish(requestModel: string, promptChars: number): StreamOutcome {
    const toolCalls: ToolCall[] = [...this.calls]
      .sort((a, b) => a.order - b.order)
      .filter((c) => c.name !== '' || c.arguments !== '')
      .map((c) => ({ id: c.id || madeUpId(), name: c.name, arguments: c.arguments }));
    let finishReason = this.cut ? 'length' : this.finishReason;
    if (finishReason === null && this.done) finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    if (finishReason === null) {
      throw new StreamFault('network', 'The model stream ended before the response was complete.');
    }
    const estimatedOutput = estimateTokensFromChars(this.outputChars());
    // A cut stream never gets its usage chunk; what was received is what counts.
    const usage: TokenUsage = this.usage && !this.cut
      ? this.usage
      : {
          inputTokens: this.usage?.inputTokens ?? estimateTokensFromChars(promptChars),
          cachedInputTokens: this.usage?.cachedInputTokens ?? 0,
          outputTokens: Math.max(estimatedOutput, this.usage?.outputTokens ?? 0),
          reasoningTokens: this.usage?.reasoningTokens ?? 0,
        };
    const content = this.sawContent ? this.content : null;
    const toolCallAsText = toolCalls.length === 0 && content ? toolCallInText(content, this.toolNames) : null;
    return {
      response: { content, toolCalls, usage, finishReason, model: this.model ?? requestModel, usageEstimated: this.usage === null || this.cut },
      toolCallAsText,
    };
  }
}
