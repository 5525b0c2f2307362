// The empty state: what Goalpost does, the Set Goal button and a goal template.
import { actionButton, commandButton } from './controls';
import { el } from './dom';
import { send } from './host';

const TEMPLATE = `# Make the date parser accept ISO week dates

## Acceptance criteria
- parse("2024-W05-3") returns 2024-01-31
- invalid weeks are rejected with a clear error

## Non-goals
- no new dependencies

## Validation
npm test`;

/** The panel without a goal. */
export function emptyState(trusted: boolean): HTMLElement {
  return el('section', { class: 'empty', 'aria-label': 'No goal yet' },
    el('h2', {}, 'Pursue a coding goal'),
    el('p', {}, 'Goalpost plans, acts, runs your checks, reviews its own work and iterates until the goal is verified achieved, proven unmet, or its token budget runs out. Every finished task is a small, tested, reviewed commit, and you can pause it at any moment.'),
    trusted
      ? el('div', { class: 'controls' }, commandButton('Set Goal', 'target', 'setGoal', undefined, true), actionButton('Write from template', 'file-text', () => send({ type: 'openTemplate' })))
      : el('p', { class: 'warning' }, 'Goalpost only runs in a trusted workspace.'),
    el('p', { class: 'hint' }, 'A good goal names its acceptance criteria and a validation command. A goal file looks like this:'),
    el('pre', { class: 'template', 'aria-label': 'Goal template' }, TEMPLATE),
  );
}
