// The plan phase: the planner reads the repository (read-only tools) and submits the backlog.
import { plural } from '../text';
import { addTasks } from '../backlog/tasks';
import { reservedTaskIds } from './promptBlocks';
import { renderPrompt } from '../prompts';
import { backlogView, goalBlock, objectiveUpdateBlock } from './promptBlocks';
import { toolCapabilities } from './toolCapabilities';
import { runTurn } from './turn';
import { plannerToolset } from '../tools/toolsets';
import type { GoalSession } from './session';

/** `no-tools`: the planner failed without making a single tool call (the model answered in text only). */
export type PlanOutcome = 'planned' | 'failed' | 'no-tools';

export async function runPlan(session: GoalSession, reason: string, signal?: AbortSignal): Promise<PlanOutcome> {
  const { deps } = session;
  await session.setPhase('plan');
  await session.log('plan', `planning (${reason})`);
  const goal = session.goal;
  const user = [
    goalBlock(deps.prompts, goal),
    objectiveUpdateBlock(deps.prompts, goal),
    renderPrompt(deps.prompts, 'plan', { reason, backlog: backlogView(goal) }),
  ].filter((s) => s !== '').join('\n\n');
  const result = await runTurn(session, {
    role: 'planner',
    system: deps.prompts.system_planner,
    user,
    toolset: plannerToolset,
    caps: toolCapabilities(session),
    maxSteps: session.settings().maxStepsPerIteration,
    onFirstResponse: () => clearObjectiveNotice(session, noticeShown(goal)),
  }, signal);
  if (result.kind !== 'submitted' || result.submission.kind !== 'plan') {
    await session.log('plan', `the planner did not submit a plan (${result.kind})`);
    return result.kind === 'no-submit' && result.toolCalls === 0 ? 'no-tools' : 'failed';
  }
  const plan = result.submission;
  await session.update((g) => {
    const proposed = plan.validationCommands.map((c) => c.trim()).filter((c) => c !== '');
    const validation = g.validation.commands.length === 0 && proposed.length > 0
      ? { commands: proposed, source: 'planner' as const }
      : g.validation;
    return { ...g, backlog: addTasks(g.backlog, plan.tasks, 'planner', reservedTaskIds(g)), validation };
  });
  await session.log('plan', `planner submitted ${plural(plan.tasks.length, 'task')}`);
  if (session.goal.validation.source === 'planner' && plan.validationCommands.length > 0) {
    await session.log('plan', `validation commands proposed by the planner: ${session.goal.validation.commands.join(' ; ')}`);
  }
  return 'planned';
}

/** The objective a turn's request was told about (objective_updated), or null when it was told nothing. */
export function noticeShown(goal: { previousObjective: string | null; spec: { objective: string } }): string | null {
  return goal.previousObjective === null ? null : goal.spec.objective;
}

/**
 * The objective_updated notice is shown to one turn, then cleared — but only when that turn was told
 * about the objective in force: an edit that lands while the turn's request is in flight must reach
 * the next turn instead of being cleared unseen.
 */
export async function clearObjectiveNotice(session: GoalSession, told: string | null): Promise<void> {
  if (told === null) return;
  await session.update((g) => (g.previousObjective !== null && g.spec.objective === told ? { ...g, previousObjective: null } : g));
}
