// A real HTTP server on 127.0.0.1 that speaks the OpenAI Chat Completions protocol and answers from a
// script. Unit tests use it with the real openai SDK; end-to-end tests point the built CLI at it. Every
// request is recorded so tests can assert on exactly what the client sent. It fails loudly (HTTP 500
// with a clear message) when the script runs out, so a test never hangs on a missing step.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChatRequestBody,
  completionBody,
  errorBody,
  estimateTokens,
  streamEvents,
  type ScriptUsage,
  type WireAnswer,
} from './scriptedWire';
import { checkRequest, checkRoute, honouredCap, type Dialect } from './scriptedDialects';

export { ChatRequestBody, type ScriptUsage } from './scriptedWire';

/** The role a request belongs to, inferred from the tools it offers. */
export type ScriptRole = 'planner' | 'actor' | 'reviewer' | 'compaction' | 'unknown';

/** One chat request the server received. */
export interface RecordedRequest {
  /** 0-based position among chat requests. */
  index: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequestBody;
  role: ScriptRole;
  /** The query string of the request URL (Azure's api-version), without "?". */
  query: string;
  /** Set when the script could not answer (exhausted or threw); the client got a 500 with this text. */
  error?: string;
  /** Set when the dialect refused the request before the script saw it (refused field, window, missing flag). */
  refusedWith?: number;
}

/** A tool call the model "makes": object arguments are JSON-encoded, strings are sent as-is. */
export interface ScriptToolCall {
  name: string;
  arguments: unknown;
  id?: string;
}

/** A failure to inject instead of (or in the middle of) a normal answer. */
export type ScriptFault =
  | { kind: 'status'; status: number; retryAfter?: string; retryAfterMs?: number; body?: unknown }
  /** Sends part of the stream, then destroys the socket. */
  | { kind: 'drop-mid-stream' }
  /** Sends part of the stream, then a `data:` line that is not JSON. */
  | { kind: 'malformed-chunk' }
  /** Waits before answering normally; stops if the client disconnects. */
  | { kind: 'slow'; delayMs: number }
  /** Never finishes; with `afterChunks`, first streams that many events (to test aborts mid-stream). */
  | { kind: 'hang'; afterChunks?: number }
  /** Sends part of the stream, then `data: {"error": …}` (how vLLM and llama.cpp report a failure mid-stream). */
  | { kind: 'error-event'; error: unknown };

/** One scripted answer. */
export interface ScriptStep {
  content?: string;
  toolCalls?: ScriptToolCall[];
  /** Default: estimated from sizes. null: send no usage at all. */
  usage?: ScriptUsage | null;
  /** Default: 'tool_calls' when there are tool calls, else 'stop'. */
  finishReason?: string;
  /** Size of each streamed content / arguments delta. Default 7. */
  chunkChars?: number;
  /** Delay between streamed events. Default 0. */
  chunkDelayMs?: number;
  /** Model name the server says answered. Default: the requested model. */
  model?: string;
  /** Answer with one JSON completion even when the request asked for a stream (some older servers). */
  ignoreStream?: boolean;
  fault?: ScriptFault;
}

/** A list served in order, or a function choosing the answer per request. */
export type Script = ScriptStep[] | ((req: RecordedRequest, index: number) => ScriptStep | Promise<ScriptStep>);

/** A running scripted server. */
export interface ScriptedServer {
  /** e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** How the server speaks, beyond the script. */
export interface ServerOptions {
  /** A real server's wire habits (scriptedDialects.ts); default: plain OpenAI without cap enforcement. */
  dialect?: Dialect;
  /** Model ids GET /models lists. Default: ["scripted-model"]. */
  models?: string[];
}

/** Queues per role for byRole. */
export interface RoleScript {
  planner?: ScriptStep[];
  actor?: ScriptStep[];
  reviewer?: ScriptStep[];
  compaction?: ScriptStep[];
}

/** Thrown by a script function to make the server answer 500 with this message. */
export class ScriptExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptExhausted';
  }
}

const DEFAULT_CHUNK_CHARS = 7;

/** A step with one tool call; `extra` adds content, usage, a fault… */
export function toolCall(name: string, args: unknown, extra: Omit<ScriptStep, 'toolCalls'> = {}): ScriptStep {
  return { ...extra, toolCalls: [{ name, arguments: args }] };
}

