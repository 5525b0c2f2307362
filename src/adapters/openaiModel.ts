// The Model port over the openai SDK: Chat Completions, streamed, with tools. The SDK's own retries are
// off because this loop owns them: exponential backoff with full jitter that honours Retry-After,
// classified errors the engine can act on (pause, ask for a key, compact), and an abort that is
// obeyed at once, even in the middle of a backoff sleep.
import { APIError } from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ModelError, type ChatMessage, type Model, type ModelRequest, type ModelResponse, type ModelStream } from '../engine/ports';
import { createClient, describeEndpoint, resolveModelEndpoint, type ModelEndpoint } from './modelEndpoint';
import { redactSecrets } from '../engine/redact';
import { classifyFailure, StreamFault, ToolCallsAsText, type Failure } from './openaiErrors';
import { completionAsChunk, estimateTokensFromChars, StreamAccumulator, StreamChunk } from './openaiStream';
import type { ProviderSetting } from '../engine/settings';
import { isPrivateNetworkUrl } from './providers';
import { initialPlan, refusedField, sentFields, withoutField, type FieldPlan } from './requestFields';
import { sseEvents, withIdleTimeout } from './sseReader';
import { systemClock } from './systemClock';
import { normaliseErrorBody, type WireClient } from './wireClient';

export { DEFAULT_BASE_URL, NO_KEY_PLACEHOLDER, resolveModelEndpoint, type EndpointOptions, type ModelEndpoint } from './modelEndpoint';

/** Whether a base URL is on this machine or the private network, where a server needs no key. */
export const isLocalUrl = isPrivateNetworkUrl;

/** What onRetry reports before each wait. */
export interface RetryInfo {
  /** The try that just failed (1-based). */
  attempt: number;
  delayMs: number;
  error: ModelError;
}

/** Options of OpenAIModel; everything but the endpoint has a production default. */
export interface OpenAIModelOptions {
  apiKey?: string;
  baseUrl?: string;
  /** `goalpost.provider` / `--provider`; unset or "auto" infers it from the base URL. */
  provider?: ProviderSetting | '';
  /** `goalpost.apiVersion` / `--api-version` (Azure). */
  apiVersion?: string;
  /** For Azure classic without a deployment in the URL: the deployment (the actor model). */
  model?: string;
  /** Defaults to process.env; tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Total tries per request, first one included. Default 5. */
  maxTries?: number;
  /** First backoff ceiling. Default 1000 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /** No byte for this long, before the answer starts or mid-stream, gives the try up. Default 120 s. */
  idleTimeoutMs?: number;
  /** Replaceable for tests; must reject when `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
}

/** goalpost.requestIdleTimeoutSeconds' default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** Our messages in the SDK's shape. */
export function toSdkMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
      case 'user':
        return { role: m.role, content: m.content };
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
      case 'assistant':
        if (m.toolCalls.length === 0) return { role: 'assistant', content: m.content ?? '' };
        return {
          role: 'assistant',
          content: m.content,
          tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
        };
    }
  });
}

/** Output tokens never asked for when a context window is known: below this, compacting is the answer. */
const MIN_CAP = 256;

export class OpenAIModel implements Model {
  private readonly endpoint: ModelEndpoint | null;
  private readonly endpointError: ModelError | null;
  private readonly client: WireClient | null;
  private readonly maxTries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly idleMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Request fields this endpoint accepts, learned from its refusals. */
  private plan: FieldPlan;
  private readonly refused = new Set<string>();
  /** The real context window, once a context-length error named it. */
  private windowTokens: number | null = null;

