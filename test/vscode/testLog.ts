// The extension host forwards console output to the workbench mixed with the workbench's own logs, and
// VS Code locks console.log against patching; so lines meant for the test runner's output carry a
// prefix that scripts/vscode-test/run.mjs sets and recognises. Tests log through testLog().
import { format } from 'util';

/** Environment variable holding the prefix; unset (plain console output) outside run.mjs. */
export const LOG_MARKER_ENV = 'GOALPOST_VSCODE_LOG_MARKER';

/** Prefixes one formatted line with the runner's marker, when there is one. */
export function markLine(...data: unknown[]): string {
  return `${process.env[LOG_MARKER_ENV] ?? ''}${format(...data)}`;
}

/** Logs a line that the runner shows in its output (console.log lines only reach the log files). */
export function testLog(...data: unknown[]): void {
  console.log(markLine(...data));
}