/** Infers the role from the tools a request offers (each role has its own terminal tool). */
export function roleOf(body: { tools?: readonly { function: { name: string } }[] | null }): ScriptRole {
  const names = new Set((body.tools ?? []).map((t) => t.function.name));
  if (names.size === 0) return 'compaction';
  if (names.has('submit_plan')) return 'planner';
  if (names.has('finish_task')) return 'actor';
  if (names.has('submit_review')) return 'reviewer';
  return 'unknown';
}

/** Serves each role its own queue, in order; a role running out fails loudly. */
export function byRole(queues: RoleScript): (req: RecordedRequest) => ScriptStep {
  const served: Record<ScriptRole, number> = { planner: 0, actor: 0, reviewer: 0, compaction: 0, unknown: 0 };
  return (req) => {
    const role = req.role;
    const queue = role === 'unknown' ? undefined : queues[role];
    const n = served[role];
    if (!queue || n >= queue.length) {
      throw new ScriptExhausted(
        `script exhausted at request ${req.index + 1}: no ${role} step left (${n} served, ${queue?.length ?? 0} scripted)`,
      );
    }
    served[role] = n + 1;
    return queue[n];
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** Resolves true after `ms`, or false as soon as the client has gone (so slow steps stop early). */
function waitUnlessGone(res: http.ServerResponse, ms: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
  });
}

function untilGone(res: http.ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

function writeEvent(res: http.ServerResponse, payload: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(`data: ${payload}\n\n`, () => resolve());
  });
}

/** Cuts content, then arguments, to what `cap` tokens hold (4 characters a token, as the usage estimate). */
function applyCap(content: string | null, toolCalls: WireAnswer['toolCalls'], cap: number): { content: string | null; toolCalls: WireAnswer['toolCalls']; cut: boolean } {
  let left = cap * 4;
  const take = (text: string): string => {
    const kept = text.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  };
  const total = (content ?? '').length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  if (total <= left) return { content, toolCalls, cut: false };
  const cutContent = content === null ? null : take(content);
  const cutCalls = toolCalls.map((c) => ({ ...c, arguments: take(c.arguments) }));
  return { content: cutContent, toolCalls: cutCalls, cut: true };
}

