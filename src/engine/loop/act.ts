// The act phase: the actor works on one task with its tools until finish_task or report_blocker.
import { plural } from '../text';
import { addTasks } from '../backlog/tasks';
import type { Task } from '../goal';
import { renderPrompt } from '../prompts';
import { actorToolset } from '../tools/toolsets';
import { reservedTaskIds, backlogView, budgetLine, checkpointText, goalBlock, lastAttemptBlock, objectiveUpdateBlock, taskBlock } from './promptBlocks';
import { clearObjectiveNotice, noticeShown } from './plan';
import { toolCapabilities } from './toolCapabilities';
import { runTurn, type TurnResult } from './turn';
import type { GoalSession } from './session';

export interface ActResult {
  turn: TurnResult;
  /** Paths the file tools changed during the turn. */
  filesChanged: string[];
}

export function actorMessage(session: GoalSession, task: Task): string {
  const { prompts } = session.deps;
  const goal = session.goal;
  return [
    goalBlock(prompts, goal),
    objectiveUpdateBlock(prompts, goal),
    renderPrompt(prompts, 'continuation', {
      iteration: String(goal.iteration),
      current_task: taskBlock(task),
      backlog: backlogView(goal),
      checkpoint_summary: checkpointText(goal),
      last_attempt: lastAttemptBlock(goal, task),
      budget: budgetLine(goal),
    }),
  ].filter((s) => s !== '').join('\n\n');
}

export async function runAct(session: GoalSession, task: Task, signal?: AbortSignal): Promise<ActResult> {
  const changed = new Set<string>();
  const told = noticeShown(session.goal);
  const turn = await runTurn(session, {
    role: 'actor',
    system: session.deps.prompts.system_actor,
    user: actorMessage(session, task),
    toolset: actorToolset,
    caps: toolCapabilities(session, (p) => changed.add(p)),
    maxSteps: session.settings().maxStepsPerIteration,
    onFirstResponse: () => clearObjectiveNotice(session, told),
    onAddTasks: async (drafts) => {
      await session.update((g) => ({ ...g, backlog: addTasks(g.backlog, drafts, 'actor', reservedTaskIds(g)) }));
      await session.log('act', `actor added ${plural(drafts.length, 'task')}: ${drafts.map((d) => d.title).join('; ')}`);
    },
  }, signal);
  return { turn, filesChanged: [...changed].sort() };
}
