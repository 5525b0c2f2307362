// How real OpenAI-compatible servers differ on the wire (PRODUCT.md F9.1), as named profiles the
// scripted server can speak: where the chat route lives and how the key travels (Azure), which output
// cap field is honoured, which request fields are refused, how errors are shaped and worded, which
// window is checked, and the streaming habits of each server's tool calls. Each habit is one switch,
// so a test can also take a profile and change one thing.
import type * as http from 'node:http';
import { estimateTokens, type ChatRequestBody, type WireHabits } from './scriptedWire';

/** Streaming habits of a server's tool calls and chunks (each one documented on WireHabits). */
export type StreamHabits = WireHabits;

/** How a server words "the request does not fit". */
export type ContextWording = 'openai' | 'vllm-old' | 'vllm-new' | 'llamacpp-old' | 'llamacpp-new' | 'ollama';

/** One server's wire behaviour. */
export interface Dialect {
  name: string;
  /** Where chat completions are served: /v1/…, Azure's deployments URL, or Azure's /openai/v1/…. */
  route: 'v1' | 'azure-classic' | 'azure-v1';
  /** For Azure routes: the key expected in the `api-key` header. */
  apiKey?: string;
  /** For azure-classic: deployments that exist (others: 404 DeploymentNotFound). */
  deployments?: string[];
  /** Output-cap fields honoured; others are ignored (not refused). Empty: the server ignores every cap. */
  honours: ('max_completion_tokens' | 'max_tokens')[];
  /** Request fields refused with a 400 naming them (strict schemas of older servers). */
  refuses?: string[];
  /** `{"error":{…}}` (OpenAI), or `{"object":"error","message":…}` at the top level (older vLLM). */
  errorShape: 'openai' | 'top-level';
  /** The window the server checks, and whether the requested cap counts against it (vLLM). */
  window?: { tokens: number; countsCap: boolean; wording: ContextWording };
  /** Set when the server was started without the flag that enables tools: requests with tools fail. */
  toolsNeedFlag?: { status: number; message: string };
  stream: StreamHabits;
}

const OPENAI_STREAM: StreamHabits = { finishAfterTools: 'tool_calls', usage: 'separate' };

/** The named profiles. */
export const DIALECTS = {
  openai: { name: 'openai', route: 'v1', honours: ['max_completion_tokens', 'max_tokens'], errorShape: 'openai', window: { tokens: 128_000, countsCap: false, wording: 'openai' }, stream: OPENAI_STREAM },
  azureClassic: { name: 'azure-classic', route: 'azure-classic', apiKey: 'azure-key-0123456789', deployments: ['gp-deploy'], honours: ['max_completion_tokens', 'max_tokens'], errorShape: 'openai', stream: { ...OPENAI_STREAM, contentFilter: true } },
  azureV1: { name: 'azure-v1', route: 'azure-v1', apiKey: 'azure-key-0123456789', honours: ['max_completion_tokens', 'max_tokens'], errorShape: 'openai', stream: { ...OPENAI_STREAM, contentFilter: true } },
  /** Ollama before 0.8 with stream + tools: the model's tool call comes back as text. */
  ollamaOld: { name: 'ollama-old', route: 'v1', honours: ['max_tokens'], errorShape: 'openai', stream: { callsAsText: true, finishAfterTools: 'stop', usage: 'none' } },
  /** Ollama 0.8+: each call whole in one delta, arguments as an object, "stop" after tool calls, `reasoning`. */
  ollamaNew: { name: 'ollama-new', route: 'v1', honours: ['max_tokens'], errorShape: 'openai', window: { tokens: 32_768, countsCap: false, wording: 'ollama' }, stream: { callsWhole: true, objectArgs: true, finishAfterTools: 'stop', usage: 'on-finish', reasoning: 'reasoning' } },
  /** LM Studio: id and name repeated in every delta, usage on the finish chunk, only max_tokens. */
  lmstudio: { name: 'lmstudio', route: 'v1', honours: ['max_tokens'], errorShape: 'openai', stream: { nameEveryDelta: true, finishAfterTools: 'tool_calls', usage: 'on-finish' } },
  /** Older vLLM: strict schema (no stream_options), top-level error bodies, prompt + cap checked against the window. */
  vllmOld: { name: 'vllm-old', route: 'v1', honours: ['max_tokens'], refuses: ['stream_options', 'max_completion_tokens'], errorShape: 'top-level', window: { tokens: 16_384, countsCap: true, wording: 'vllm-old' }, stream: { finishAfterTools: 'tool_calls', usage: 'none', reasoning: 'reasoning_content' } },
  /** Newer vLLM: prompt + cap checked, newer wording, `reasoning_content`. */
  vllmNew: { name: 'vllm-new', route: 'v1', honours: ['max_completion_tokens', 'max_tokens'], errorShape: 'openai', window: { tokens: 16_384, countsCap: true, wording: 'vllm-new' }, stream: { ...OPENAI_STREAM, reasoning: 'reasoning_content' } },
  /** Older llama.cpp (with --jinja): deltas without index, empty ids, [DONE] without a finish reason, no usage. */
  llamacppOld: { name: 'llamacpp-old', route: 'v1', honours: ['max_tokens'], errorShape: 'openai', window: { tokens: 8192, countsCap: false, wording: 'llamacpp-old' }, stream: { noIndex: true, emptyIds: true, finishAfterTools: 'none', usage: 'none' } },
  /** Newer llama.cpp: the name a character at a time, usage on the finish chunk, exceed_context_size_error with n_ctx. */
  llamacppNew: { name: 'llamacpp-new', route: 'v1', honours: ['max_tokens'], errorShape: 'openai', window: { tokens: 8192, countsCap: false, wording: 'llamacpp-new' }, stream: { namePerChar: true, finishAfterTools: 'tool_calls', usage: 'on-finish' } },
} satisfies Record<string, Dialect>;

