// The `goalpost` command (PRODUCT.md F8): argument parsing with commander, one handler per subcommand,
// and one place that turns errors into a message and an exit code. Bundled to dist/cli.js.
import { Command, CommanderError, Option } from 'commander';
import { describeFsFault, fsFaultOf } from '../adapters/fsFault';
import { EngineError } from '../engine/errors';
import { GoalFileError } from '../engine/goalFile';
import { StoreError } from '../engine/ports';
import { PromptError } from '../engine/prompts';
import { runClear } from './commands/clear';
import { runBudget, runEdit, runReplan } from './commands/goalChanges';
import { runHistory } from './commands/history';
import { runReport } from './commands/report';
import { runDoctor } from './commands/doctor';
import { DEMO_HELP, runDemo } from './commands/demo';
import { runPause } from './commands/pause';
import { runRun } from './commands/run';
import { runStatus } from './commands/status';
import { CliError, ExitCode } from './exitCodes';
import { processIo, type CliIo } from './io';
import { version } from '../../package.json';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * How the model server is reached, for `run` and `doctor`: one definition, so the two cannot drift (their
 * values are checked by one schema too, EndpointFlagShape in flags.ts). `model` is the --model help text.
 */
function addEndpointOptions(command: Command, model: string): Command {
  return command
    .option('--model <name>', model)
    .option('--base-url <url>', 'OpenAI-compatible endpoint (default: OPENAI_BASE_URL or OpenAI)')
    .option('--provider <name>', 'openai | azure | ollama | lmstudio | vllm | llamacpp | other (default: inferred from the base URL)')
    .option('--api-version <version>', 'Azure OpenAI api-version of the classic deployments URL (e.g. 2024-10-21)')
    .option('--request-idle-timeout <seconds>', 'give up a request (and retry) after this long without a byte from the server (default 120)');
}

const RUN_HELP = `
The goal: --goal-file GOAL.md (Markdown: free text is the objective; optional sections
"Acceptance criteria", "Non-goals", "Constraints", "Validation", "Protected paths"), or the
objective as text. A change under a protected path (--protect GLOB too) is undone and fails the attempt.

Settings: the folder's .vscode/settings.json (JSONC) supplies every goalpost.* setting the
extension has as the default of this run (the same names: goalpost.model, goalpost.reviewFrequency,
goalpost.contextWindowTokens, goalpost.prices, …); a flag wins over the file. A bad value there
is an error naming the file and the key.

Model endpoint: OPENAI_API_KEY and OPENAI_BASE_URL are read like the openai SDK reads them;
--base-url wins over OPENAI_BASE_URL. A server on this machine or the private network (Ollama,
LM Studio, vLLM, llama.cpp) needs no key. --provider says which kind of server it is (inferred from
the URL when unambiguous); \`goalpost doctor\` checks the endpoint before a goal spends anything.
The key is never printed, logged or written to the transcript.

Progress: a live line on a terminal; plain lines (one per event) when stdout is not a terminal;
JSON lines with --json, ending with a {"type":"summary"} object.

Ctrl+C saves the session (the goal becomes paused) and prints the command that resumes it;
a second Ctrl+C exits at once. \`goalpost pause\` from another terminal does the same.

Exit codes: 0 achieved, 2 unmet, 3 budget-limited, 4 paused (by \`goalpost pause\` or after a
model error, with the reason printed), 130 interrupted (Ctrl+C), 1 error.

Examples:
  $ goalpost run --goal-file GOAL.md
  $ goalpost run "Make \`npm test\` pass: fix the date parser in src/date.js" --budget 500k
  $ goalpost run --goal-file GOAL.md --validate "npm test" --validate "npm run lint"
  $ OPENAI_BASE_URL=http://localhost:11434/v1 goalpost run --goal-file GOAL.md --model qwen2.5-coder
  $ goalpost run --resume --budget 3m          # continue after a pause or at the budget limit
  $ goalpost run --resume --goal-id nightly-41 # resume exactly that goal, never another
  $ goalpost run --goal-file GOAL.md --json > events.jsonl
`;

