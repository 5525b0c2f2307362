// The OpenAI Chat Completions wire format the scripted server speaks: request body schema, streamed
// chunks and the non-streamed completion. Kept apart from the HTTP plumbing so both stay readable.
import { z } from 'zod';

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

function chunk(a: WireAnswer, delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
  return {
    id: a.id,
    object: 'chat.completion.chunk',
    created: created(),
    model: a.model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
}

/**
 * The `data:` payloads of a streamed answer, in order, [DONE] excluded. Content and tool arguments
 * are cut into many small deltas so clients must really reassemble them.
 */
export function streamEvents(a: WireAnswer, includeUsage: boolean): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [chunk(a, { role: 'assistant', content: '' }, null)];
  if (a.content !== null && a.content !== '') {
    for (const piece of splitText(a.content, a.chunkChars)) events.push(chunk(a, { content: piece }, null));
  }
  a.toolCalls.forEach((call, index) => {
    events.push(chunk(a, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null));
    if (call.arguments === '') return;
    for (const piece of splitText(call.arguments, a.chunkChars)) {
      events.push(chunk(a, { tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  });
  events.push(chunk(a, {}, a.finishReason));
  if (includeUsage && a.usage) {
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
