// Scripted model conversations the CI-tool suites share: a one-task goal that is achieved, and one
// whose only task is blocked so the goal ends unmet.
import { byRole, toolCall, type RecordedRequest, type ScriptStep } from '../../support/scriptedServer';
import { task } from '../helpers';

/** The objective every CI suite uses (long enough to pass the goal-quality checks quietly). */
export const OBJECTIVE = 'Fix the add function in math.js so that npm test passes for every case.';

/** Plan one task, fix math.js, review approves, audit approves: the goal is achieved. */
export function achievedScript(): (req: RecordedRequest) => ScriptStep {
  return byRole({
    planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js', 'add() subtracts.')], validation_commands: [] })],
    actor: [
      toolCall('read_file', { path: 'math.js' }),
      toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
      toolCall('finish_task', { summary: 'add() now adds; npm test passes.' }),
    ],
    reviewer: [
      toolCall('submit_review', { verdict: 'approve', summary: 'Correct fix.', notes: [{ path: 'math.js', line: 2, severity: 'info', message: 'Consider a test for negatives.' }] }),
      toolCall('submit_review', { verdict: 'approve', summary: 'The goal is met: add works.', notes: [] }),
    ],
  });
}

/**
 * Plan one task; the actor reports the same blocker three times, so the task is blocked and the goal
 * ends unmet (run it with `--max-attempts 5` so the blocker guard, not the attempt cap, ends it).
 */
export function unmetScript(): (req: RecordedRequest) => ScriptStep {
  const blocker = toolCall('report_blocker', { reason: 'math.js is generated and cannot be edited.' });
  return byRole({
    planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] })],
    actor: [blocker, blocker, blocker],
  });
}
