// Reassembles a streamed chat completion: content deltas, tool calls split over many deltas (keyed by
// index), the finish reason and the usage chunk that stream_options.include_usage adds at the end.
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ModelResponse, ToolCall } from '../engine/ports';
import type { TokenUsage } from '../engine/goal';
import { StreamFault } from './openaiErrors';

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/** Rough token count for servers that report no usage: a zero would make the budget lie. */
export function estimateTokensFromChars(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Collects the chunks of one streamed response. */
export class StreamAccumulator {
  private content = '';
  private sawContent = false;
  private readonly calls = new Map<number, PartialCall>();
  private finishReason: string | null = null;
  private usage: TokenUsage | null = null;
  private model: string | null = null;

  /** `onText`: told each content delta as it arrives (the panel's live view). */
  constructor(private readonly onText?: (delta: string) => void) {}

  add(chunk: ChatCompletionChunk): void {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      this.usage = {
        inputTokens: chunk.usage.prompt_tokens ?? 0,
        cachedInputTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
        outputTokens: chunk.usage.completion_tokens ?? 0,
        reasoningTokens: chunk.usage.completion_tokens_details?.reasoning_tokens ?? 0,
      };
    }
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== undefined && choice.index !== 0) continue;
      const delta = choice.delta;
      if (delta?.content) {
        this.content += delta.content;
        this.sawContent = true;
        this.onText?.(delta.content);
      }
      for (const [position, tc] of (delta?.tool_calls ?? []).entries()) {
        // Some local servers omit the index when each delta carries a whole call.
        const index = typeof tc.index === 'number' ? tc.index : this.calls.size + position;
        const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name && !call.name) call.name = tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        this.calls.set(index, call);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  /** The response; throws StreamFault when the stream ended before the model finished. */
  finish(requestModel: string, promptChars: number): ModelResponse {
    if (this.finishReason === null) {
      throw new StreamFault('network', 'The model stream ended before the response was complete.');
    }
    const toolCalls: ToolCall[] = [...this.calls.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, c]) => ({ id: c.id || `call_${index}`, name: c.name, arguments: c.arguments }));
    const outputChars = this.content.length + toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
    const usage: TokenUsage = this.usage ?? {
      inputTokens: estimateTokensFromChars(promptChars),
      cachedInputTokens: 0,
      outputTokens: estimateTokensFromChars(outputChars),
      reasoningTokens: 0,
    };
    return {
      content: this.sawContent ? this.content : null,
      toolCalls,
      usage,
      finishReason: this.finishReason,
      model: this.model ?? requestModel,
    };
  }
}