const STATUS_HELP = `
Shows state, reason, phase, iteration, task counts, tokens/budget, dollars, forecast, whether a
\`goalpost run\` process is working on the goal, and the last lines of goal_status.log.
--json prints one stable object: id, status, reason, pause {cause, errorKind}, phase, iteration, running, pid,
tasks {todo, inProgress, done, blocked}, usage {tokens, costUsd, requests}, budget, commits,
objective, forecast, folder, branch, updatedAt. With no goal, status is "none".

Examples:
  $ goalpost status
  $ goalpost status --json --project-root ../my-repo | jq .status
`;

const PAUSE_HELP = `
With a \`goalpost run\` working in the folder, asks it to stop (a soft stop within a second: the
model request is cancelled, a running command is killed, the state is saved) and waits for it to
confirm; that run then exits with code 4. With no process running, sets the stored goal to paused.
Resume with \`goalpost run --resume\`.

Examples:
  $ goalpost pause
  $ goalpost pause --project-root ../my-repo
`;

const CLEAR_HELP = `
Ends the goal: it moves to .goalpost/history/ as "cleared". Its commits and BACKLOG.md stay.
Asks for confirmation on a terminal; without a terminal, --yes is required. A running goal is
paused first.

Examples:
  $ goalpost clear
  $ goalpost clear --yes --project-root ../my-repo
`;

const HISTORY_HELP = `
Examples:
  $ goalpost history
  $ goalpost history --json | jq '.[] | select(.status == "unmet") | .id'
`;

const REPORT_HELP = `
The HTML page is self-contained (inline style, no script, nothing loaded from anywhere) and every
text in it is escaped. The timeline comes from goal_status.log.

Examples:
  $ goalpost report > REPORT.md
  $ goalpost report --format html --goal-id g-20261121-154400-k3x9 -o report.html
`;

const CHANGE_HELP = `
The goal keeps its state: a paused or budget-limited goal stays so until \`goalpost run --resume\`.
With a \`goalpost run\` working in the folder, the change is sent to that process, which applies it
at once (edit: its next turn is told the new objective supersedes the old one).

Examples:
  $ goalpost edit "Also support ISO week dates in parse()"
  $ goalpost budget 3m && goalpost run --resume
  $ goalpost replan
`;

const DOCTOR_HELP = `
Probes the model endpoint as a goal would use it: the endpoint and provider, reachable, key accepted,
model known, a streamed request with one tool call round-tripped, and usage reported. Each line says
what works and, where not, the exact setting or server flag to change. Exit 0 when a goal can run.

Examples:
  $ goalpost doctor
  $ goalpost doctor --base-url http://localhost:11434/v1 --model qwen2.5-coder
  $ goalpost doctor --provider azure --base-url https://RESOURCE.openai.azure.com --api-version 2024-10-21 --model DEPLOYMENT
  $ goalpost doctor --provider vllm --base-url http://gpu-box:8000/v1 --model Qwen/Qwen2.5-Coder-32B-Instruct --json
`;

