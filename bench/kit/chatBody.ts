// The JSON a Chat Completions request body carries for a ModelRequest, built with the adapter's own
// message conversion so the benchmarks measure what would go on the wire. Keys are in the order the
// provider renders the prompt (model, tools, messages): tool definitions precede the conversation in the
// rendered prompt, so that is the order in which a cached prefix can be shared.
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { toSdkMessages } from '../../src/adapters/openaiModel';
import type { ModelRequest, ToolSpec } from '../../src/engine/ports';

/** The prompt part of a Chat Completions body (max_completion_tokens and stream options are not prompt). */
export interface ChatBody {
  model: string;
  tools?: ChatCompletionTool[];
  messages: ChatCompletionMessageParam[];
}

/** Tool specs in the SDK's shape. */
export function sdkTools(tools: ToolSpec[]): ChatCompletionTool[] {
  return tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

/** The body of `request`, tools omitted when there are none (as the adapter does). */
export function chatBody(request: ModelRequest): ChatBody {
  const tools = sdkTools(request.tools);
  return {
    model: request.model,
    ...(tools.length > 0 ? { tools } : {}),
    messages: toSdkMessages(request.messages),
  };
}

/** The serialized body: the text whose tokens are counted and whose prefixes are compared. */
export function chatBodyJson(request: ModelRequest): string {
  return JSON.stringify(chatBody(request));
}
