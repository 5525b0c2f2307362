// A long goal for the growth and overhead benchmarks: one plan of 60 tasks, the rest discovered by the
// actor (add_tasks, up to 20 at a time, in the first iterations; a plan holds at most 60), then one
// iteration per task with read_file + edit_file + finish_task, checks passing, every review approving,
// then the completion audit.
import type { GoalSpec } from '../../src/engine/goal';
import type { ScriptedModel } from '../../test/support/fakes/scriptedModel';
import { call, reply, type ScriptStep } from '../../test/support/fakes/scriptedModel';

/** Tasks in the plan (submit_plan accepts at most 60). */
export const PLANNED_TASKS = 60;
/** Tasks each add_tasks call adds (the tool accepts at most 20). */
export const ADDED_PER_CALL = 20;
const MODULES = 10;

/** The long goal's spec. */
export const LONG_SPEC: GoalSpec = {
  objective: 'Add the numbered constants v1…vN to the src/mod*.js modules, one per task, each exported and documented, without changing any existing export.',
  acceptanceCriteria: ['Every slot comment in src/mod*.js is replaced by its exported constant.', '`npm test` passes.'],
  nonGoals: ['No refactoring of the module layout.'],
  constraints: ['One constant per commit.'],
  validationCommands: ['npm test'],
};

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

function modulePath(n: number): string {
  return `src/mod${n % MODULES}.js`;
}

/** The workspace: ten modules holding one slot comment per task, a package.json and a README. */
export function longGoalFiles(tasks: number): Record<string, string> {
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify({ name: 'constants', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2)}\n`,
    'README.md': '# constants\n\nNumbered constants, one per module slot.\n',
  };
  for (let m = 0; m < MODULES; m++) {
    const lines = ["'use strict';", ''];
    for (let n = 1; n <= tasks; n++) if (n % MODULES === m) lines.push(`// slot ${pad(n)}`);
    files[`src/mod${m}.js`] = `${lines.join('\n')}\n`;
  }
  return files;
}

function draft(n: number): { title: string; details: string; acceptance: string } {
  return {
    title: `Add the v${n} constant to ${modulePath(n)}`,
    details: `Replace the comment \`// slot ${pad(n)}\` in ${modulePath(n)} with \`exports.v${n} = ${n};\` and a one-line JSDoc comment. Leave every other line as it is.`,
    acceptance: `require('./${modulePath(n)}').v${n} === ${n}; npm test passes.`,
  };
}

/** How many of the first iterations add tasks to reach `tasks` in total. */
export function addingIterations(tasks: number): number {
  return Math.ceil(Math.max(0, tasks - PLANNED_TASKS) / ADDED_PER_CALL);
}

/** Queues the planner's plan and one actor iteration per task, `tasks` in all; reviews approve. */
export function scriptLongGoal(model: ScriptedModel, tasks: number): void {
  const planned = Math.min(tasks, PLANNED_TASKS);
  model.script('planner', reply(call('submit_plan', { tasks: Array.from({ length: planned }, (_, i) => draft(i + 1)), validation_commands: [] })));
  const actor: ScriptStep[] = [];
  for (let n = 1; n <= tasks; n++) {
    const read = call('read_file', { path: modulePath(n) });
    const from = PLANNED_TASKS + (n - 1) * ADDED_PER_CALL + 1;
    if (from <= tasks) {
      const drafts = Array.from({ length: Math.min(ADDED_PER_CALL, tasks - from + 1) }, (_, i) => draft(from + i));
      actor.push(reply(read, call('add_tasks', { tasks: drafts })));
    } else {
      actor.push(reply(read));
    }
    actor.push(
      reply(call('edit_file', { path: modulePath(n), old_text: `// slot ${pad(n)}`, new_text: `/** The number ${n}. */\nexports.v${n} = ${n};` })),
      reply(call('finish_task', { summary: `Replaced slot ${pad(n)} in ${modulePath(n)} with the documented export v${n} = ${n}; the module's other exports are unchanged and npm test passes (all tests green).` })),
    );
  }
  model.script('actor', ...actor);
  model.otherwise('reviewer', reply(call('submit_review', { verdict: 'approve', summary: 'The constant is exported as specified and the checks pass.', notes: [] })));
}
