// A goal far along: `tasks` tasks of the long goal (kit/longGoal.ts), the first `done` of them finished
// the way the loop finishes them (one attempt with a passing check, an approving review, a commit, an
// iteration point), the rest still to do. Used to measure a 2,000-task goal without first running
// 1,900 iterations, and for the load-time benchmark.
import { newGoal, type Goal, type Task } from '../../src/engine/goal';
import type { ScriptedModel } from '../../test/support/fakes/scriptedModel';
import { call, reply, type ScriptStep } from '../../test/support/fakes/scriptedModel';
import { LONG_SPEC } from './longGoal';

const MODULES = 10;
const CHECK_OUTPUT = '# tests 42\n# pass 42\n# fail 0\n';

function pad(n: number): string {
  return String(n).padStart(4, '0');
}

function modulePath(n: number): string {
  return `src/mod${n % MODULES}.js`;
}

function at(minute: number): string {
  return new Date(Date.UTC(2026, 0, 1) + minute * 60_000).toISOString();
}

function task(n: number, done: boolean): Task {
  const finished = at(n * 3);
  return {
    id: `t${n}`,
    title: `Add the v${n} constant to ${modulePath(n)}`,
    details: `Replace the comment \`// slot ${pad(n)}\` in ${modulePath(n)} with \`exports.v${n} = ${n};\` and a one-line JSDoc comment. Leave every other line as it is.`,
    acceptance: `require('./${modulePath(n)}').v${n} === ${n}; npm test passes.`,
    status: done ? 'done' : 'todo',
    source: n <= 60 ? 'planner' : 'actor',
    attempts: done
      ? [{
        n: 1, startedAt: at(n * 3 - 2), endedAt: finished, outcome: 'finished',
        summary: `Replaced slot ${pad(n)} in ${modulePath(n)} with the documented export v${n} = ${n}; npm test passes.`,
        blocker: null,
        checks: [{ command: 'npm test', exitCode: 0, signal: null, timedOut: false, durationMs: 850, output: CHECK_OUTPUT, logPath: `.goalpost/logs/t${n}-1-npm-test.log` }],
        reviewId: `r${n}`, filesChanged: [modulePath(n)],
      }]
      : [],
    blockedReason: null,
    commit: done ? sha(n) : null,
    commands: [],
  };
}

function sha(n: number): string {
  return (n * 2654435761).toString(16).padStart(40, '0').slice(-40);
}

/** The goal record after `done` of `tasks` tasks, pursuing, phase act. */
export function seededGoal(folder: string, tasks: number, done: number, id = 'seeded'): Goal {
  const goal = newGoal({ id, folder, spec: LONG_SPEC, tokenBudget: null, validation: { commands: ['npm test'], source: 'goal-file' }, now: at(0) });
  const backlog = Array.from({ length: tasks }, (_, i) => task(i + 1, i < done));
  return {
    ...goal,
    phase: 'act',
    iteration: done,
    backlog,
    reviews: backlog.filter((t) => t.status === 'done').map((t, i) => ({
      id: `r${i + 1}`, taskId: t.id, attempt: 1, at: at((i + 1) * 3), verdict: 'approve' as const,
      summary: 'The constant is exported as specified and the checks pass.', notes: [], commit: t.commit,
    })),
    commits: backlog.filter((t) => t.status === 'done').map((t, i) => ({
      sha: t.commit ?? '', taskId: t.id, title: t.title, at: at((i + 1) * 3), filesChanged: [modulePath(i + 1)], reviewId: `r${i + 1}`,
    })),
    iterations: Array.from({ length: done }, (_, i) => ({ n: i + 1, at: at((i + 1) * 3), tokens: 9_000 * (i + 1), tasksDone: i + 1 })),
    checkpointSummary: backlog.slice(Math.max(0, done - 12), done).map((t) => `[${t.id}] done: ${t.title}`).join('\n'),
    git: { branch: 'main', baseCommit: sha(0) },
  };
}

/** Queues one actor iteration (read_file + edit_file + finish_task) for tasks `from`…`to`; reviews approve. */
export function scriptRemaining(model: ScriptedModel, from: number, to: number): void {
  const actor: ScriptStep[] = [];
  for (let n = from; n <= to; n++) {
    actor.push(
      reply(call('read_file', { path: modulePath(n) })),
      reply(call('edit_file', { path: modulePath(n), old_text: `// slot ${pad(n)}`, new_text: `/** The number ${n}. */\nexports.v${n} = ${n};` })),
      reply(call('finish_task', { summary: `Replaced slot ${pad(n)} in ${modulePath(n)} with the documented export v${n} = ${n}; the module's other exports are unchanged and npm test passes (all tests green).` })),
    );
  }
  model.script('actor', ...actor);
  model.otherwise('reviewer', reply(call('submit_review', { verdict: 'approve', summary: 'The constant is exported as specified and the checks pass.', notes: [] })));
}