/** The commander program; `onResult` receives the exit code of the command that ran. */
export function buildProgram(io: CliIo, onResult: (code: ExitCode) => void): Command {
  const program = new Command('goalpost')
    .description('Pursue a long-horizon coding goal autonomously (plan → act → test → review → iterate) until it is verified achieved, proven unmet, or its token budget runs out.')
    .version(version, '-v, --version')
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({ writeOut: (s) => void io.out.write(s), writeErr: (s) => void io.err.write(s) })
    .exitOverride();
  const root = (): Option => new Option('--project-root <dir>', 'the goal\'s folder, a git repository (default: the current directory)');

  const run = program
    .command('run')
    .description('Start a goal (or --resume the folder\'s goal) and pursue it until it ends.')
    .argument('[objective...]', 'the objective as text (instead of --goal-file)')
    .option('--goal-file <file>', 'Markdown goal file (objective + optional sections)')
    .option('--goal-id <id>', 'id of the new goal (default: generated, e.g. g-20261121-154400-k3x9); the branch is goalpost/<id>. With --resume: resume only this goal, or fail saying why')
    .addOption(root())
    .option('--resume', 'continue the folder\'s paused, interrupted, unmet or budget-limited goal')
    .option('--budget <tokens>', 'token budget: 500000, 500k, 2m or "unlimited" (default 2,000,000); with --resume it raises the budget');
  addEndpointOptions(run, 'model of the actor role, and of the others unless set (default gpt-5.1)')
    .option('--plan-model <name>', 'model of the planner role')
    .option('--review-model <name>', 'model of the reviewer role')
    .option('--context-window <tokens>', 'the model\'s context window on this server (default 128000): prompt + output cap fit in it')
    .option('--log-level <level>', 'debug (also every model request and tool call, and command output) | info | warn | error; any case (default: goalpost.logLevel, else info)')
    .option('--max-iterations <n>', 'stop as unmet after this many iterations (0: no cap)')
    .option('--json', 'JSON lines on stdout instead of human-readable progress')
    .option('--snapshot', 'commit uncommitted changes as a snapshot first (otherwise a dirty tree is refused)')
    .option('--current-branch', 'commit on the current branch instead of goalpost/<id>')
    .option('--validate <command>', 'a validation command (repeatable); used when the goal file names none', collect)
    .option('--protect <glob>', 'a path or glob the agent must not change, e.g. test/** (repeatable; added to the goal file\'s "Protected paths")', collect)
    .option('--iteration-delay-ms <ms>', 'pause between iterations (default 1000)')
    .option('--max-steps <n>', 'model requests the actor may make per iteration (default 40)')
    .option('--max-attempts <n>', 'attempts per task before it is BLOCKED (default 3)')
    .option('--review-frequency <when>', 'every-task | every-n-tasks | audit-only | off (default every-task)')
    .option('--sandbox <mode>', 'workspace-write (commands confined where bubblewrap exists) | off')
    .option('--command-timeout <seconds>', 'timeout of each command the agent or the engine runs (default 600)')
    .option('--review-every <n>', 'with --review-frequency every-n-tasks: review every N finished tasks (default 3)')
    .option('--max-stalled-iterations <n>', 'stop as unmet after N iterations without progress (default 3)')
    .option('--max-wall-clock <minutes>', 'stop as unmet after this many minutes (0: no cap)')
    .option('--sandbox-network <on|off>', 'network access of sandboxed commands (default off)')
    .option('--deny <pattern>', 'a command pattern to refuse, besides the built-in deny list (repeatable)', collect)
    .option('--allow <pattern>', 'a command pattern to allow despite the deny list (repeatable)', collect)
    .option('--backlog-path <file>', 'the backlog file, relative to the project root (default BACKLOG.md)')
    .option('--status-log-path <file>', 'the status log, relative to the project root (default goal_status.log)')
    .addHelpText('after', RUN_HELP)
    .action(async (objective: string[], opts: Record<string, unknown>) => {
      onResult(await runRun({ ...opts, objective }, io));
    });

  program
    .command('status')
    .description('Show the folder\'s goal: state, progress, cost, and whether it is running.')
    .addOption(root())
    .option('--json', 'print one stable JSON object')
    .addHelpText('after', STATUS_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runStatus(opts, io));
    });

  program
    .command('pause')
    .description('Pause the folder\'s goal (a running `goalpost run` stops within a second).')
    .addOption(root())
    .addHelpText('after', PAUSE_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runPause(opts, io));
    });

  program
    .command('clear')
    .description('End the folder\'s goal (kept in history; commits and BACKLOG.md stay).')
    .addOption(root())
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', CLEAR_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runClear(opts, io));
    });

  program
    .command('history')
    .description('List the folder\'s goals: the current one, then ended goals, newest first.')
    .addOption(root())
    .option('--json', 'print one JSON array (id, current, status, reason, objective, tasks, commits, tokens, costUsd, budget, branch, createdAt, endedAt)')
    .addHelpText('after', HISTORY_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runHistory(opts, io));
    });

  program
    .command('report')
    .description('One page about a goal: objective, outcome and evidence, tasks, commits, checks, review notes, cost per role, timeline.')
    .addOption(root())
    .option('--format <format>', 'md (Markdown, default) | html (one self-contained page)', 'md')
    .option('--goal-id <id>', 'a goal of `goalpost history` (default: the current goal, else the latest)')
    .option('-o, --output <file>', 'write the page to a file instead of stdout')
    .addHelpText('after', REPORT_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runReport(opts, io));
    });

  program
    .command('edit')
    .description('Change the goal\'s objective without resuming it (a running goal picks it up at its next turn).')
    .argument('[objective...]', 'the new objective as text')
    .option('--goal-file <file>', 'take the new objective from a goal file')
    .addOption(root())
    .addHelpText('after', CHANGE_HELP)
    .action(async (objective: string[], opts: Record<string, unknown>) => {
      onResult(await runEdit({ ...opts, objective }, io));
    });

  program
    .command('replan')
    .description('Have the planner re-plan the backlog before the next iteration (now if running, else at the next resume).')
    .addOption(root())
    .addHelpText('after', CHANGE_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runReplan(opts, io));
    });

  program
    .command('budget')
    .description('Set the goal\'s token budget without resuming it: 500000, 500k, 2m or "unlimited".')
    .argument('<tokens>', 'the new token budget')
    .addOption(root())
    .addHelpText('after', CHANGE_HELP)
    .action(async (tokens: string, opts: Record<string, unknown>) => {
      onResult(await runBudget({ ...opts, tokens }, io));
    });

  addEndpointOptions(program.command('doctor').description('Check the model endpoint: reachable, key, model, a streamed tool call, usage.').addOption(root()),
    'the model (Azure: the deployment) to check (default gpt-5.1)')
    .option('--json', 'print the report as one JSON object {ok, lines: [{check, ok, detail, fix?}]}')
    .addHelpText('after', DOCTOR_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runDoctor(opts, io));
    });

  program
    .command('demo')
    .description('Play the offline demo: a scripted session on a sample project (no key, no network, real checks and commits).')
    .addOption(root())
    .option('--json', 'JSON lines on stdout instead of human-readable progress')
    .option('--step-delay-ms <ms>', `how long each scripted model answer takes (default 400)`)
    .addHelpText('after', DEMO_HELP)
    .action(async (opts: Record<string, unknown>) => {
      onResult(await runDemo(opts, io));
    });

  program.addHelpText('after', `
Examples:
  $ goalpost run --goal-file GOAL.md      pursue a goal in the current git repository
  $ goalpost status                       see how it is going (from any terminal)
  $ goalpost pause                        stop it softly; resume with: goalpost run --resume
  $ goalpost clear --yes                  end it (commits and BACKLOG.md stay)
  $ goalpost history                      the folder's goals
  $ goalpost report --format html -o r.html   one page about the goal
  $ goalpost demo                         watch a scripted goal run offline (no key needed)

Run \`goalpost <command> --help\` for a command's options and exit codes.`);
  return program;
}

