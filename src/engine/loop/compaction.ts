// Keeps one iteration's conversation inside the context window: older tool results are replaced by
// a summary written by the compaction role (prompt compact.md). The system prompt, the task message and
// the most recent exchanges are kept verbatim.
import type { ChatMessage, ToolSpec } from '../ports';
import { renderPrompt } from '../prompts';
import { modelFor } from '../settings';
import { estimateRequestTokens } from './tokens';
import type { GoalSession } from './session';

const KEEP_RECENT = 4;
const MAX_RESULT_CHARS_IN_HISTORY = 4000;
/** Compact a little before the window is full: the estimate is only an estimate. */
const TRIGGER = 0.85;

function historyText(messages: ChatMessage[]): string {
  return messages
    .map((m) => {
      if (m.role === 'assistant') {
        const calls = m.toolCalls.map((c) => `→ ${c.name}(${c.arguments.slice(0, 500)})`).join('\n');
        return `assistant: ${m.content ?? ''}\n${calls}`.trim();
      }
      const text = m.content.length > MAX_RESULT_CHARS_IN_HISTORY ? `${m.content.slice(0, MAX_RESULT_CHARS_IN_HISTORY)}…` : m.content;
      return `${m.role}: ${text}`;
    })
    .join('\n\n');
}

/** Index where the kept tail starts: never between an assistant message and its tool results. */
function tailStart(messages: ChatMessage[]): number {
  let cut = Math.max(2, messages.length - KEEP_RECENT);
  while (cut < messages.length && messages[cut].role === 'tool') cut++;
  return cut;
}

export function needsCompaction(session: GoalSession, messages: ChatMessage[], tools: ToolSpec[], toolTokens?: number): boolean {
  return estimateRequestTokens(messages, tools, toolTokens) > session.contextWindow() * TRIGGER;
}

/**
 * Returns a shorter conversation, or the same one when there is nothing old enough to compact.
 * The compaction request itself is budgeted and counted under the `compaction` role.
 */
export async function compact(session: GoalSession, messages: ChatMessage[], signal?: AbortSignal): Promise<ChatMessage[]> {
  const cut = tailStart(messages);
  const older = messages.slice(2, cut);
  if (older.length === 0) return messages;
  const { deps } = session;
  const request = {
    role: 'compaction' as const,
    model: modelFor(session.settings(), 'compaction'),
    messages: [
      messages[0],
      { role: 'user' as const, content: renderPrompt(deps.prompts, 'compact', { history: historyText(older) }) },
    ],
    tools: [],
    maxTokens: 2000,
  };
  const response = await deps.model.complete(request, signal);
  await session.recordUsage('compaction', response.usage);
  await deps.transcript.append({ at: deps.clock.now().toISOString(), goal: session.goal.id, role: 'compaction', request: request.messages, response: response.content });
  const summary = (response.content ?? '').trim() || '(the compaction returned nothing; earlier steps were dropped)';
  await session.log(session.goal.phase ?? 'act', `compacted ${older.length} earlier messages of this iteration`);
  return [
    messages[0],
    messages[1],
    { role: 'user', content: `Summary of your earlier steps in this iteration (older tool results were compacted):\n${summary}` },
    ...messages.slice(cut),
  ];
}

function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const keep = Math.max(0, maxChars - 80);
  return `${text.slice(0, keep)}\n[… ${text.length - keep} characters cut: this message was too long for the context window]`;
}

/**
 * For a conversation compaction cannot shorten (the recent messages themselves are too long, e.g. one
 * huge answer): cuts every message after the task message to `maxChars`. Cut tool-call arguments become
 * a small JSON object saying so, since servers re-read them as JSON. Returns the same array when
 * nothing was too long.
 */
export function shrinkOversized(messages: ChatMessage[], maxChars: number): ChatMessage[] {
  let changed = false;
  const out = messages.map((m, i): ChatMessage => {
    if (i < 2) return m;
    if (m.role === 'assistant') {
      const content = m.content === null ? null : cutText(m.content, maxChars);
      const toolCalls = m.toolCalls.map((c) => (c.arguments.length > maxChars ? { ...c, arguments: JSON.stringify({ cut: `${c.arguments.length} characters of arguments removed: too long for the context window` }) } : c));
      if (content === m.content && toolCalls.every((c, k) => c === m.toolCalls[k])) return m;
      changed = true;
      return { ...m, content, toolCalls };
    }
    const content = cutText(m.content, maxChars);
    if (content === m.content) return m;
    changed = true;
    return { ...m, content };
  });
  return changed ? out : messages;
}
