// Turns whatever the openai SDK or the stream throws into a decision: which ModelErrorKind, whether
// another try can help, and how long the server asked us to wait. Messages say what happened and what
// to do, and never carry the API key.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ModelErrorKind } from '../engine/ports';

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

/** What one failed try means. */
export interface Failure {
  kind: ModelErrorKind;
  message: string;
  status: number | null;
  retryable: boolean;
  /** The server's Retry-After / retry-after-ms, in ms, already capped; null when it gave none. */
  retryAfterMs: number | null;
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

/** Removes the key itself and anything shaped like an OpenAI key from text shown to people. */
export function redactKey(text: string, apiKey: string | null): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/sk-[A-Za-z0-9_*-]{6,}/g, 'sk-[redacted]');
}

interface ErrorFields {
  code: string;
  type: string;
  message: string;
}

/** code, type and the server's own message, from wherever the SDK put them. */
function fieldsOf(e: APIError): ErrorFields {
  const body = typeof e.error === 'object' && e.error !== null ? (e.error as Record<string, unknown>) : {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const message = str(body.message) || e.message.replace(/^\d{3}\s+/, '') || 'no details';
  return { code: str(e.code) || str(body.code), type: str(e.type) || str(body.type), message };
}

const CONTEXT_RE = /context[ _-]?length|maximum context|context window|too many tokens|prompt is too long/i;

function fail(kind: ModelErrorKind, message: string, status: number | null, retryable: boolean, retryAfterMs: number | null = null): Failure {
  return { kind, message, status, retryable, retryAfterMs };
}

function classifyApiError(e: APIError, model: string, baseUrl: string): Failure {
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
  if (status === 404 || codes.includes('model_not_found')) {
    return fail('unknown-model', `Model "${model}" was not found at ${baseUrl}: check the model setting (goalpost.model / --model). Server said: ${f.message}`, status, false);
  }
  if (codes.includes('context_length_exceeded') || ((status === null || status === 400 || status === 413) && CONTEXT_RE.test(f.message))) {
    return fail('context-length', `The request is longer than the model's context window: ${f.message}`, status, false);
  }
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
export function classifyFailure(e: unknown, ctx: { model: string; baseUrl: string; aborted: boolean }): Failure {
  if (ctx.aborted || e instanceof APIUserAbortError) return fail('aborted', 'The model request was cancelled.', null, false);
  if (e instanceof StreamFault) return fail(e.kind, e.message, null, true);
  if (e instanceof APIConnectionTimeoutError) return fail('network', `The model server at ${ctx.baseUrl} did not answer in time.`, null, true);
  if (e instanceof APIConnectionError) {
    return fail('network', `Could not reach the model server at ${ctx.baseUrl}: ${causeText(e)}`, null, true);
  }
  if (e instanceof APIError) return classifyApiError(e, ctx.model, ctx.baseUrl);
  if (e instanceof SyntaxError) return fail('bad-response', `The model server sent a stream chunk that is not JSON: ${e.message}`, null, true);
  const text = e instanceof Error ? causeText(e) : String(e);
  // Anything else thrown while reading the body is the connection failing under us (undici's "terminated").
  return fail('network', `The connection to the model server failed: ${text}`, null, true);
}