/** The message for an error the user caused or can fix; null for a bug. */
function userMessage(e: unknown): { message: string; code: ExitCode } | null {
  if (e instanceof CliError) return { message: e.message, code: e.exitCode };
  if (e instanceof EngineError || e instanceof StoreError || e instanceof PromptError || e instanceof GoalFileError) {
    const fault = fsFaultOf(e);
    return { message: fault ? `${describeFsFault(fault)}, then try again.` : e.message, code: ExitCode.error };
  }
  const fault = fsFaultOf(e);
  if (fault) return { message: `${describeFsFault(fault)}, then try again.`, code: ExitCode.error };
  return null;
}

/** Runs the CLI with `argv` (process.argv form); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code: number = ExitCode.achieved;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  if (argv.length <= 2) {
    program.outputHelp();
    return ExitCode.achieved;
  }
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version end in a CommanderError too; commander has already printed everything.
      return e.exitCode === 0 ? ExitCode.achieved : ExitCode.error;
    }
    const known = userMessage(e);
    if (known) {
      io.err.write(`goalpost: ${known.message}\n`);
      return known.code;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.err.write(`goalpost: unexpected error: ${err.message}\n${io.env.GOALPOST_DEBUG ? `${err.stack ?? ''}\n` : 'Set GOALPOST_DEBUG=1 for the stack trace.\n'}`);
    return ExitCode.error;
  }
}

/** Exits once stdout and stderr have flushed, so piped output is never cut short. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = (): void => {
    pending--;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

if (require.main === module) {
  // `goalpost status | head` closes the pipe early: that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  main(process.argv).then(exitAfterFlush, (e: unknown) => {
    process.stderr.write(`goalpost: ${e instanceof Error ? e.message : String(e)}\n`);
    exitAfterFlush(ExitCode.error);
  });
}
