// The OpenAI Chat Completions wire format the scripted server speaks: request body schema, streamed
// chunks and the non-streamed completion. Kept apart from the HTTP plumbing so both stay readable.
import * as z from 'zod';

/** A tool offered in a request, as the wire carries it. */
const WireTool = z.looseObject({
  type: z.string(),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** One message of a request, loosely typed so tests can inspect what the client really sent. */
const WireMessage = z.looseObject({
  role: z.string(),
  content: z.unknown().optional(),
  tool_calls: z
    .array(z.looseObject({ id: z.string(), type: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) }))
    .optional(),
  tool_call_id: z.string().optional(),
});

/** The body of POST /chat/completions; unknown fields are kept so tests can assert on them. */
export const ChatRequestBody = z.looseObject({
  model: z.string(),
  messages: z.array(WireMessage),
  tools: z.array(WireTool).optional(),
  tool_choice: z.unknown().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().nullable().optional(),
  max_completion_tokens: z.number().nullable().optional(),
});
/** A parsed request body. */
export type ChatRequestBody = z.infer<typeof ChatRequestBody>;

/** Token usage a step reports; cached and reasoning tokens go in the *_details objects. */
export interface ScriptUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

/** A tool call after the script's arguments were turned into the string the wire carries. */
export interface WireToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Everything needed to render one response, streamed or not. */
export interface WireAnswer {
  id: string;
  model: string;
  content: string | null;
  toolCalls: WireToolCall[];
  finishReason: string;
  /** null: the server sends no usage at all (some local servers do that). */
  usage: ScriptUsage | null;
  chunkChars: number;
}

/** Splits text into pieces of `size` characters (at least one piece, possibly empty). */
export function splitText(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const step = Math.max(1, Math.floor(size));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step));
  return out;
}

/** Rough token estimate (chars / 4), good enough for a scripted server's default usage. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The usage object the wire carries, totals and details included. */
export function wireUsage(u: ScriptUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
  };
}

const created = (): number => Math.floor(Date.now() / 1000);

/** Streaming habits of a server's tool calls and chunks; scriptedDialects.ts names each server's set. */
export interface WireHabits {
  /** Each tool call in a single delta (id, name and all arguments). */
  callsWhole?: boolean;
  /** Tool-call deltas carry no `index`. */
  noIndex?: boolean;
  /** Every tool-call delta repeats the id and the name. */
  nameEveryDelta?: boolean;
  /** The name is streamed a character at a time. */
  namePerChar?: boolean;
  /** Arguments sent as a JSON object, not a string (implies callsWhole). */
  objectArgs?: boolean;
  /** Ids are empty strings. */
  emptyIds?: boolean;
  /** Tool calls come back as text in `content` (the server did not parse them). */
  callsAsText?: boolean;
  /** The finish reason after tool calls: "tool_calls", "stop", or none at all (only [DONE]). */
  finishAfterTools?: 'tool_calls' | 'stop' | 'none';
  /** Usage: its own chunk when asked (OpenAI), on the finish chunk, or never. */
  usage?: 'separate' | 'on-finish' | 'none';
  /** Reasoning deltas before the answer, in this field. */
  reasoning?: 'reasoning_content' | 'reasoning';
  /** Azure's content-filter annotations: a first chunk with no choices, and filter results on chunks. */
  contentFilter?: boolean;
}

const FILTER_OK = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };

function chunk(a: WireAnswer, delta: Record<string, unknown>, finishReason: string | null, habits: WireHabits = {}): Record<string, unknown> {
  const choice: Record<string, unknown> = { index: 0, delta, finish_reason: finishReason, logprobs: null };
  if (habits.contentFilter) choice.content_filter_results = FILTER_OK;
  return { id: a.id, object: 'chat.completion.chunk', created: created(), model: a.model, choices: [choice] };
}

