// The Model port over the openai SDK: Chat Completions, streamed, with tools. The SDK's own retries are
// off because this loop owns them: exponential backoff with full jitter that honours Retry-After,
// classified errors the engine can act on (pause, ask for a key, compact), and an abort that is
// obeyed at once, even in the middle of a backoff sleep.
import { OpenAI } from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ModelError, type ChatMessage, type Model, type ModelRequest, type ModelResponse, type ModelStream } from '../engine/ports';
import { classifyFailure, redactKey, type Failure } from './openaiErrors';
import { StreamAccumulator } from './openaiStream';

/** The SDK's default endpoint, used when neither the setting nor OPENAI_BASE_URL names one. */
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Sent when a local server needs no key; the SDK insists on some value. */
export const NO_KEY_PLACEHOLDER = 'no-key';

/** Where requests go and with which key. */
export interface ModelEndpoint {
  baseUrl: string;
  apiKey: string;
  /** True for localhost / 127.0.0.1 / [::1]: no key required. */
  local: boolean;
}

/** Inputs of resolveModelEndpoint; empty strings count as unset (settings default to ""). */
export interface EndpointOptions {
  apiKey?: string;
  baseUrl?: string;
  env: Record<string, string | undefined>;
}

/** Whether a base URL points at this machine. */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function protocolOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/**
 * Base URL: option → OPENAI_BASE_URL → OpenAI. Key: option → OPENAI_API_KEY; a local URL needs none.
 * Throws ModelError('auth') for a remote URL without a key, ModelError('bad-request') for a bad URL.
 */
export function resolveModelEndpoint(opts: EndpointOptions): ModelEndpoint {
  const pick = (...values: (string | undefined)[]): string | undefined => values.map((v) => v?.trim()).find((v) => v);
  const baseUrl = pick(opts.baseUrl, opts.env.OPENAI_BASE_URL) ?? DEFAULT_BASE_URL;
  if (!/^https?:$/.test(protocolOf(baseUrl))) {
    throw new ModelError('bad-request', `The model base URL "${baseUrl}" is not a valid URL (http:// or https://): fix goalpost.baseUrl, --base-url or OPENAI_BASE_URL.`);
  }
  const local = isLocalUrl(baseUrl);
  const apiKey = pick(opts.apiKey, opts.env.OPENAI_API_KEY);
  if (!apiKey && !local) {
    throw new ModelError('auth', 'No API key: set one with "Goalpost: Set API Key" or OPENAI_API_KEY.');
  }
  return { baseUrl, apiKey: apiKey ?? NO_KEY_PLACEHOLDER, local };
}

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
  /** Defaults to process.env; tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Total tries per request, first one included. Default 5. */
  maxTries?: number;
  /** First backoff ceiling. Default 1000 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /** Per-try timeout passed to the SDK. Default: the SDK's (10 minutes). */
  requestTimeoutMs?: number;
  /** Replaceable for tests; must reject when `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
}

/** Abortable sleep: rejects as soon as the signal fires so a pause never waits out a backoff. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

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

export class OpenAIModel implements Model {
  private readonly endpoint: ModelEndpoint | null;
  private readonly endpointError: ModelError | null;
  private readonly client: OpenAI | null;
  private readonly maxTries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: OpenAIModelOptions = {}) {
    this.maxTries = Math.max(1, Math.floor(options.maxTries ?? 5));
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? 1000);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? 30_000);
    this.sleep = options.sleep ?? abortableSleep;
    // A missing key is reported by complete(), as a ModelError the loop turns into a paused goal,
    // rather than by the constructor, which runs while the product is being wired up.
    let endpoint: ModelEndpoint | null = null;
    let endpointError: ModelError | null = null;
    try {
      endpoint = resolveModelEndpoint({ apiKey: options.apiKey, baseUrl: options.baseUrl, env: options.env ?? process.env });
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      endpointError = e;
    }
    this.endpoint = endpoint;
    this.endpointError = endpointError;
    this.client = endpoint
      ? new OpenAI({
          apiKey: endpoint.apiKey,
          baseURL: endpoint.baseUrl,
          maxRetries: 0,
          timeout: options.requestTimeoutMs,
          // The SDK logs unparsable chunks to the console; we report them as errors instead.
          logLevel: 'off',
        })
      : null;
  }

  async complete(request: ModelRequest, signal?: AbortSignal, live?: ModelStream): Promise<ModelResponse> {
    if (!this.client || !this.endpoint) throw this.endpointError ?? new ModelError('auth', 'No model endpoint.');
    const { client, endpoint } = this;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.toError(this.abortFailure(), attempt - 1);
      let failure: Failure;
      try {
        return await this.once(client, request, signal, live);
      } catch (e) {
        failure = classifyFailure(e, { model: request.model, baseUrl: endpoint.baseUrl, aborted: signal?.aborted === true });
      }
      if (failure.kind === 'aborted') throw this.toError(failure, attempt);
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

  private async once(client: OpenAI, request: ModelRequest, signal: AbortSignal | undefined, live?: ModelStream): Promise<ModelResponse> {
    const messages = toSdkMessages(request.messages);
    const tools: ChatCompletionTool[] = request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    // The SDK adds an abort listener to the signal it is given and never removes it; the loop's signal
    // lives for the whole run, so each request gets its own signal, unlinked when the request is done.
    const local = new AbortController();
    const forward = (): void => local.abort();
    if (signal?.aborted) local.abort();
    signal?.addEventListener('abort', forward, { once: true });
    const acc = new StreamAccumulator(live?.onText);
    try {
      const stream = await client.chat.completions.create(
        {
          model: request.model,
          messages,
          ...(tools.length > 0 ? { tools, tool_choice: request.toolChoice ?? 'auto' } : {}),
          ...(request.maxTokens !== undefined ? { max_completion_tokens: request.maxTokens } : {}),
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: local.signal, maxRetries: 0 },
      );
      for await (const chunk of stream) acc.add(chunk);
    } finally {
      signal?.removeEventListener('abort', forward);
    }
    // The SDK ends the iteration quietly when the signal fires mid-stream.
    if (signal?.aborted) throw new Error('aborted');
    const promptChars = JSON.stringify(messages).length + JSON.stringify(tools).length;
    return acc.finish(request.model, promptChars);
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
    return new ModelError(failure.kind, redactKey(failure.message + tries, this.endpoint?.apiKey ?? null), failure.status, Math.max(1, attempts));
  }
}
