// The budget soft stop (F4): one wrap-up request with budget_limit.md and a small max_tokens, whose
// answer becomes the checkpoint summary a later resume starts from. The overshoot is this one request.
import { budgetLevel } from '../budget';
import { ModelError } from '../ports';
import { renderPrompt } from '../prompts';
import { modelFor } from '../settings';
import { backlogView, goalBlock } from './promptBlocks';
import type { GoalSession } from './session';
import { clip } from './logText';

export const WRAP_UP_MAX_TOKENS = 800;

export async function wrapUp(session: GoalSession, signal?: AbortSignal): Promise<void> {
  const { deps } = session;
  const goal = session.goal;
  const level = budgetLevel(goal);
  const messages = [
    { role: 'system' as const, content: deps.prompts.system_actor },
    {
      role: 'user' as const,
      content: `${goalBlock(deps.prompts, goal)}\n\n${renderPrompt(deps.prompts, 'budget_limit', {
        tokens_used: level.used.toLocaleString('en-US'),
        token_budget: (level.budget ?? 0).toLocaleString('en-US'),
        backlog: backlogView(goal),
      })}`,
    },
  ];
  try {
    const response = await deps.model.complete(
      { role: 'actor', model: modelFor(session.settings(), 'actor'), messages, tools: [], maxTokens: WRAP_UP_MAX_TOKENS },
      signal,
    );
    await session.recordUsage('actor', response.usage);
    const summary = (response.content ?? '').trim();
    if (summary !== '') {
      await session.update((g) => ({ ...g, checkpointSummary: `${g.checkpointSummary.trim()}\n\nWrap-up at the budget limit:\n${summary}`.trim() }));
    }
    await session.log('iterate', summary === '' ? 'budget reached: the wrap-up answer was empty' : `budget reached: wrap-up summary saved as the checkpoint: ${clip(summary)}`);
  } catch (e) {
    // The wrap-up is best effort: the goal still stops at the budget, with the state it has.
    if (e instanceof ModelError && e.kind === 'aborted') throw e;
    await session.log('iterate', `budget reached: the wrap-up request failed (${e instanceof Error ? e.message : String(e)})`);
  }
}