function toolCallEvents(a: WireAnswer, call: WireToolCall, index: number, h: WireHabits): Record<string, unknown>[] {
  const id = h.emptyIds ? '' : call.id;
  const withIndex = (tc: Record<string, unknown>): Record<string, unknown> => (h.noIndex ? tc : { index, ...tc });
  if (h.objectArgs || h.callsWhole) {
    let args: unknown = call.arguments;
    if (h.objectArgs) {
      try {
        args = JSON.parse(call.arguments);
      } catch {
        // not JSON: sent as the string it is
      }
    }
    return [chunk(a, { tool_calls: [withIndex({ id, type: 'function', function: { name: call.name, arguments: args } })] }, null, h)];
  }
  const events: Record<string, unknown>[] = [];
  const namePieces = h.namePerChar ? [...call.name] : [call.name];
  namePieces.forEach((piece, i) => {
    events.push(chunk(a, { tool_calls: [withIndex({ ...(i === 0 || h.nameEveryDelta ? { id, type: 'function' } : {}), function: { name: piece, ...(i === 0 ? { arguments: '' } : {}) } })] }, null, h));
  });
  if (call.arguments === '') return events;
  for (const piece of splitText(call.arguments, a.chunkChars)) {
    const fn = h.nameEveryDelta ? { name: call.name, arguments: piece } : { arguments: piece };
    events.push(chunk(a, { tool_calls: [withIndex({ ...(h.nameEveryDelta ? { id, type: 'function' } : {}), function: fn })] }, null, h));
  }
  return events;
}

/** What the model "says" when the server hands its tool calls back as text (Hermes-style JSON). */
export function callsAsText(calls: WireToolCall[]): string {
  return calls.map((c) => JSON.stringify({ name: c.name, arguments: JSON.parse(c.arguments || '{}') as unknown })).join('\n');
}

/**
 * The `data:` payloads of a streamed answer, in order, [DONE] excluded. Content and tool arguments
 * are cut into many small deltas so clients must really reassemble them; `habits` make it speak like
 * a particular server.
 */
export function streamEvents(a: WireAnswer, includeUsage: boolean, habits: WireHabits = {}): Record<string, unknown>[] {
  const h = habits;
  const events: Record<string, unknown>[] = [];
  if (h.contentFilter) {
    events.push({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: FILTER_OK }] });
  }
  events.push(chunk(a, { role: 'assistant', content: '' }, null, h));
  if (h.reasoning) {
    for (const piece of splitText('Let me think about which tool to call.', a.chunkChars)) events.push(chunk(a, { [h.reasoning]: piece }, null, h));
  }
  const asText = h.callsAsText && a.toolCalls.length > 0;
  const content = asText ? `${a.content ?? ''}${callsAsText(a.toolCalls)}` : a.content;
  if (content !== null && content !== '') {
    for (const piece of splitText(content, a.chunkChars)) events.push(chunk(a, { content: piece }, null, h));
  }
  if (!asText) a.toolCalls.forEach((call, index) => events.push(...toolCallEvents(a, call, index, h)));
  const hadTools = a.toolCalls.length > 0 && !asText;
  let finish: string | null = a.finishReason;
  if (hadTools && a.finishReason === 'tool_calls' && h.finishAfterTools) finish = h.finishAfterTools === 'none' ? null : h.finishAfterTools;
  if (asText && a.finishReason === 'tool_calls') finish = 'stop';
  const usageMode = h.usage ?? 'separate';
  const finishChunk = chunk(a, {}, finish, h);
  if (usageMode === 'on-finish' && a.usage) finishChunk.usage = wireUsage(a.usage);
  if (finish !== null || usageMode === 'on-finish') events.push(finishChunk);
  if (usageMode === 'separate' && includeUsage && a.usage) {
    events.push({ id: a.id, object: 'chat.completion.chunk', created: created(), model: a.model, choices: [], usage: wireUsage(a.usage) });
  }
  return events;
}

/** The single JSON object of a non-streamed answer. */
export function completionBody(a: WireAnswer): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: a.content, refusal: null };
  if (a.toolCalls.length > 0) {
    message.tool_calls = a.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  const body: Record<string, unknown> = {
    id: a.id,
    object: 'chat.completion',
    created: created(),
    model: a.model,
    choices: [{ index: 0, message, finish_reason: a.finishReason, logprobs: null }],
  };
  if (a.usage) body.usage = wireUsage(a.usage);
  return body;
}

/** An OpenAI-style error body. */
export function errorBody(message: string, type: string, code: string | null): Record<string, unknown> {
  return { error: { message, type, code, param: null } };
}
