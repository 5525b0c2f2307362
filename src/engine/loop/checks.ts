// The test phase: the engine — not the model — runs the validation commands and records the results.
import type { CheckResult } from '../goal';
import { Aborted, RepositoryLost } from '../errors';
import type { GoalSession } from './session';

function label(command: string): string {
  return `check-${command.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'command'}`;
}

/** Check output kept in the goal record: head and tail; the full output stays in the log file. */
export const STORED_OUTPUT_CHARS = 4000;

function storedOutput(output: string): string {
  if (output.length <= STORED_OUTPUT_CHARS) return output;
  const head = output.slice(0, 1000);
  const tail = output.slice(-(STORED_OUTPUT_CHARS - 1000));
  return `${head}\n… (${output.length - STORED_OUTPUT_CHARS} characters omitted; the full output is in the log file) …\n${tail}`;
}

export function checksPassed(checks: CheckResult[]): boolean {
  return checks.every((c) => c.exitCode === 0 && !c.timedOut);
}

export async function runChecks(session: GoalSession, commands: string[], signal?: AbortSignal): Promise<CheckResult[]> {
  const { deps } = session;
  const settings = session.settings();
  const timeoutMs = settings.commandTimeoutSeconds * 1000;
  const sandbox = { mode: settings.sandbox, network: settings.sandboxNetwork };
  const results: CheckResult[] = [];
  for (const command of commands) {
    const observer = deps.observer;
    observer?.step?.({ kind: 'command', command, origin: 'check', running: true });
    const result = await deps.commands.run({
      command,
      timeoutMs,
      signal,
      label: label(command),
      sandbox,
      onOutput: observer?.commandOutput ? (chunk) => observer.commandOutput?.(chunk, { command, origin: 'check' }) : undefined,
    });
    observer?.step?.({ kind: 'command', command, origin: 'check', running: false });
    if (result.aborted) throw new Aborted();
    if (result.repositoryLost) throw new RepositoryLost(result.repositoryLost);
    const check: CheckResult = {
      command,
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
      output: storedOutput(result.output),
      logPath: result.logPath,
    };
    results.push(check);
    const status = check.timedOut ? 'timed out' : check.exitCode === null ? `killed (${check.signal})` : `exit ${check.exitCode}`;
    await session.log('test', `\`${command}\` → ${status} in ${(check.durationMs / 1000).toFixed(1)} s`);
  }
  return results;
}

/** Commands that pass now and did not pass in `before` (a newly passing check counts as progress). */
export function newlyPassing(before: CheckResult[], after: CheckResult[]): string[] {
  const failedBefore = new Set(before.filter((c) => c.exitCode !== 0).map((c) => c.command));
  return after.filter((c) => c.exitCode === 0 && failedBefore.has(c.command)).map((c) => c.command);
}
