// The scripted model of the UI tests: planner, actor and reviewer answer from the workspace's state
// (not from a queue), so an answer lost to Pause is simply given again after Resume. Each answer is
// slowed down so the panel's phases can be watched, and a gate can hold the actor before a task so
// the test pauses at a known point.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { FIXED_CALC, MULTIPLY_CALC } from './workspace.mjs';

const require = createRequire(import.meta.url);
const { startScriptedServer, toolCall } = require('../../../out/test/support/scriptedServer.js');

export const TASKS = [
  { title: 'Fix add() so it returns the sum', details: 'add subtracts instead of adding.', acceptance: 'add(2, 3) === 5 and npm test passes' },
  { title: 'Add multiply(a, b)', details: 'Export multiply from src/calc.js.', acceptance: 'multiply(2, 3) === 6' },
  { title: 'Document the API in README.md', details: 'List add and multiply.', acceptance: 'README has an API section' },
];

/** The note each task review leaves (the test clicks the first one). */
export const NOTE = { path: 'src/calc.js', line: 4, severity: 'warning', message: 'Consider a test for negative numbers.' };

/** Starts the server; `gate.hold` (a promise) holds the actor's first request for task 2 until it resolves. */
export async function startModel(dir, gate) {
  let reviews = 0;
  const slow = (ms) => ({ fault: { kind: 'slow', delayMs: ms } });
  const script = async (req) => {
    const last = req.body.messages.at(-1);
    const calc = readFileSync(join(dir, 'src', 'calc.js'), 'utf8');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    if (req.role === 'planner') {
      return toolCall('submit_plan', { tasks: TASKS, validation_commands: ['npm test'] }, slow(1500));
    }
    if (req.role === 'actor') {
      // A tool result last means the edit is done: finish. Otherwise make the next task's edit.
      if (last?.role === 'tool') return toolCall('finish_task', { summary: 'Done, tests pass.' }, slow(400));
      if (calc.includes('a - b')) return toolCall('write_file', { path: 'src/calc.js', content: FIXED_CALC }, slow(600));
      if (!calc.includes('multiply')) {
        if (gate.hold) await gate.hold;
        return toolCall('write_file', { path: 'src/calc.js', content: MULTIPLY_CALC }, slow(600));
      }
      if (!readme.includes('## API')) return toolCall('write_file', { path: 'README.md', content: `${readme}\n## API\n\n- add(a, b)\n- multiply(a, b)\n` }, slow(600));
      return toolCall('finish_task', { summary: 'Nothing left to change.' }, slow(200));
    }
    if (req.role === 'reviewer') {
      reviews += 1;
      const notes = reviews <= TASKS.length ? [{ ...NOTE, line: NOTE.line + reviews - 1 }] : [];
      return toolCall('submit_review', { verdict: 'approve', summary: reviews <= TASKS.length ? 'Correct and small.' : 'The goal is met.', notes }, slow(800));
    }
    return { content: 'Summary of the work so far.' };
  };
  return startScriptedServer(script);
}