  constructor(private readonly options: OpenAIModelOptions = {}) {
    this.maxTries = Math.max(1, Math.floor(options.maxTries ?? 5));
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? 1000);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? 30_000);
    this.idleMs = Math.max(1, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    // The Clock's sleep rejects as soon as the signal fires, so a pause never waits out a backoff.
    this.sleep = options.sleep ?? systemClock.sleep;
    // A missing key is reported by complete(), as a ModelError the loop turns into a paused goal,
    // rather than by the constructor, which runs while the product is being wired up.
    let endpoint: ModelEndpoint | null = null;
    let endpointError: ModelError | null = null;
    try {
      endpoint = resolveModelEndpoint({
        apiKey: options.apiKey,
        baseUrl: options.baseUrl,
        provider: options.provider,
        apiVersion: options.apiVersion,
        model: options.model,
        env: options.env ?? process.env,
      });
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      endpointError = e;
    }
    this.endpoint = endpoint;
    this.endpointError = endpointError;
    this.plan = initialPlan(endpoint?.profile.capField ?? 'max_completion_tokens');
    this.client = endpoint ? createClient(endpoint, this.idleMs) : null;
  }

  async complete(request: ModelRequest, signal?: AbortSignal, live?: ModelStream): Promise<ModelResponse> {
    if (!this.client || !this.endpoint) throw this.endpointError ?? new ModelError('auth', 'No model endpoint.');
    const { client, endpoint } = this;
    let cap = this.fitCap(request);
    let capRetried = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.toError(this.abortFailure(), attempt - 1);
      let failure: Failure;
      try {
        const response = await this.once(client, request, cap, signal, live);
        return this.windowTokens === null ? response : { ...response, contextWindow: this.windowTokens };
      } catch (e) {
        failure = classifyFailure(e, {
          model: request.model,
          baseUrl: describeEndpoint(endpoint),
          aborted: signal?.aborted === true,
          provider: endpoint.provider,
          idleSeconds: Math.round(this.idleMs / 100) / 10,
        });
      }
      if (failure.kind === 'aborted') throw this.toError(failure, attempt);
      // A refused optional field: the same request once more without it (or with its other name).
      if (failure.kind === 'bad-request' && this.adaptTo(failure.message, request, cap)) {
        attempt--;
        continue;
      }
      // The window is known now: when the prompt fits and only the cap did not, ask for less output.
      if (failure.kind === 'context-length' && failure.context?.windowTokens) {
        this.windowTokens = failure.context.windowTokens;
        const prompt = failure.context.promptTokens;
        // A quarter of the window at most, as the engine does: the answer must fit in the next prompt.
        const room = prompt !== undefined ? Math.min(failure.context.windowTokens - prompt - 16, Math.floor(failure.context.windowTokens / 4)) : 0;
        if (!capRetried && cap !== undefined && prompt !== undefined && room >= MIN_CAP && room < cap) {
          capRetried = true;
          cap = room;
          attempt--;
          continue;
        }
      }
      if (!failure.retryable || attempt >= this.maxTries) throw this.toError(failure, attempt);
      const delayMs = failure.retryAfterMs ?? this.backoff(attempt);
      this.options.onRetry?.({ attempt, delayMs, error: this.toError(failure, attempt) });
      live?.onRetry?.({ delayMs, attempt: attempt + 1, maxAttempts: this.maxTries, message: this.toError(failure, attempt).message });
      try {
        await this.sleep(delayMs, signal);
      } catch {
        throw this.toError(this.abortFailure(), attempt);
      }
    }
  }

  /** The output cap: the engine's, and no more than the learned window leaves after the prompt. */
  private fitCap(request: ModelRequest): number | undefined {
    if (this.windowTokens === null) return request.maxTokens;
    const promptTokens = estimateTokensFromChars(JSON.stringify(request.messages).length + JSON.stringify(request.tools).length);
    const room = Math.max(MIN_CAP, Math.min(this.windowTokens - Math.ceil(promptTokens * 1.15), Math.floor(this.windowTokens / 4)));
    return request.maxTokens === undefined ? room : Math.min(request.maxTokens, room);
  }

  /** Learns from a refused field; true when the request should be sent again. */
  private adaptTo(message: string, request: ModelRequest, cap: number | undefined): boolean {
    const field = refusedField(message, sentFields(this.plan, request.tools.length > 0, cap !== undefined));
    if (!field || this.refused.has(field)) return false;
    const next = withoutField(this.plan, field, this.refused);
    if (!next) return false;
    this.refused.add(field);
    this.plan = next;
    return true;
  }

  private async once(client: WireClient, request: ModelRequest, cap: number | undefined, signal: AbortSignal | undefined, live?: ModelStream): Promise<ModelResponse> {
    const messages = toSdkMessages(request.messages);
    const tools: ChatCompletionTool[] = request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    const plan = this.plan;
    const body = {
      model: request.model,
      messages,
      ...(tools.length > 0 ? { tools, ...(plan.toolChoice ? { tool_choice: request.toolChoice ?? 'auto' } : {}) } : {}),
      ...(cap !== undefined && plan.capField ? { [plan.capField]: cap } : {}),
      stream: true as const,
      ...(plan.streamOptions ? { stream_options: { include_usage: true } } : {}),
    };
    // The SDK adds an abort listener to the signal it is given and never removes it; the loop's signal
    // lives for the whole run, so each request gets its own signal, unlinked when the request is done.
    const local = new AbortController();
    const forward = (): void => local.abort();
    if (signal?.aborted) local.abort();
    signal?.addEventListener('abort', forward, { once: true });
    const acc = new StreamAccumulator(request.tools.map((t) => t.name), live?.onText);
    try {
      const response = await client.chat.completions.create(body, { signal: local.signal, maxRetries: 0 }).asResponse();
      if (!response.body) throw new StreamFault('bad-response', 'The model server answered without a body.');
      // Some servers ignore `stream` (older Ollama with tools) and answer with one JSON completion.
      if ((response.headers.get('content-type') ?? '').includes('application/json')) {
        const text = await withIdleTimeout(response.text(), this.idleMs, () => local.abort());
        const chunk = completionAsChunk(JSON.parse(text));
        if (!chunk) this.addEvent(acc, text);
        else acc.add(chunk);
        if (cap !== undefined && acc.outputTokens() > cap) acc.markCut(cap);
        acc.markDone();
      } else {
        await this.readStream(acc, response.body, cap, () => local.abort());
      }
    } finally {
      signal?.removeEventListener('abort', forward);
      local.abort();
    }
    if (signal?.aborted) throw new Error('aborted');
    const promptChars = JSON.stringify(messages).length + JSON.stringify(tools).length;
    const { response, toolCallAsText } = acc.finish(request.model, promptChars);
    if (toolCallAsText) throw new ToolCallsAsText(toolCallAsText, this.endpoint?.profile.label ?? 'the server');
    return response;
  }

  /** Feeds the SSE events to `acc` until [DONE], the end of the body, or the cap (then the stream is cut off). */
  private async readStream(acc: StreamAccumulator, body: ReadableStream<Uint8Array>, cap: number | undefined, cancel: () => void): Promise<void> {
    for await (const event of sseEvents(body, this.idleMs, cancel)) {
      if (event.data === '[DONE]') {
        acc.markDone();
        return;
      }
      this.addEvent(acc, event.data);
      // The budget never depends on the server honouring the cap: past it, the stream is cut off.
      if (cap !== undefined && acc.outputTokens() > cap) {
        acc.markCut(cap);
        return;
      }
    }
  }

  /** One `data:` payload: a chunk, or an error event (then thrown like an HTTP error). */
  private addEvent(acc: StreamAccumulator, data: string): void {
    const json: unknown = JSON.parse(data);
    if (typeof json === 'object' && json !== null && 'error' in json && !('choices' in json)) {
      const err = (json as { error: unknown }).error;
      const code = typeof err === 'object' && err !== null ? (err as Record<string, unknown>).code : undefined;
      const status = typeof code === 'number' && code >= 400 ? code : undefined;
      const inner = (normaliseErrorBody(json) as { error: object }).error;
      // Without a status, generate() would call it a connection error; it is the server's own error.
      throw status ? APIError.generate(status, { error: inner }, undefined, new Headers()) : new APIError(undefined, inner, undefined, undefined);
    }
    const parsed = StreamChunk.safeParse(json);
    if (!parsed.success) throw new StreamFault('bad-response', `The model server sent a chunk Goalpost cannot read: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    acc.add(parsed.data);
  }

  /** Full jitter: a random wait up to an exponentially growing ceiling, so clients do not stampede. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(Math.random() * ceiling);
  }

  private abortFailure(): Failure {
    return { kind: 'aborted', message: 'The model request was cancelled.', status: null, retryable: false, retryAfterMs: null };
  }

  private toError(failure: Failure, attempts: number): ModelError {
    const tries = attempts > 1 && failure.kind !== 'aborted' ? ` (gave up after ${attempts} tries)` : '';
    return new ModelError(failure.kind, redactSecrets(failure.message + tries, this.endpoint?.apiKey ? [this.endpoint.apiKey] : []), failure.status, Math.max(1, attempts), failure.context ?? {});
  }
}