/** Servers started without their tools flag. */
export const MISSING_TOOL_FLAGS = {
  llamacpp: { status: 500, message: 'tools param requires --jinja flag' },
  vllm: { status: 400, message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set' },
} satisfies Record<string, Dialect['toolsNeedFlag']>;

/** A refusal to send instead of an answer. */
export interface DialectRefusal {
  status: number;
  body: unknown;
}

/** An error body in the dialect's shape. */
export function dialectError(d: Dialect, status: number, message: string, type: string, code: string | number | null, extra: Record<string, unknown> = {}): DialectRefusal {
  if (d.errorShape === 'top-level') return { status, body: { object: 'error', message, type, param: null, code: status, ...extra } };
  return { status, body: { error: { message, type, param: null, code, ...extra } } };
}

/** Checks the route, the key and the api-version as the server would; null when the request may go on. */
export function checkRoute(d: Dialect, url: URL, headers: http.IncomingHttpHeaders): DialectRefusal | null {
  const path = url.pathname;
  if (d.route === 'v1') return null;
  if (headers['api-key'] !== d.apiKey) {
    return dialectError(d, 401, 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.', 'invalid_request_error', '401');
  }
  if (d.route === 'azure-v1') {
    return path === '/openai/v1/chat/completions' ? null : dialectError(d, 404, 'Resource not found', 'invalid_request_error', '404');
  }
  const m = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path);
  if (!m || !url.searchParams.get('api-version')) return dialectError(d, 404, 'Resource not found', 'invalid_request_error', '404');
  if (!(d.deployments ?? []).includes(decodeURIComponent(m[1]))) {
    return dialectError(d, 404, 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.', 'invalid_request_error', 'DeploymentNotFound');
  }
  return null;
}

function contextRefusal(d: Dialect, windowTokens: number, prompt: number, cap: number): DialectRefusal {
  const wording = d.window?.wording ?? 'openai';
  switch (wording) {
    case 'openai':
      return dialectError(d, 400, `This model's maximum context length is ${windowTokens} tokens. However, your messages resulted in ${prompt} tokens. Please reduce the length of the messages.`, 'invalid_request_error', 'context_length_exceeded');
    case 'vllm-old':
      return dialectError(d, 400, `This model's maximum context length is ${windowTokens} tokens. However, you requested ${prompt + cap} tokens (${prompt} in the messages, ${cap} in the completion). Please reduce the length of the messages or completion.`, 'BadRequestError', 400);
    case 'vllm-new':
      return dialectError(d, 400, `'max_tokens' or 'max_completion_tokens' is too large: ${cap}. This model's maximum context length is ${windowTokens} tokens and your request has ${prompt} input tokens (${cap} > ${windowTokens} - ${prompt}). None`, 'BadRequestError', 400);
    case 'llamacpp-old':
      return dialectError(d, 400, 'the request exceeds the available context size, try increasing the context size or enable context shift', 'invalid_request_error', 400);
    case 'llamacpp-new':
      return dialectError(d, 400, 'the request exceeds the available context size, try increasing it', 'exceed_context_size_error', 400, { n_prompt_tokens: prompt, n_ctx: windowTokens });
    case 'ollama':
      return dialectError(d, 400, `the input length exceeds the context length (${prompt} > ${windowTokens})`, 'api_error', null);
  }
}

/** The cap the server applies: the first honoured field the request set, else none. */
export function honouredCap(d: Dialect, body: ChatRequestBody): number | null {
  for (const field of d.honours) {
    const v = body[field];
    if (typeof v === 'number') return v;
  }
  return null;
}

/** Refuses what the server would refuse before generating anything; null when it would answer. */
export function checkRequest(d: Dialect, body: ChatRequestBody): DialectRefusal | null {
  for (const field of d.refuses ?? []) {
    if (body[field] !== undefined) {
      return dialectError(d, 400, `[{'type': 'extra_forbidden', 'loc': ('body', '${field}'), 'msg': 'Extra inputs are not permitted', 'input': ${JSON.stringify(body[field])}}]`, 'BadRequestError', 400);
    }
  }
  if (d.toolsNeedFlag && (body.tools?.length ?? 0) > 0) {
    return dialectError(d, d.toolsNeedFlag.status, d.toolsNeedFlag.message, d.toolsNeedFlag.status >= 500 ? 'server_error' : 'BadRequestError', d.toolsNeedFlag.status);
  }
  if (d.window) {
    const prompt = estimateTokens(JSON.stringify(body.messages) + JSON.stringify(body.tools ?? []));
    const cap = honouredCap(d, body) ?? 0;
    const needed = prompt + (d.window.countsCap ? cap : 0);
    if (needed > d.window.tokens) return contextRefusal(d, d.window.tokens, prompt, cap);
  }
  return null;
}
