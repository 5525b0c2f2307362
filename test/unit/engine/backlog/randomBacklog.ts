// Seeded generators for the backlog property tests: reproducible, and full of the strings that break
// naive Markdown round trips.
import type { Task, TaskStatus } from '../../../../src/engine/goal';
import type { BacklogItem } from '../../../../src/engine/backlog/markdown';
import { SECTION_ORDER } from '../../../../src/engine/backlog/markdown';

export { seeded, type Random } from '../../../support/seeded';
import type { Random } from '../../../support/seeded';

/** An integer in [0, n). */
export function int(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** One element of `list`. */
export function pick<T>(random: Random, list: readonly T[]): T {
  return list[int(random, list.length)];
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(random, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Fragments chosen to collide with BACKLOG.md syntax, Markdown, escapes, and odd whitespace. */
const NASTY: readonly string[] = [
  '#', '# heading', '## DONE', '### TODO (3)', '- ', '* ', '+ ', '1. ', '2) ', '[x]', '[ ]', '[X] ', '[]',
  '<!--', '-->', '<!-- t9 -->', '<!-- id: t2 -->', '`code`', '```', '~~~', '[t9]', '(t3)', '\\', '\\\\', '\\*',
  '\\<', '&amp;', '&#32;', '&#x41;', '&nbsp;', '&', '&;', '<', '>', '<b>', ' ', '  ', '\t', '   ', 'Acceptance:',
  'acceptance criteria :', 'Blocked:', 'BLOCKER:', '**Acceptance:**', '__Blocked__:', ':', 'é', '日本語', '😀',
  '\u00a0', '\u2028', '\u0085', '\u200b', '\ufeff', '\r', '---', '***', '|a|b|', '_', '*', '>', '> quote',
  'Fix the parser', 'word', 'npm test', 'src/engine/goal.ts', 'C:\\dir\\file',
];

function fragment(random: Random): string {
  return random() < 0.55 ? pick(random, NASTY) : pick(random, ['alpha', 'beta', 'gamma', 'x', '42', 'Do it', 'line']);
}

/** A one-line string of random fragments, possibly with leading or trailing whitespace. */
export function nastyLine(random: Random, maxParts = 5): string {
  let out = '';
  const parts = int(random, maxParts) + 1;
  for (let i = 0; i < parts; i++) out += (random() < 0.5 ? ' ' : '') + fragment(random);
  return out;
}

/** A multi-line string: blank lines anywhere (also first and last), indentation, nasty lines. */
export function nastyText(random: Random): string {
  if (random() < 0.2) return '';
  const lines: string[] = [];
  const count = int(random, 6) + 1;
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.15) lines.push('');
    else if (r < 0.3) lines.push(pick(random, ['  ', '\t', '    ', ' ']) + nastyLine(random, 3));
    else lines.push(nastyLine(random));
  }
  return lines.join('\n');
}

/** A non-empty title; rarely with a line break (only addTasks forbids those, the file must still cope). */
export function nastyTitle(random: Random): string {
  let title = nastyLine(random);
  if (random() < 0.05) title += `\n${nastyLine(random, 2)}`;
  return title === '' ? 'x' : title;
}

/** A random backlog of up to `max` tasks with unique `tN` ids in random order. */
export function randomBacklog(random: Random, max = 8): Task[] {
  const n = int(random, max + 1);
  const numbers = shuffled(random, Array.from({ length: n }, (_, i) => i + 1));
  return numbers.map((k) => {
    const status: TaskStatus = pick(random, SECTION_ORDER);
    const blockedReason = status === 'blocked' ? (random() < 0.15 ? '' : nastyText(random) || 'stuck') : null;
    return {
      id: `t${k}`,
      title: nastyTitle(random),
      details: nastyText(random),
      acceptance: random() < 0.3 ? '' : nastyText(random),
      status,
      source: pick(random, ['planner', 'actor', 'user', 'audit', 'review'] as const),
      attempts: [],
      blockedReason,
      commit: status === 'done' && random() < 0.5 ? 'abc123' : null,
      commands: [],
    };
  });
}

/** The parts of a task that BACKLOG.md carries. */
export function itemOf(task: Task): BacklogItem {
  return {
    id: task.id,
    title: task.title,
    details: task.details,
    acceptance: task.acceptance,
    status: task.status,
    blockedReason: task.blockedReason,
  };
}

/** A backlog in the order the file shows it: by section, array order within each. */
export function inFileOrder<T extends { status: TaskStatus }>(list: readonly T[]): T[] {
  return SECTION_ORDER.flatMap((s) => list.filter((t) => t.status === s));
}

/** A minimal task for hand-written cases. */
export function task(id: string, title: string, over: Partial<Task> = {}): Task {
  return {
    id,
    title,
    details: '',
    acceptance: '',
    status: 'todo',
    source: 'planner',
    attempts: [],
    blockedReason: null,
    commit: null,
    commands: [],
    ...over,
  };
}
