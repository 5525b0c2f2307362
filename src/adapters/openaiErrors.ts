// Turns whatever the openai SDK or the stream throws into a decision: which ModelErrorKind, whether
// another try can help, and how long the server asked us to wait. Messages say what happened and what
// to do, and never carry the API key.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ContextFacts, ModelErrorKind } from '../engine/ports';
import type { Provider } from './providers';
import { IdleTimeout } from './sseReader';

/** A stream that could not be used: cut off, unfinished, or not understood. Always worth another try. */
export class StreamFault extends Error {
  constructor(
    readonly kind: 'network' | 'bad-response',
    message: string,
  ) {
    super(message);
    this.name = 'StreamFault';
  }
}

/** The model wrote a tool call as text: the server did not parse it, so no tool call came. */
export class ToolCallsAsText extends Error {
  constructor(
    readonly toolName: string,
    readonly serverLabel: string,
  ) {
    super(`tool call ${toolName} came back as text`);
    this.name = 'ToolCallsAsText';
  }
}

const TEXT_CALL_FIX: Record<string, string> = {
  Ollama: 'Upgrade Ollama to 0.8 or later, which streams tool calls as tool calls.',
  'llama.cpp': 'Restart llama-server with --jinja (and a chat template that supports tools).',
  vLLM: 'Restart vLLM with --enable-auto-tool-choice --tool-call-parser PARSER (the parser for your model, e.g. hermes).',
  'LM Studio': 'Update LM Studio and load a model it marks as tool-capable.',
};

function textCallFailure(e: ToolCallsAsText): Failure {
  const fix = TEXT_CALL_FIX[e.serverLabel] ?? 'Turn on tool-call parsing on the server (or choose a model it can parse, goalpost.model / --model); set goalpost.provider / --provider for advice about your server.';
  return fail('server-setup', `The model called ${e.toolName}, but ${e.serverLabel} returned the call as plain text instead of a tool call, so Goalpost cannot run it. The model is fine; the server does not parse its tool calls while streaming. ${fix}`, null, false);
}

/** What one failed try means. */
export interface Failure {
  kind: ModelErrorKind;
  message: string;
  status: number | null;
  retryable: boolean;
  /** The server's Retry-After / retry-after-ms, in ms, already capped; null when it gave none. */
  retryAfterMs: number | null;
  /** For context-length failures: the window and prompt size the server named. */
  context?: ContextFacts;
}

/** Longest wait a Retry-After header may impose; beyond this we would rather pause the goal. */
export const RETRY_AFTER_CAP_MS = 60_000;

