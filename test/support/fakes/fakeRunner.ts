// A CommandRunner whose behaviour per command is scripted: exit code, output, a side effect on the
// workspace, a delay or a hang that honours the AbortSignal like the real runner's process-tree kill.
import type { CommandRequest, CommandResult, CommandRunner } from '../../../src/engine/ports';
import { statePath } from '../../../src/engine/stateFiles';

/** What one run of a command does. */
export interface CommandBehaviour {
  exitCode?: number | null;
  output?: string;
  /** Resolve after this many real milliseconds (or earlier, aborted, when the signal fires). */
  delayMs?: number;
  /** Never finish on its own: only the signal ends it. */
  hang?: boolean;
  timedOut?: boolean;
  signal?: string | null;
  /** Runs before the result is returned, e.g. to change files like a code generator would. */
  effect?(request: CommandRequest): void;
}

/** A behaviour, a sequence of them (the last one repeats), or a function of the request and run index. */
export type CommandScript = CommandBehaviour | CommandBehaviour[] | ((request: CommandRequest, index: number) => CommandBehaviour);

interface Rule {
  match: string | RegExp;
  script: CommandScript;
  runs: number;
}

/** One run the fake saw, and how it ended. */
export interface RecordedRun {
  request: CommandRequest;
  result: CommandResult;
}

export class FakeRunner implements CommandRunner {
  private readonly rules: Rule[] = [];
  /** Every run that ended, in order. */
  readonly runs: RecordedRun[] = [];
  /** Every run as it starts (a hanging one shows here long before it ends). */
  readonly started: CommandRequest[] = [];
  private readonly waiters: { count: number; resolve(): void }[] = [];

  /** Behaviour of commands no rule matches (default: exit 0, no output). */
  constructor(private fallback: CommandBehaviour = { exitCode: 0, output: '' }) {}

  /** Scripts `match` (exact command text or a RegExp); a later rule for the same match replaces it. */
  on(match: string | RegExp, script: CommandScript): this {
    const i = this.rules.findIndex((r) => String(r.match) === String(match));
    const rule: Rule = { match, script, runs: 0 };
    if (i >= 0) this.rules[i] = rule;
    else this.rules.push(rule);
    return this;
  }

  /** Changes the behaviour of unmatched commands. */
  otherwise(behaviour: CommandBehaviour): this {
    this.fallback = behaviour;
    return this;
  }

  /** Resolves once `count` runs have started. */
  whenStarted(count: number): Promise<void> {
    if (this.started.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** The commands run so far, in order. */
  commands(): string[] {
    return this.runs.map((r) => r.request.command);
  }

  private behaviourFor(request: CommandRequest): CommandBehaviour {
    const rule = this.rules.find((r) => (typeof r.match === 'string' ? r.match === request.command : r.match.test(request.command)));
    if (!rule) return this.fallback;
    const index = rule.runs++;
    const { script } = rule;
    if (typeof script === 'function') return script(request, index);
    if (Array.isArray(script)) return script[Math.min(index, script.length - 1)] ?? this.fallback;
    return script;
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const behaviour = this.behaviourFor(request);
    this.started.push(request);
    for (const w of this.waiters.filter((x) => this.started.length >= x.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
    const started = Date.now();
    const aborted = await waitFor(behaviour, request.signal);
    let result: CommandResult;
    if (aborted) {
      result = {
        exitCode: null, signal: 'SIGTERM', timedOut: false, aborted: true, durationMs: Date.now() - started,
        output: '', truncated: false, logPath: null,
      };
    } else {
      behaviour.effect?.(request);
      const output = behaviour.output ?? '';
      if (output !== '') request.onOutput?.(output);
      result = {
        exitCode: behaviour.exitCode === undefined ? 0 : behaviour.exitCode,
        signal: behaviour.signal ?? null,
        timedOut: behaviour.timedOut ?? false,
        aborted: false,
        durationMs: Math.max(1, Date.now() - started),
        output,
        truncated: false,
        logPath: `${statePath('logs')}/${request.label}-${this.runs.length + 1}.log`,
      };
    }
    this.runs.push({ request, result });
    return result;
  }
}

/** Waits out the behaviour's delay or hang; true when the signal ended it. */
function waitFor(behaviour: CommandBehaviour, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  if (!behaviour.hang && !behaviour.delayMs) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = behaviour.hang ? null : setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, behaviour.delayMs);
    function onAbort(): void {
      if (timer) clearTimeout(timer);
      resolve(true);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
