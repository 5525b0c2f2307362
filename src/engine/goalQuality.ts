// The goal quality check of PRODUCT.md F1.3: warnings (never a block) shown before a goal starts, each
// saying what to add, plus the template the UI offers so writing a good goal is one click away.
import type { Goal, GoalSpec } from './goal';

/** What is missing from a goal. */
export type GoalWarningCode = 'no-acceptance-criteria' | 'no-validation' | 'too-vague';

/** One quality warning; `message` tells the user what to add. */
export interface GoalWarning {
  code: GoalWarningCode;
  message: string;
}

/** Fewer words than this is vaguer than a sentence. */
export const MIN_OBJECTIVE_WORDS = 6;
/** Fewer characters of text than this is vaguer than a sentence. */
export const MIN_OBJECTIVE_CHARS = 30;

/** The objective as plain words: Markdown markers (headings, list bullets, emphasis, code ticks) removed. */
function plainText(objective: string): string {
  return objective
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/gm, '')
    .replace(/[*_`~>#]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The warnings for a goal about to start; an empty list means it looks fine. */
export function assessGoal(spec: GoalSpec, validation: Goal['validation']): GoalWarning[] {
  const warnings: GoalWarning[] = [];
  const text = plainText(spec.objective);
  const words = text.split(' ').filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length < MIN_OBJECTIVE_WORDS || text.length < MIN_OBJECTIVE_CHARS) {
    warnings.push({
      code: 'too-vague',
      message: `The objective "${text}" is vaguer than a sentence. Say what should change, where, and how you will know it is done (at least one full sentence).`,
    });
  }
  if (spec.acceptanceCriteria.length === 0) {
    warnings.push({
      code: 'no-acceptance-criteria',
      message: 'The goal has no acceptance criteria. Add an "## Acceptance criteria" section listing what must be true when it is done, so the completion audit can check it.',
    });
  }
  if (validation.commands.length === 0) {
    warnings.push({
      code: 'no-validation',
      message: 'No validation command was found. Add a "## Validation" section with the commands that prove the goal (for example `npm test`), or set goalpost.validationCommands; otherwise the planner will propose some.',
    });
  }
  return warnings;
}

/** A goal template with every section and a one-line hint each (hints in the fence are comments, so not run). */
export const GOAL_TEMPLATE = `# Title of the goal in a few words

Describe what should change and why, in a few sentences: the feature or bug, where it lives, who notices.

## Acceptance criteria

- Something observable that must be true when the goal is done (one per line).

## Non-goals

- Something the agent must leave alone or not attempt.

## Constraints

- A rule to follow: libraries, style, compatibility, performance.

## Validation

\`\`\`sh
# One command per line that proves the goal, for example: npm test
\`\`\`
`;