/** Parses retry-after-ms, then Retry-After (seconds or an HTTP date), capped. */
export function retryAfterFrom(headers: Headers | undefined, now: number = Date.now()): number | null {
  if (!headers) return null;
  const cap = (ms: number): number => Math.min(Math.max(0, ms), RETRY_AFTER_CAP_MS);
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return cap(Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return null;
  if (Number.isFinite(Number(after))) return cap(Number(after) * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : cap(date - now);
}

interface ErrorFields {
  code: string;
  type: string;
  message: string;
  body: Record<string, unknown>;
}

/** code, type and the server's own message, from wherever the SDK put them. */
function fieldsOf(e: APIError): ErrorFields {
  const body = typeof e.error === 'object' && e.error !== null ? (e.error as Record<string, unknown>) : {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const raw = body.message;
  const message = (typeof raw === 'string' ? raw : raw !== undefined ? JSON.stringify(raw) : '') || e.message.replace(/^\d{3}\s+/, '') || 'no details';
  return { code: str(e.code) || str(body.code), type: str(e.type) || str(body.type), message, body };
}

/** Context-length errors in the wording of OpenAI, vLLM (old and new), llama.cpp (old and new), Ollama and LM Studio. */
const CONTEXT_RE = /context[ _-]?length|maximum context|context window|context size|exceed_context_size|too many tokens|prompt is too long|prompt too long|input is too long/i;

/** The numbers a context-length error gives away, so Goalpost can learn the real window. */
export function contextFacts(message: string, body: Record<string, unknown> = {}): ContextFacts {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(message);
    return m ? Number(m[1].replace(/[,_]/g, '')) : undefined;
  };
  const field = (key: string): number | undefined => (typeof body[key] === 'number' ? (body[key] as number) : undefined);
  const windowTokens = field('n_ctx')
    ?? num(/maximum context length is ([\d,]+)/i)
    ?? num(/context (?:length|size|window) of (?:only )?([\d,]+)/i)
    ?? num(/n_ctx[^\d]{1,5}([\d,]+)/i);
  const promptTokens = field('n_prompt_tokens')
    ?? num(/([\d,]+) in the messages/i)
    ?? num(/request has ([\d,]+) input tokens/i)
    ?? num(/messages resulted in ([\d,]+) tokens/i)
    ?? num(/n_prompt_tokens[^\d]{1,5}([\d,]+)/i);
  const facts: ContextFacts = {};
  if (windowTokens !== undefined && Number.isFinite(windowTokens) && windowTokens > 0) facts.windowTokens = windowTokens;
  if (promptTokens !== undefined && Number.isFinite(promptTokens) && promptTokens > 0) facts.promptTokens = promptTokens;
  return facts;
}

/** Server errors that mean a start flag or a capability is missing: no retry can help, the fix is named. */
const SETUP_PROBLEMS: { re: RegExp; fix: string }[] = [
  { re: /--jinja/i, fix: 'Restart llama-server with --jinja (tool calling needs the model\'s Jinja chat template).' },
  { re: /--enable-auto-tool-choice|--tool-call-parser/i, fix: 'Restart vLLM with --enable-auto-tool-choice --tool-call-parser PARSER (the parser for your model, e.g. hermes, llama3_json, mistral, qwen3_coder).' },
  { re: /does not support tools|tools? (?:are|is) not supported|not support(?:s|ed)? (?:function|tool) call/i, fix: 'Choose a model that supports tool calling (goalpost.model / --model), e.g. qwen2.5-coder or llama3.1.' },
  { re: /cannot use tools with stream/i, fix: 'Upgrade the server: this version cannot stream tool calls (llama.cpp: a build from 2025 or later, started with --jinja).' },
];

function fail(kind: ModelErrorKind, message: string, status: number | null, retryable: boolean, retryAfterMs: number | null = null): Failure {
  return { kind, message, status, retryable, retryAfterMs };
}

/** What the classifier knows about the request. */
export interface RequestFacts {
  model: string;
  baseUrl: string;
  aborted: boolean;
  provider?: Provider;
  /** Seconds of silence after which a request is given up (goalpost.requestIdleTimeoutSeconds). */
  idleSeconds?: number;
}

function notFound(request: RequestFacts, f: ErrorFields, status: number): Failure {
  if (request.provider === 'azure') {
    return fail('unknown-model', `Azure OpenAI found no deployment "${request.model}" at ${request.baseUrl} (${status}): --model / goalpost.model must be the deployment name, and the API version (goalpost.apiVersion / --api-version) one the resource serves. Server said: ${f.message}`, status, false);
  }
  const aboutModel = /model/i.test(f.message) || `${f.code} ${f.type}`.includes('model_not_found');
  if (!aboutModel) {
    return fail('bad-request', `The server at ${request.baseUrl} has no /chat/completions endpoint (${status}): check the base URL (goalpost.baseUrl / --base-url); most servers serve it under /v1. Server said: ${f.message}`, status, false);
  }
  const pull = request.provider === 'ollama' ? ` Pull it first: ollama pull ${request.model}.` : '';
  return fail('unknown-model', `Model "${request.model}" was not found at ${request.baseUrl}: check the model setting (goalpost.model / --model).${pull} Server said: ${f.message}`, status, false);
}

function classifyApiError(e: APIError, request: RequestFacts): Failure {
  const status = typeof e.status === 'number' ? e.status : null;
  const f = fieldsOf(e);
  const wait = retryAfterFrom(e.headers);
  const codes = `${f.code} ${f.type}`;
  const where = status === null ? 'The model server reported an error' : `The model server answered ${status}`;
  if (codes.includes('insufficient_quota')) {
    return fail('quota', `The model account is out of credit (insufficient_quota): add credit or raise the spending limit with your provider, then resume. Server said: ${f.message}`, status, false);
  }
  if (status === 401 || status === 403) {
    return fail('auth', `The model server refused the API key (${status}): ${f.message}. Set a valid key with "Goalpost: Set API Key" or OPENAI_API_KEY.`, status, false);
  }
  const setup = SETUP_PROBLEMS.find((p) => p.re.test(f.message));
  if (setup) return fail('server-setup', `${where}: ${f.message}. ${setup.fix}`, status, false);
  if (codes.includes('context_length_exceeded') || codes.includes('exceed_context_size') || ((status === null || status === 400 || status === 413 || status === 422 || status >= 500) && CONTEXT_RE.test(f.message))) {
    return { ...fail('context-length', `The request is longer than the model's context window: ${f.message}`, status, false), context: contextFacts(f.message, f.body) };
  }
  if (status === 404 || codes.includes('model_not_found')) return notFound(request, f, status ?? 404);
  if (status === 429) return fail('rate-limit', `${where} 429 (rate limited): ${f.message}`, status, true, wait);
  if (status === 408) return fail('network', `${where} 408 (request timeout): ${f.message}`, status, true, wait);
  if (status === 409) return fail('server', `${where} 409 (conflict): ${f.message}`, status, true, wait);
  if (status === null || status >= 500) return fail('server', `${where}: ${f.message}`, status, true, wait);
  return fail('bad-request', `${where}: ${f.message}`, status, false);
}

function causeText(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message && cause.message !== e.message ? `${e.message} (${cause.message})` : e.message;
}

/** Classifies one failed try. `aborted` is the caller's signal state, which wins over everything. */
export function classifyFailure(e: unknown, request: RequestFacts): Failure {
  if (request.aborted || e instanceof APIUserAbortError) return fail('aborted', 'The model request was cancelled.', null, false);
  if (e instanceof StreamFault) return fail(e.kind, e.message, null, true);
  if (e instanceof ToolCallsAsText) return textCallFailure(e);
  if (e instanceof IdleTimeout || e instanceof APIConnectionTimeoutError) {
    const seconds = e instanceof IdleTimeout ? e.seconds : request.idleSeconds;
    const after = seconds !== undefined ? ` for ${seconds} s` : '';
    return fail('network', `The model server at ${request.baseUrl} sent nothing${after} (the idle timeout is goalpost.requestIdleTimeoutSeconds / --request-idle-timeout).`, null, true);
  }
  if (e instanceof APIConnectionError) {
    return fail('network', `Could not reach the model server at ${request.baseUrl}: ${causeText(e)}`, null, true);
  }
  if (e instanceof APIError) return classifyApiError(e, request);
  if (e instanceof SyntaxError) return fail('bad-response', `The model server sent a stream chunk that is not JSON: ${e.message}`, null, true);
  const text = e instanceof Error ? causeText(e) : String(e);
  // Anything else thrown while reading the body is the connection failing under us (undici's "terminated").
  return fail('network', `The connection to the model server failed: ${text}`, null, true);
}
