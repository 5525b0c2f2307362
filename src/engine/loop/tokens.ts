// A cheap, conservative token estimate for budget and context decisions before a request is sent.
// (The API's usage figures are what gets counted; this only decides whether to send.)
import type { ChatMessage, ToolSpec } from '../ports';

const CHARS_PER_TOKEN = 3.5;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The tool definitions' share of a request: a turn counts it once, its tools do not change between steps. */
export function estimateToolTokens(tools: ToolSpec[]): number {
  let total = 0;
  for (const t of tools) total += estimateTextTokens(JSON.stringify(t));
  return total;
}

export function estimateRequestTokens(messages: ChatMessage[], tools: ToolSpec[], toolTokens = estimateToolTokens(tools)): number {
  let total = toolTokens;
  for (const m of messages) {
    total += 4;
    if (m.role === 'assistant') {
      total += estimateTextTokens(m.content ?? '');
      for (const c of m.toolCalls) total += estimateTextTokens(c.name + c.arguments) + 4;
    } else {
      total += estimateTextTokens(m.content);
    }
  }
  return total;
}
