// run_command: a shell command in the workspace, checked against the command policy first.
import * as z from 'zod';
import { checkCommand, scriptFilesRun } from '../commandPolicy';
import { WorkspaceError } from '../ports';
import { defineTool } from './defineTool';
import type { ToolCapabilities } from './capabilities';

/** The JSON the model reads back, as PRODUCT.md F9 names it. */
export interface RunCommandOutput {
  exit_code: number | null;
  output: string;
  truncated: boolean;
  duration_ms: number;
  timed_out?: boolean;
  signal?: string;
}

export const runCommandTool = defineTool({
  name: 'run_command',
  description: 'Run a shell command in the workspace root (non-interactive: stdin is closed, no pager). Returns {exit_code, output, truncated, duration_ms}. Long output is cut to its head and tail.',
  schema: z.object({
    command: z.string().min(1).describe('The shell command, e.g. "npm test" or "node script.js".'),
    timeout_seconds: z.number().int().min(1).max(3600).optional().describe('Kill the command after this many seconds.'),
  }),
  async run(args, caps: ToolCapabilities, signal?: AbortSignal) {
    const verdict = checkCommand(args.command, caps.commandPolicy, await scriptFiles(args.command, caps));
    if (!verdict.allowed) throw new WorkspaceError(`Command refused: ${verdict.reason}`);
    const timeoutSeconds = Math.min(args.timeout_seconds ?? caps.maxCommandTimeoutSeconds, caps.maxCommandTimeoutSeconds);
    const result = await caps.commands.run({
      command: args.command,
      timeoutMs: timeoutSeconds * 1000,
      signal,
      label: 'agent',
      onOutput: caps.onCommandOutput,
      sandbox: caps.sandbox,
    });
    const out: RunCommandOutput = {
      exit_code: result.exitCode,
      output: result.output,
      truncated: result.truncated,
      duration_ms: Math.round(result.durationMs),
    };
    if (result.repositoryLost) out.output = `${out.output}\n[${result.repositoryLost}]`;
    if (result.timedOut) out.timed_out = true;
    if (result.signal) out.signal = result.signal;
    // Commands can change files the engine cannot see; count a successful one as possible progress
    // only through the git check the loop makes, not here.
    return { content: JSON.stringify(out), data: { kind: 'command', aborted: result.aborted, repositoryLost: result.repositoryLost ?? null } };
  },
});

/** The workspace script files the command runs by name (`sh x.sh`), so the policy judges what they do. */
async function scriptFiles(command: string, caps: ToolCapabilities): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of scriptFilesRun(command).slice(0, 8)) {
    try {
      const text = await caps.workspace.readText(file);
      if (text !== null) files.set(file, text);
    } catch {
      // outside the workspace, a folder, or too large: nothing known, the sandbox decides
    }
  }
  return files;
}
