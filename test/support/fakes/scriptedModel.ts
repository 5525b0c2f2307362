// A Model that answers from a script per role (the role is in every ModelRequest) and records every
// request, so tests can assert on request bodies the way the e2e tests assert on the wire. A step can
// reply with text and tool calls, throw a ModelError, or hang until the caller's signal fires.
import type { Role, TokenUsage } from '../../../src/engine/goal';
import { ModelError, type Model, type ModelErrorKind, type ModelRequest, type ModelResponse } from '../../../src/engine/ports';

/** A tool call to script: `args` is turned into JSON text unless `raw` is given verbatim. */
export interface ScriptedCall {
  name: string;
  args?: unknown;
  /** Exact argument text (e.g. invalid JSON); wins over `args`. */
  raw?: string;
}

/** One scripted answer. */
export type ScriptStep =
  | { kind: 'reply'; content: string | null; calls: ScriptedCall[]; usage?: Partial<TokenUsage>; finishReason?: string }
  | { kind: 'error'; error: ModelError }
  | { kind: 'hang' }
  | { kind: 'dynamic'; answer(request: ModelRequest, index: number): ScriptStep };

/** A request as the model saw it (a deep copy), with its role and sequence number. */
export interface RecordedRequest {
  seq: number;
  role: Role;
  request: ModelRequest;
  /** The answer given, or null while pending or when the step threw. */
  response: ModelResponse | null;
}

/** Usage reported when a step gives none. */
export const DEFAULT_USAGE: TokenUsage = { inputTokens: 1000, cachedInputTokens: 0, outputTokens: 100, reasoningTokens: 0 };

/**
 * Usage that grows with the request like a real tokenizer's would (about 4 characters per token), so
 * budget and context tests see realistic numbers; `outputTokens` is fixed.
 */
export function proportionalUsage(outputTokens = 50): (request: ModelRequest) => TokenUsage {
  return (request) => ({
    inputTokens: Math.ceil(JSON.stringify({ messages: request.messages, tools: request.tools }).length / 4),
    cachedInputTokens: 0,
    outputTokens,
    reasoningTokens: 0,
  });
}

/** A tool call step element. */
export function call(name: string, args: unknown = {}): ScriptedCall {
  return { name, args };
}

/** A tool call whose argument text is sent verbatim. */
export function rawCall(name: string, raw: string): ScriptedCall {
  return { name, raw };
}

/** A reply with these tool calls (and no text). */
export function reply(...calls: ScriptedCall[]): ScriptStep {
  return { kind: 'reply', content: null, calls };
}

/** A reply with text only (no tool call): the turn ends without submitting. */
export function say(content: string, usage?: Partial<TokenUsage>): ScriptStep {
  return { kind: 'reply', content, calls: [], usage };
}

/** A reply with explicit usage. */
export function replyWithUsage(usage: Partial<TokenUsage>, ...calls: ScriptedCall[]): ScriptStep {
  return { kind: 'reply', content: null, calls, usage };
}

/** Throws ModelError(kind, message). */
export function fail(kind: ModelErrorKind, message = `scripted ${kind} failure`, status: number | null = null): ScriptStep {
  return { kind: 'error', error: new ModelError(kind, message, status) };
}

/** Waits until the request's signal fires, then throws ModelError('aborted'). */
export function hang(): ScriptStep {
  return { kind: 'hang' };
}

/** Decides the answer from the request (e.g. echo a value it contains). */
export function dynamic(answer: (request: ModelRequest, index: number) => ScriptStep): ScriptStep {
  return { kind: 'dynamic', answer };
}

export class ScriptedModel implements Model {
  private readonly queues = new Map<Role, ScriptStep[]>();
  private readonly fallbacks = new Map<Role, ScriptStep>();
  private readonly waiters: { count: number; resolve(): void }[] = [];
  private callSeq = 0;
  /** Every request, in order. */
  readonly requests: RecordedRequest[] = [];

  /** `usage`: what a step without its own usage reports, fixed or computed from the request. */
  constructor(private readonly usage: TokenUsage | ((request: ModelRequest) => TokenUsage) = DEFAULT_USAGE) {}

  /** Appends answers to `role`'s queue; they are used one per request, in order. */
  script(role: Role, ...steps: ScriptStep[]): this {
    this.queues.set(role, [...(this.queues.get(role) ?? []), ...steps]);
    return this;
  }

  /** The answer for `role` once its queue is empty (otherwise an empty queue fails the test loudly). */
  otherwise(role: Role, step: ScriptStep): this {
    this.fallbacks.set(role, step);
    return this;
  }

  /** Steps still queued for `role`. */
  pending(role: Role): number {
    return this.queues.get(role)?.length ?? 0;
  }

  /** The recorded requests of one role. */
  requestsFor(role: Role): ModelRequest[] {
    return this.requests.filter((r) => r.role === role).map((r) => r.request);
  }

  /** Resolves once `count` requests have been made in total. */
  whenRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    const seq = this.requests.length + 1;
    const record: RecordedRequest = { seq, role: request.role, request: structuredClone(request), response: null };
    this.requests.push(record);
    for (const w of this.waiters.filter((x) => this.requests.length >= x.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
    if (signal?.aborted) throw new ModelError('aborted', 'The request was aborted.');
    let step = this.next(request);
    let index = 0;
    while (step.kind === 'dynamic') step = step.answer(request, index++);
    switch (step.kind) {
      case 'error':
        throw step.error;
      case 'hang':
        return new Promise<ModelResponse>((_resolve, reject) => {
          const onAbort = (): void => reject(new ModelError('aborted', 'The request was aborted.'));
          if (!signal) return; // never settles: the test forgot to pass a signal, and times out visibly
          signal.addEventListener('abort', onAbort, { once: true });
        });
      case 'reply':
        record.response = {
          content: step.content,
          toolCalls: step.calls.map((c) => ({
            id: `call_${++this.callSeq}`,
            name: c.name,
            arguments: c.raw ?? JSON.stringify(c.args ?? {}),
          })),
          usage: { ...(typeof this.usage === 'function' ? this.usage(request) : this.usage), ...step.usage },
          finishReason: step.calls.length > 0 ? 'tool_calls' : (step.finishReason ?? 'stop'),
          model: request.model,
        };
        return structuredClone(record.response);
    }
  }

  private next(request: ModelRequest): ScriptStep {
    const queue = this.queues.get(request.role);
    const step = queue?.shift() ?? this.fallbacks.get(request.role);
    if (!step) {
      const count = this.requestsFor(request.role).length;
      throw new Error(`ScriptedModel: no answer scripted for ${request.role} request #${count} (last message: ${lastText(request).slice(0, 300)})`);
    }
    return step;
  }
}

function lastText(request: ModelRequest): string {
  const last = request.messages[request.messages.length - 1];
  if (!last) return '';
  return last.role === 'assistant' ? (last.content ?? '') : last.content;
}
