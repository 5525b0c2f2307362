// The CLI's exit codes (PRODUCT.md F8), so scripts and CI can tell how a goal ended without parsing text.
import type { GoalStatus } from '../engine/goal';

/** Every exit code the `goalpost` command uses. */
export const ExitCode = {
  achieved: 0,
  error: 1,
  unmet: 2,
  budgetLimited: 3,
  paused: 4,
  interrupted: 130,
} as const;

/** One of the values of ExitCode. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code a run ends with when the goal is left in `status`. */
export function exitCodeFor(status: GoalStatus): ExitCode {
  switch (status) {
    case 'achieved':
      return ExitCode.achieved;
    case 'unmet':
      return ExitCode.unmet;
    case 'budget-limited':
      return ExitCode.budgetLimited;
    case 'paused':
    case 'pursuing':
      // `pursuing` after a run returned only happens when something stopped it without a transition.
      return ExitCode.paused;
    case 'cleared':
      return ExitCode.error;
  }
}

/** An error the user can act on: printed as `goalpost: <message>` (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