function toAnswer(step: ScriptStep, rec: RecordedRequest, dialect: Dialect | undefined): WireAnswer {
  let toolCalls = (step.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${rec.index}_${i}`,
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}),
  }));
  let content = step.content ?? (toolCalls.length > 0 ? null : '');
  const cap = dialect ? honouredCap(dialect, rec.body) : null;
  let cut = false;
  if (cap !== null) ({ content, toolCalls, cut } = applyCap(content, toolCalls, cap));
  const outChars = (content ?? '').length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  const usage: ScriptUsage | null =
    step.usage === null
      ? null
      : (step.usage ?? {
          prompt_tokens: estimateTokens(JSON.stringify(rec.body.messages) + JSON.stringify(rec.body.tools ?? [])),
          completion_tokens: Math.max(1, Math.ceil(outChars / 4)),
        });
  return {
    id: `chatcmpl-scripted-${rec.index}`,
    model: step.model ?? rec.body.model,
    content,
    toolCalls,
    finishReason: cut ? 'length' : step.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage,
    chunkChars: step.chunkChars ?? DEFAULT_CHUNK_CHARS,
  };
}

function sendStatusFault(res: http.ServerResponse, fault: Extract<ScriptFault, { kind: 'status' }>): void {
  const headers: http.OutgoingHttpHeaders = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  const type = fault.status === 429 ? 'rate_limit_exceeded' : fault.status >= 500 ? 'server_error' : 'invalid_request_error';
  const body = fault.body ?? errorBody(`Scripted HTTP ${fault.status}`, type, null);
  sendJson(res, fault.status, body, headers);
}

async function sendStream(res: http.ServerResponse, answer: WireAnswer, step: ScriptStep, includeUsage: boolean, dialect: Dialect | undefined): Promise<void> {
  const events = streamEvents(answer, includeUsage, dialect?.stream).map((e) => JSON.stringify(e));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const fault = step.fault;
  // Faults strike halfway, after the client has already seen some real deltas.
  const cut = fault?.kind === 'hang' && fault.afterChunks !== undefined
    ? Math.min(fault.afterChunks, events.length)
    : Math.max(1, Math.floor(events.length / 2));
  const faulty = fault?.kind === 'drop-mid-stream' || fault?.kind === 'malformed-chunk' || fault?.kind === 'hang' || fault?.kind === 'error-event';
  const toSend = faulty ? events.slice(0, cut) : events;
  for (const payload of toSend) {
    if (step.chunkDelayMs && !(await waitUnlessGone(res, step.chunkDelayMs))) return;
    await writeEvent(res, payload);
    if (res.destroyed) return;
  }
  if (fault?.kind === 'drop-mid-stream') {
    res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'malformed-chunk') {
    await writeEvent(res, '{"id":"chatcmpl-broken","choices":[{"delta":{"content":"unterminated');
    res.end();
    return;
  }
  if (fault?.kind === 'hang') {
    await untilGone(res);
    return;
  }
  if (fault?.kind === 'error-event') {
    await writeEvent(res, JSON.stringify({ error: fault.error }));
    res.end();
    return;
  }
  await writeEvent(res, '[DONE]');
  res.end();
}

async function answer(res: http.ServerResponse, rec: RecordedRequest, step: ScriptStep, dialect: Dialect | undefined): Promise<void> {
  const fault = step.fault;
  if (fault?.kind === 'slow' && !(await waitUnlessGone(res, fault.delayMs))) return;
  if (fault?.kind === 'status') return sendStatusFault(res, fault);
  const wire = toAnswer(step, rec, dialect);
  if (rec.body.stream && !step.ignoreStream) return sendStream(res, wire, step, rec.body.stream_options?.include_usage === true, dialect);
  if (fault?.kind === 'hang') return untilGone(res);
  if (fault?.kind === 'drop-mid-stream') {
    res.socket?.destroy();
    return;
  }
  if (fault?.kind === 'malformed-chunk') return sendJson(res, 200, '{"id":"chatcmpl-broken","choices":[');
  sendJson(res, 200, completionBody(wire));
}

/** `answered`: how many requests the script has answered before this one (refusals do not count). */
async function pickStep(script: Script, rec: RecordedRequest, answered: number): Promise<ScriptStep> {
  if (typeof script === 'function') return script(rec, answered);
  const step = script[answered];
  if (!step) {
    throw new ScriptExhausted(`script exhausted at request ${rec.index + 1}: the script has ${script.length} step(s)`);
  }
  return step;
}

/** Starts a scripted server on 127.0.0.1 with a free port. */
export async function startScriptedServer(script: Script, options: ServerOptions = {}): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const { dialect } = options;
  let answered = 0;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const text = await readBody(req);
    if (req.method === 'GET' && path.endsWith('/models')) {
      const now = Math.floor(Date.now() / 1000);
      const data = (options.models ?? ['scripted-model']).map((id) => ({ id, object: 'model', created: now, owned_by: 'goalpost-tests' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    const routeRefusal = dialect && req.method === 'POST' ? checkRoute(dialect, url, req.headers) : null;
    if (routeRefusal) return sendJson(res, routeRefusal.status, routeRefusal.body);
    if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
      return sendJson(res, 404, errorBody(`Scripted server: no route ${req.method} ${path}`, 'invalid_request_error', 'not_found'));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return sendJson(res, 400, errorBody(`Scripted server: body is not JSON: ${(e as Error).message}`, 'invalid_request_error', null));
    }
    const parsed = ChatRequestBody.safeParse(json);
    if (!parsed.success) {
      return sendJson(res, 400, errorBody(`Scripted server: not a chat request: ${parsed.error.message}`, 'invalid_request_error', null));
    }
    const rec: RecordedRequest = { index: requests.length, path, query: url.search.replace(/^\?/, ''), headers: req.headers, body: parsed.data, role: roleOf(parsed.data) };
    requests.push(rec);
    const refusal = dialect ? checkRequest(dialect, parsed.data) : null;
    if (refusal) {
      rec.refusedWith = refusal.status;
      return sendJson(res, refusal.status, refusal.body);
    }
    let step: ScriptStep;
    try {
      step = await pickStep(script, rec, answered++);
    } catch (e) {
      rec.error = `Scripted server: ${(e as Error).message}`;
      return sendJson(res, 500, errorBody(rec.error, 'server_error', 'script_error'));
    }
    await answer(res, rec, step, dialect);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`Scripted server crashed: ${String(e)}`, 'server_error', null));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive and hanging connections would hold close() open forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
